import { afterEach, describe, expect, it } from 'vitest'
import { startTelegramGateway, until, type TelegramGateway } from './start-telegram-gateway.js'

// Inbound batching end to end: the fake Bot API server, grammY polling it, the real gateway and the
// scripted model server. Quick texts of one sender are one turn (Telegram's quiet window, here made
// generous for a loaded machine); an album's parts (updates sharing a media_group_id) are one turn.

let gw: TelegramGateway | undefined
afterEach(async () => {
  await gw?.close()
  gw = undefined
})

/** A small JPEG-looking payload (the core sniffs the type from the bytes). */
function jpegBytes(seed: number, size = 1024): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00])
  for (let i = 11; i < size; i++) bytes[i] = (i * seed) % 251
  return bytes
}

type Part = { type: string; text?: string; image_url?: { url: string } }
const lastUser = (gw: TelegramGateway, call: number) => gw.modelCalls()[call]!.messages.filter((m) => m.role === 'user').at(-1)!

describe('telegram: inbound batching', () => {
  it('runs three DMs sent back to back as one model request holding the three lines, answered once (replying to the last)', async () => {
    gw = await startTelegramGateway({ telegram: { replyToMode: 'first' }, config: { messages: { inbound: { byChannel: { telegram: 1500 } } } } })
    gw.model.reply({ text: 'got all three' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    gw.tg.sendDm(ada, 'first line')
    gw.tg.sendDm(ada, 'second line')
    const third = gw.tg.sendDm(ada, 'third line')
    const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(reply!.plainText).toBe('got all three')
    expect(reply!.replyToMessageId).toBe(third.message_id)
    expect(gw.modelCalls()).toHaveLength(1)
    expect(lastUser(gw, 0).content).toBe('first line\nsecond line\nthird line')
    const rows = await gw.gateway.inbound.list()
    expect(rows.map((r) => r.state).sort()).toEqual(['batched', 'batched', 'done'])
    // Nothing more comes: one turn, one reply.
    await new Promise((r) => setTimeout(r, 500))
    expect(gw.tg.sentCount(ada.id)).toBe(1)
    expect(gw.modelCalls()).toHaveLength(1)
  })

  it('runs an album of three photos as one model request with the three images and the caption', async () => {
    gw = await startTelegramGateway()
    gw.model.reply({ text: 'three nice photos' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    const photos = [jpegBytes(37), jpegBytes(41), jpegBytes(43)]
    const parts = gw.tg.sendAlbum(ada, [{ bytes: photos[0]!, caption: 'our trip' }, { bytes: photos[1]! }, { bytes: photos[2]! }])
    expect(new Set(parts.map((p) => p.media_group_id)).size).toBe(1)
    await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    await until(() => gw!.tg.callsOf('getFile').length === 3, 15_000, 'three files fetched')
    expect(gw.modelCalls()).toHaveLength(1)
    const content = lastUser(gw, 0).content as Part[]
    expect(content.filter((p) => p.type === 'image_url')).toHaveLength(3)
    expect(content.filter((p) => p.type === 'text').map((p) => p.text).join(' ')).toContain('our trip')
    const sent = JSON.stringify(content)
    for (const bytes of photos) expect(sent).toContain(Buffer.from(bytes).toString('base64'))
    await new Promise((r) => setTimeout(r, 500))
    expect(gw.tg.sentCount(ada.id)).toBe(1)
  })

  it('batches by default (300 ms): updates that arrive in one poll are one turn', async () => {
    gw = await startTelegramGateway()
    gw.model.reply({ text: 'both' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    // Pushed together, they reach the gateway in one getUpdates answer (the fake answers a waiting poll
    // with what was pushed in the same tick): accepted milliseconds apart.
    gw.tg.sendDm(ada, 'part one')
    gw.tg.sendDm(ada, 'part two')
    await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(gw.modelCalls()).toHaveLength(1)
    expect(lastUser(gw, 0).content).toBe('part one\npart two')
  })

  it('a DM sent after the first turn was answered is a turn of its own', async () => {
    gw = await startTelegramGateway()
    gw.model.replyWith(() => ({ text: 'ok' }))
    const ada = gw.tg.user({ firstName: 'Ada' })
    gw.tg.sendDm(ada, 'one')
    await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    gw.tg.sendDm(ada, 'two')
    await gw.tg.waitForMessages(ada.id, 2, { timeoutMs: 15_000 })
    expect(gw.modelCalls().map((_, i) => lastUser(gw!, i).content)).toEqual(['one', 'two'])
  })
})
