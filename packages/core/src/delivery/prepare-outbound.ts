import { CORE_ERR_MEDIA_TOO_LARGE, CORE_ERR_MEDIA_UNSUPPORTED } from '../errors/codes.js'
import { DEFAULT_TEXT_CAPABILITY, type ChannelCapabilities, type ChannelDefinition } from '../types/channels.js'
import type { OutboundMessage } from '../types/messages.js'
import { formatMarkdown } from './format-markdown.js'
import { splitText } from './split-text.js'

/** Bytes of a base64 payload, without decoding it. */
function base64Bytes(data: string): number {
  const clean = data.replace(/\s/g, '')
  return Math.floor((clean.length * 3) / 4) - (clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0)
}

/** What one row carries: a text chunk, and the attachments that go with it. */
interface Part {
  readonly text: string
  readonly attachments?: OutboundMessage['attachments']
}

/**
 * The parts of a message with attachments on a channel that says how many one message carries and
 * how long a caption may be: the attachments in groups, the text as the first group's caption when
 * it fits (one chunk, short enough as plain text), else the text's chunks after them.
 */
function mediaParts(message: OutboundMessage, chunks: readonly string[], text: string, media: NonNullable<ChannelCapabilities['media']>): Part[] {
  const attachments = message.attachments ?? []
  const size = Math.max(1, media.perMessage ?? attachments.length)
  const groups = Array.from({ length: Math.ceil(attachments.length / size) }, (_, i) => attachments.slice(i * size, (i + 1) * size))
  const caption = chunks.length === 1 && (media.captionMaxLength === undefined || formatMarkdown(text, 'plain').length <= media.captionMaxLength)
  return [
    ...groups.map((group, i) => ({ text: i === 0 && caption ? chunks[0]! : '', attachments: group })),
    ...(caption ? [] : chunks.map((chunk) => ({ text: chunk }))),
  ]
}

/**
 * Fit a message to a channel's capabilities, as the rows the outbox writes: the text (markdown)
 * rendered in the channel's format and split at its limit; media checked against its kinds and
 * size, and split into messages as the channel says (`media.perMessage`, `media.captionMaxLength`);
 * buttons on the last part (as text lines where the channel has none); the first part keeps the
 * delivery key and `replyToId`, the others are `<key>#2`, `<key>#3`, …
 */
export function prepareOutbound(message: OutboundMessage, channel: ChannelDefinition, options: { readonly preformatted?: boolean } = {}): OutboundMessage[] {
  const caps = channel.capabilities ?? {}
  const attachments = message.attachments ?? []
  if (attachments.length > 0) {
    const media = caps.media
    if (!media) throw new CORE_ERR_MEDIA_UNSUPPORTED(channel.id, 'it declares no media capability')
    for (const a of attachments) {
      if (!media.kinds.includes(a.kind)) throw new CORE_ERR_MEDIA_UNSUPPORTED(channel.id, `'${a.kind}' is not one of ${media.kinds.join(', ')}`)
      if (a.data !== undefined && base64Bytes(a.data) > media.maxBytes) throw new CORE_ERR_MEDIA_TOO_LARGE(a.name ?? a.kind, base64Bytes(a.data), media.maxBytes)
    }
  }
  let text = message.text
  let buttons = message.buttons
  if (buttons && buttons.length > 0 && !caps.buttons) {
    const lines = buttons.flat().map((b) => (b.url ? `• ${b.text}: ${b.url}` : `• ${b.text}`))
    text = `${text}\n\n${lines.join('\n')}`
    buttons = undefined
  }
  const limit = caps.text ?? DEFAULT_TEXT_CAPABILITY
  const chunks = options.preformatted ? [text] : splitText(text, limit)
  if (chunks.length === 0) chunks.push('')
  const media = caps.media
  const parts: Part[] = attachments.length > 0 && media && (media.perMessage !== undefined || media.captionMaxLength !== undefined) && !options.preformatted
    ? mediaParts(message, chunks, text, media)
    : chunks.map((chunk, i) => ({ text: chunk, ...(i === 0 && attachments.length > 0 ? { attachments } : {}) }))
  return parts.map((part, i): OutboundMessage => {
    const first = i === 0
    const last = i === parts.length - 1
    const { attachments: _a, buttons: _b, replyToId: _r, ...rest } = message
    return {
      ...rest,
      text: part.text,
      deliveryKey: first ? message.deliveryKey : `${message.deliveryKey}#${i + 1}`,
      ...(part.attachments ? { attachments: part.attachments } : {}),
      ...(first && message.replyToId && caps.replyTo !== false ? { replyToId: message.replyToId } : {}),
      ...(last && buttons && buttons.length > 0 ? { buttons } : {}),
    }
  })
}
