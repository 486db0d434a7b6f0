import { CORE_ERR_MEDIA_TOO_LARGE, CORE_ERR_MEDIA_UNSUPPORTED } from '../errors/codes.js'
import { DEFAULT_TEXT_CAPABILITY, type ChannelDefinition } from '../types/channels.js'
import type { OutboundMessage } from '../types/messages.js'
import { splitText } from './split-text.js'

/** Bytes of a base64 payload, without decoding it. */
function base64Bytes(data: string): number {
  const clean = data.replace(/\s/g, '')
  return Math.floor((clean.length * 3) / 4) - (clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0)
}

/**
 * Fit a message to a channel's capabilities, as the rows the outbox writes: the text (markdown)
 * rendered in the channel's format and split at its limit; media checked against its kinds and
 * size; buttons on the last part (as text lines where the channel has none); the first part keeps
 * the delivery key and `replyToId`, the others are `<key>#2`, `<key>#3`, …
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
  return chunks.map((chunk, i): OutboundMessage => {
    const first = i === 0
    const last = i === chunks.length - 1
    const { attachments: _a, buttons: _b, replyToId: _r, ...rest } = message
    return {
      ...rest,
      text: chunk,
      deliveryKey: first ? message.deliveryKey : `${message.deliveryKey}#${i + 1}`,
      ...(first && attachments.length > 0 ? { attachments } : {}),
      ...(first && message.replyToId && caps.replyTo !== false ? { replyToId: message.replyToId } : {}),
      ...(last && buttons && buttons.length > 0 ? { buttons } : {}),
    }
  })
}
