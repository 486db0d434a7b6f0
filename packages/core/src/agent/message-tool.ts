import { readFile, realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import { z } from 'zod'
import type { Outbox } from '../delivery/outbox.js'
import { mediaKindOf, sniffMediaType } from '../delivery/sniff-media.js'
import { CORE_ERR_CHANNEL_UNKNOWN, CORE_ERR_MEDIA_FETCH, CORE_ERR_MEDIA_TOO_LARGE, CORE_ERR_MEDIA_UNSUPPORTED, CORE_ERR_RUN_INVALID } from '../errors/codes.js'
import type { Registry } from '../registry/registry.js'
import type { ChannelDefinition } from '../types/channels.js'
import type { Attachment } from '../types/messages.js'
import type { ToolDefinition } from '../types/tools.js'

const Button = z.strictObject({ text: z.string().min(1).max(64), data: z.string().max(1024).optional(), url: z.string().url().max(2048).optional() })
const Media = z.strictObject({
  /** A file inside the agent workspace. */
  path: z.string().min(1).max(1024).optional(),
  /** An http(s) URL the channel fetches. */
  url: z.string().url().max(4096).optional(),
  /** Bytes, base64. */
  data: z.string().min(1).optional(),
  name: z.string().max(256).optional(),
})

const MessageArgs = z.strictObject({
  action: z.enum(['send', 'reply']).default('send'),
  text: z.string().max(100_000).default(''),
  /** Default: the channel of the conversation this run answers. */
  channel: z.string().min(1).max(128).optional(),
  /** Default: the chat of the conversation this run answers. */
  to: z.string().min(1).max(512).optional(),
  accountId: z.string().min(1).max(256).optional(),
  /** `reply`: the message to answer. */
  replyTo: z.string().min(1).max(256).optional(),
  buttons: z.array(z.array(Button).min(1).max(8)).max(8).optional(),
  media: z.array(Media).max(8).optional(),
})
type MessageArgs = z.output<typeof MessageArgs>

export interface MessageToolOptions {
  readonly outbox: Outbox
  readonly channels: Registry<ChannelDefinition>
  /** Files the tool may send live here. */
  readonly workspaceDir: string
  /** May the agent send to another channel than the one it answers? */
  readonly crossChannel: boolean
}

/**
 * OpenClaw's `message` tool: send or reply, with buttons and media, on the current channel
 * conversation (or another channel when `delivery.crossChannel` allows it), through the durable
 * outbox. Media is a file path inside the agent workspace, a URL, or bytes; files and bytes are
 * size-checked against the channel and their content type is sniffed from the bytes.
 */
export function createMessageTool(options: MessageToolOptions): ToolDefinition<MessageArgs> {
  return {
    name: 'message',
    description:
      'Send a message on the current channel conversation: text, buttons (rows of {text, data}) and media ({path} in the workspace, {url} or {data} base64). action "reply" answers replyTo. channel/to send elsewhere when allowed.',
    parameters: MessageArgs,
    async execute(args, ctx) {
      const route = ctx.route
      const channelId = args.channel ?? route?.channel
      const to = args.to ?? (args.channel === undefined || args.channel === route?.channel ? route?.to : undefined)
      if (!channelId || !to) throw new CORE_ERR_RUN_INVALID('this run answers no channel conversation: name channel and to')
      if (route && channelId !== route.channel && !options.crossChannel) {
        throw new CORE_ERR_MEDIA_UNSUPPORTED(channelId, 'sending to another channel than the conversation is not allowed (delivery.crossChannel)')
      }
      const channel = options.channels.get(channelId)
      if (!channel) throw new CORE_ERR_CHANNEL_UNKNOWN(channelId, options.channels.keys().join(', ') || '(none)')
      if (args.action === 'reply' && !args.replyTo) throw new CORE_ERR_RUN_INVALID("action 'reply' needs replyTo")
      const attachments = await Promise.all((args.media ?? []).map((m) => mediaOf(m, channel, options.workspaceDir)))
      const accountId = args.accountId ?? (channelId === route?.channel ? route.accountId : undefined)
      const deliveryKey = `tool:${ctx.runId ?? 'none'}:${ctx.toolCallId}`
      const outcome = await options.outbox.send({
        channel: channelId,
        to,
        text: args.text,
        deliveryKey,
        ...(accountId ? { accountId } : {}),
        ...(channelId === route?.channel && route.threadId ? { threadId: route.threadId } : {}),
        ...(args.replyTo ? { replyToId: args.replyTo } : {}),
        ...(args.buttons ? { buttons: args.buttons } : {}),
        ...(attachments.length > 0 ? { attachments } : {}),
        ...(ctx.sessionKey ? { sessionKey: ctx.sessionKey } : {}),
      }, 15_000)
      return { status: outcome.status, deliveryKey, ...(outcome.receipt ? { messageId: outcome.receipt.messageId } : {}), ...(outcome.error ? { error: outcome.error } : {}) }
    },
  }
}

async function mediaOf(media: z.output<typeof Media>, channel: ChannelDefinition, workspaceDir: string): Promise<Attachment> {
  const given = [media.path, media.url, media.data].filter((v) => v !== undefined).length
  if (given !== 1) throw new CORE_ERR_RUN_INVALID('each media item needs exactly one of path, url or data')
  const limit = channel.capabilities?.media?.maxBytes ?? 0
  if (media.url) return { kind: 'file', url: media.url, ...(media.name ? { name: media.name } : {}) }
  let bytes: Buffer
  let name = media.name
  if (media.path) {
    const root = await realpath(workspaceDir).catch(() => resolve(workspaceDir))
    const target = await realpath(resolve(root, media.path)).catch(() => undefined)
    const rel = target ? relative(root, target) : '..'
    if (!target || rel.startsWith('..') || isAbsolute(rel)) throw new CORE_ERR_MEDIA_UNSUPPORTED(channel.id, `'${media.path}' is not a file inside the agent workspace`)
    const info = await stat(target)
    if (!info.isFile()) throw new CORE_ERR_MEDIA_UNSUPPORTED(channel.id, `'${media.path}' is not a file`)
    if (info.size > limit) throw new CORE_ERR_MEDIA_TOO_LARGE(media.path, info.size, limit)
    bytes = await readFile(target).catch((err: unknown) => {
      throw new CORE_ERR_MEDIA_FETCH(media.path!, (err as Error).message)
    })
    name ??= rel.split(/[\\/]/).pop()
  } else {
    bytes = Buffer.from(media.data!, 'base64')
    if (bytes.byteLength > limit) throw new CORE_ERR_MEDIA_TOO_LARGE(name ?? 'data', bytes.byteLength, limit)
  }
  const mimeType = sniffMediaType(bytes)
  return { kind: mediaKindOf(mimeType), data: bytes.toString('base64'), mimeType, ...(name ? { name } : {}) }
}
