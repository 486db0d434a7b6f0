import { describe, expect, it } from 'vitest'
import type { ChannelDefinition } from '../types/channels.js'
import { prepareOutbound } from './prepare-outbound.js'

const photo = (name: string) => ({ kind: 'image' as const, name, data: Buffer.from(name).toString('base64') })

/** A channel like Telegram's: one attachment a message, captions up to 20 characters. */
const oneEach: ChannelDefinition = {
  id: 'tg',
  capabilities: { text: { maxLength: 4000, format: 'html' }, media: { kinds: ['image', 'file'], maxBytes: 1000, perMessage: 1, captionMaxLength: 20 }, buttons: true, replyTo: true },
  async send() {
    return { messageId: '1' }
  },
}

describe('prepareOutbound: messages with media', () => {
  const base = { channel: 'tg', to: 'c1', deliveryKey: 'k', replyToId: '7', buttons: [[{ text: 'OK', data: 'ok' }]] }

  it('gives each attachment its own row, the short text as the first one\'s caption, reply on the first, buttons on the last', () => {
    const rows = prepareOutbound({ ...base, text: 'Your **report**', attachments: [photo('a.jpg'), photo('b.jpg')] }, oneEach)
    expect(rows.map((r) => [r.deliveryKey, r.text, r.attachments?.map((a) => a.name), r.replyToId, r.buttons !== undefined])).toEqual([
      ['k', 'Your <b>report</b>', ['a.jpg'], '7', false],
      ['k#2', '', ['b.jpg'], undefined, true],
    ])
  })

  it('sends a text too long for a caption as rows of its own after the attachments', () => {
    const rows = prepareOutbound({ ...base, text: 'a caption far longer than twenty characters', attachments: [photo('a.jpg')] }, oneEach)
    expect(rows.map((r) => [r.deliveryKey, r.text, r.attachments?.length ?? 0])).toEqual([
      ['k', '', 1],
      ['k#2', 'a caption far longer than twenty characters', 0],
    ])
  })

  it('keeps one row for text and media on a channel that says nothing of perMessage or captions', () => {
    const plain: ChannelDefinition = { ...oneEach, capabilities: { ...oneEach.capabilities, media: { kinds: ['image'], maxBytes: 1000 } } }
    const rows = prepareOutbound({ ...base, text: 'hi', attachments: [photo('a.jpg'), photo('b.jpg')] }, plain)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.attachments).toHaveLength(2)
  })
})
