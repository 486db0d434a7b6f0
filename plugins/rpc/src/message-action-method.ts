import type { Attachment, OutboundMessage, RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { RPC_ERR_ACTION_PARAMS, RPC_ERR_ACTION_UNSUPPORTED, RPC_ERR_SEND_FAILED } from './errors.js'
import { resolveSendChannel } from './resolve-send-channel.js'
import type { RpcMethodDeps } from './rpc-method-deps.js'

/** The actions this gateway carries out; OpenClaw's others (`poll`, `react`, `edit`, …) are refused by name. */
const SUPPORTED_ACTIONS = ['send'] as const

/**
 * OpenClaw's `message.action` params (its `MessageActionParamsSchema`): which channel, which action,
 * the action's own `params`, and who asks. The requester fields are accepted and change nothing here
 * (a shared-secret caller is a full operator).
 */
const MessageActionParams = z.strictObject({
  channel: z.string().min(1).max(128),
  action: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string().min(1).max(256),
  reply: z.unknown().optional(),
  accountId: z.string().max(256).optional(),
  requesterAccountId: z.string().max(256).optional(),
  requesterSenderId: z.string().max(256).optional(),
  senderIsOwner: z.boolean().optional(),
  sessionKey: z.string().max(512).optional(),
  sessionId: z.string().max(512).optional(),
  inboundTurnKind: z.enum(['user_request', 'room_event']).optional(),
  agentId: z.string().max(64).optional(),
  toolContext: z.record(z.string(), z.unknown()).optional(),
  conversationReadOrigin: z.literal('direct-operator').optional(),
})
type MessageActionParams = z.output<typeof MessageActionParams>

const Id = z.union([z.string().min(1).max(512), z.number()])
const Media = z.union([z.string().min(1).max(4096), z.array(z.string().min(1).max(4096)).max(16)])

/**
 * The `params` of a `send` action, as OpenClaw's CLI and message tool write them (`target`, `message`,
 * `media`, `replyTo`, `threadId`, …). Fields that could change what is sent and that this gateway
 * cannot honour are refused by name; flags that only matter to other channels pass when off.
 */
const SendActionParams = z.strictObject({
  target: z.string().min(1).max(512).optional(),
  to: z.string().min(1).max(512).optional(),
  message: z.string().max(100_000).optional(),
  media: Media.optional(),
  mediaUrl: z.string().min(1).max(4096).optional(),
  mediaUrls: z.array(z.string().min(1).max(4096)).max(16).optional(),
  replyTo: Id.optional(),
  threadId: Id.nullable().optional(),
  accountId: z.string().max(256).optional(),
  sessionKey: z.string().max(512).optional(),
  dryRun: z.literal(false).optional(),
  silent: z.literal(false).optional(),
  forceDocument: z.literal(false).optional(),
  gifPlayback: z.literal(false).optional(),
  pin: z.literal(false).optional(),
  topLevel: z.boolean().optional(),
  card: z.record(z.string(), z.unknown()).optional(),
  presentation: z.record(z.string(), z.unknown()).optional(),
  // The CLI repeats its own flags here: output options, and the channel and action again.
  json: z.boolean().optional(),
  verbose: z.boolean().optional(),
  channel: z.string().max(128).optional(),
  action: z.string().max(64).optional(),
  __sessionKey: z.string().max(512).optional(),
  __agentId: z.string().max(64).optional(),
})
type SendActionParams = z.output<typeof SendActionParams>

function mediaOf(params: SendActionParams): string[] {
  const media = params.media === undefined ? [] : [params.media].flat()
  return [...media, ...(params.mediaUrl ? [params.mediaUrl] : []), ...(params.mediaUrls ?? [])]
}

function outboundOf(channel: string, request: MessageActionParams, params: SendActionParams): OutboundMessage {
  const to = params.target ?? params.to
  if (to === undefined) throw new RPC_ERR_ACTION_PARAMS('send', 'params.target', 'a target is required')
  const media = mediaOf(params)
  const text = params.message ?? ''
  if (text.trim() === '' && media.length === 0) throw new RPC_ERR_ACTION_PARAMS('send', 'params.message', 'a message or media is required')
  const attachments: Attachment[] = media.map((url) => ({ kind: 'file', url }))
  const accountId = params.accountId || request.accountId
  const sessionKey = params.sessionKey ?? request.sessionKey
  const card = params.card ?? params.presentation
  return {
    channel,
    to,
    text,
    // The outbox never sends one key twice: a retry of the same idempotencyKey is answered `duplicate`.
    deliveryKey: request.idempotencyKey,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(card ? { card } : {}),
    ...(accountId ? { accountId } : {}),
    ...(params.threadId !== undefined && params.threadId !== null ? { threadId: String(params.threadId) } : {}),
    ...(params.replyTo !== undefined ? { replyToId: String(params.replyTo) } : {}),
    ...(sessionKey ? { sessionKey } : {}),
  }
}

/**
 * `message.action {channel, action, params, idempotencyKey, …}`: what OpenClaw's `openclaw message
 * send` (and its message tool) call. `send` goes through the durable outbox (`api.gateway.delivery.send`)
 * with the idempotency key as its delivery key; any other action is refused with
 * `RPC_ERR_ACTION_UNSUPPORTED` naming the ones supported.
 */
export function createMessageActionMethod(deps: RpcMethodDeps): RpcMethodDefinition<MessageActionParams, object> {
  return {
    name: 'message.action',
    description: "Run a channel message action (OpenClaw's message.action; 'send' only)",
    params: MessageActionParams,
    async handler(request) {
      if (!(SUPPORTED_ACTIONS as readonly string[]).includes(request.action)) {
        throw new RPC_ERR_ACTION_UNSUPPORTED(request.action, SUPPORTED_ACTIONS.join(', '), { details: { action: request.action, supported: [...SUPPORTED_ACTIONS] } })
      }
      const parsed = SendActionParams.safeParse(request.params)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        const where = ['params', ...issue.path.map(String), ...('keys' in issue ? [(issue.keys as string[]).join(', ')] : [])].join('.')
        throw new RPC_ERR_ACTION_PARAMS('send', where, issue.message)
      }
      const channel = resolveSendChannel(deps, request.channel)
      const message = outboundOf(channel, request, parsed.data)
      const outcome = await deps.gateway.delivery.send(message)
      if (outcome.status === 'failed') {
        throw new RPC_ERR_SEND_FAILED(channel, outcome.error?.message ?? 'unknown error', { details: { deliveryCode: outcome.error?.code } })
      }
      const receipt = outcome.receipt
      return {
        ok: true,
        action: request.action,
        runId: request.idempotencyKey,
        status: outcome.status,
        channel,
        to: message.to,
        ...(receipt ? { messageId: receipt.messageId, deliveredAt: receipt.deliveredAt } : {}),
      }
    },
  }
}
