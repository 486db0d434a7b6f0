import type { Attachment, OutboundMessage, RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { RPC_ERR_MESSAGE_EMPTY, RPC_ERR_SEND_FAILED } from './errors.js'
import { resolveSendChannel } from './resolve-send-channel.js'
import type { RpcMethodDeps } from './rpc-method-deps.js'

const ButtonSchema = z.strictObject({
  text: z.string().min(1).max(256),
  data: z.string().max(4096).optional(),
  url: z.string().max(4096).optional(),
})

const SendParams = z.strictObject({
  /** The channel's target: a chat id, a user id, a phone number… */
  to: z.string().min(1).max(512),
  /** The outbox's delivery key: the same key is never sent twice, before or after a restart. */
  idempotencyKey: z.string().min(1).max(256),
  message: z.string().max(100_000).optional(),
  mediaUrl: z.string().min(1).max(4096).optional(),
  mediaUrls: z.array(z.string().min(1).max(4096)).max(16).optional(),
  /** Default: the only installed channel. */
  channel: z.string().min(1).max(128).optional(),
  accountId: z.string().min(1).max(256).optional(),
  threadId: z.union([z.string().min(1).max(256), z.number()]).optional(),
  replyToId: z.string().min(1).max(256).optional(),
  sessionKey: z.string().min(1).max(512).optional(),
  /** Rows of buttons (a single row may be given as a flat array). */
  buttons: z.union([z.array(z.array(ButtonSchema).max(8)).max(8), z.array(ButtonSchema).max(8)]).optional(),
  card: z.record(z.string(), z.unknown()).optional(),
})

type SendParams = z.output<typeof SendParams>

function outboundOf(channel: string, params: SendParams): OutboundMessage {
  const media = [...(params.mediaUrl ? [params.mediaUrl] : []), ...(params.mediaUrls ?? [])]
  const text = params.message ?? ''
  if (text.trim() === '' && media.length === 0) throw new RPC_ERR_MESSAGE_EMPTY()
  const buttons = params.buttons === undefined ? undefined : params.buttons.length > 0 && !Array.isArray(params.buttons[0]) ? [params.buttons as z.output<typeof ButtonSchema>[]] : (params.buttons as z.output<typeof ButtonSchema>[][])
  const attachments: Attachment[] = media.map((url) => ({ kind: 'file', url }))
  return {
    channel,
    to: params.to,
    text,
    deliveryKey: params.idempotencyKey,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(buttons ? { buttons } : {}),
    ...(params.card ? { card: params.card } : {}),
    ...(params.accountId ? { accountId: params.accountId } : {}),
    ...(params.threadId !== undefined ? { threadId: String(params.threadId) } : {}),
    ...(params.replyToId ? { replyToId: params.replyToId } : {}),
    ...(params.sessionKey ? { sessionKey: params.sessionKey } : {}),
  }
}

/**
 * `send`: deliver a message to a channel without the agent, through the durable outbox. The
 * idempotency key is the delivery key, so a retry (even after a restart) answers `duplicate` with
 * the first receipt and is never delivered twice.
 */
export function createSendMethod(deps: RpcMethodDeps): RpcMethodDefinition<SendParams, object> {
  return {
    name: 'send',
    description: 'Send a message to a channel target, without the agent',
    params: SendParams,
    async handler(params) {
      const channel = resolveSendChannel(deps, params.channel)
      const outcome = await deps.gateway.delivery.send(outboundOf(channel, params))
      if (outcome.status === 'failed') {
        throw new RPC_ERR_SEND_FAILED(channel, outcome.error?.message ?? 'unknown error', { details: { deliveryCode: outcome.error?.code } })
      }
      const receipt = outcome.receipt
      return {
        runId: params.idempotencyKey,
        status: outcome.status,
        channel,
        to: params.to,
        ...(receipt ? { messageId: receipt.messageId, deliveredAt: receipt.deliveredAt } : {}),
      }
    },
  }
}
