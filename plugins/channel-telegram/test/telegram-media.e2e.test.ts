import { afterEach, describe, expect, it } from 'vitest'
import { startTelegramGateway, until, type TelegramGateway } from './start-telegram-gateway.js'

// Media, buttons, long replies and streaming through the fake Bot API server and grammY.

let gw: TelegramGateway | undefined
afterEach(async () => {
  await gw?.close()
  gw = undefined
})

/** A small JPEG-looking payload (the core sniffs the type from the bytes). */
function jpegBytes(size = 2048): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00])
  for (let i = 11; i < size; i++) bytes[i] = (i * 37) % 251
  return bytes
}

describe('telegram: media', () => {
  it('hands an inbound photo to the model (fetched through getFile), and the token appears in no transcript and no log line', async () => {
    gw = await startTelegramGateway()
    gw.model.reply({ text: 'a nice photo' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    const bytes = jpegBytes()
    gw.tg.sendPhoto(ada, { bytes, caption: 'look at this' })
    await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(gw.tg.callsOf('getFile')).toHaveLength(1)
    const sent = JSON.stringify(gw.modelCalls()[0]!.messages)
    expect(sent).toContain('look at this')
    expect(sent).toContain(Buffer.from(bytes).toString('base64'))
    // The token (and its secret half) appears nowhere a person or a model reads.
    const secret = gw.tg.token.split(':')[1]!
    const transcript = JSON.stringify(await gw.gateway.sessions.history(`agent:main:telegram:direct:${ada.id}`))
    expect(transcript).toContain('look at this')
    expect(transcript).not.toContain(secret)
    expect(sent).not.toContain(secret)
    expect(gw.logs.length).toBeGreaterThan(0)
    expect(gw.logs.filter((line) => line.includes(secret))).toEqual([])
    expect(JSON.stringify(await gw.gateway.inbound.list())).not.toContain(secret)
  })

  it('refuses an inbound file over mediaMaxMb without downloading it, and the message still runs', async () => {
    gw = await startTelegramGateway({ telegram: { mediaMaxMb: 0.001 } })
    gw.model.reply({ text: 'no file, sorry' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    gw.tg.sendDocument(ada, { bytes: new Uint8Array(4096), fileName: 'big.bin', mime: 'application/octet-stream', caption: 'here' })
    await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(gw.tg.calls.some((c) => c.method === 'getFile')).toBe(true)
    expect(JSON.stringify(gw.modelCalls()[0]!.messages)).not.toContain(Buffer.from(new Uint8Array(4096)).toString('base64').slice(0, 64))
    expect(gw.logs.some((l) => l.includes('TG_ERR_MEDIA_TOO_LARGE'))).toBe(true)
  })

  it('sends a photo with a caption and a document, and buttons as an inline keyboard whose press comes back to the session', async () => {
    gw = await startTelegramGateway()
    const ada = gw.tg.user({ firstName: 'Ada' })
    const doc = Buffer.from('%PDF-1.4\n% a tiny test document\n').toString('base64')
    gw.model
      .reply({ toolCalls: [{ name: 'message', arguments: { text: 'Your **report**', media: [{ data: Buffer.from(jpegBytes(512)).toString('base64'), name: 'chart.jpg' }, { data: doc, name: 'report.pdf' }] } }] })
      .reply({ toolCalls: [{ name: 'message', arguments: { text: 'Ship it?', buttons: [[{ text: 'Yes', data: 'ship:yes' }, { text: 'No', data: 'ship:no' }]] } }] })
      .reply({ text: '' })
    gw.tg.sendDm(ada, 'send me the report')
    const [photo, document, question] = await gw.tg.waitForMessages(ada.id, 3, { timeoutMs: 15_000 })
    expect(photo!.kind).toBe('photo')
    expect(photo!.text).toBe('Your <b>report</b>')
    expect(document!.kind).toBe('document')
    expect(document!.text).toBe('')
    expect(document!.file?.bytes.length).toBe(Buffer.from(doc, 'base64').length)
    expect(document!.file?.fileName).toBe('report.pdf')
    expect(question!.replyMarkup?.inline_keyboard[0]!.map((b) => ('callback_data' in b ? b.callback_data : undefined))).toEqual(['ship:yes', 'ship:no'])
    // The press: answered with answerCallbackQuery, and routed to the same session.
    gw.model.reply({ text: 'shipping' })
    const press = gw.tg.pressButton({ from: ada, message: question!, data: 'ship:yes' })
    await gw.tg.waitForMessages(ada.id, 4, { timeoutMs: 15_000 })
    await until(() => gw!.tg.callbackAnswers.some((a) => a.callbackQueryId === press.id), 15_000, 'callback answered')
    const last = gw.modelCalls().at(-1)!
    expect(JSON.stringify(last.messages.at(-1))).toContain('(button pressed) ship:yes')
    expect(JSON.stringify(last.messages)).toContain('send me the report')
  })
})

describe('telegram: media replies, one message per row', () => {
  it('sends each attachment and a text too long for a caption as messages of their own: a failed one is retried alone', async () => {
    gw = await startTelegramGateway()
    const ada = gw.tg.user({ firstName: 'Ada' })
    const doc = Buffer.from('%PDF-1.4\n% a tiny test document\n').toString('base64')
    const long = `The numbers: ${'0123456789 '.repeat(120)}`.trim()
    gw.model
      .reply({ toolCalls: [{ name: 'message', arguments: { text: long, media: [{ data: Buffer.from(jpegBytes(512)).toString('base64'), name: 'chart.jpg' }, { data: doc, name: 'report.pdf' }] } }] })
      .reply({ text: '' })
    // The document's first send is cut before Telegram runs it: only it goes again.
    gw.tg.dropConnections('sendDocument')
    gw.tg.sendDm(ada, 'send me the report')
    const [photo, document, text] = await gw.tg.waitForMessages(ada.id, 3, { timeoutMs: 20_000 })
    await new Promise((r) => setTimeout(r, 300))
    expect([photo!.kind, document!.kind, text!.kind]).toEqual(['photo', 'document', 'text'])
    expect(photo!.text).toBe('')
    expect(text!.text).toBe(long)
    expect(gw.tg.sentCount(ada.id)).toBe(3)
    expect(gw.tg.callsOf('sendPhoto')).toHaveLength(1)
    expect(gw.tg.callsOf('sendDocument').map((c) => c.status)).toEqual(['dropped', 200])
  })
})

describe('telegram: formatting', () => {
  it("renders rich markdown as HTML Telegram accepts: every tag supported, every entity escaped", async () => {
    gw = await startTelegramGateway({ telegram: { streaming: 'off' } })
    const markdown = [
      '# Report <draft>',
      'Some **bold**, _italic_, ~~gone~~ and `a<b && c>d` inline; a raw <div onclick="x()">tag</div> & an ampersand.',
      '> quoted **words**',
      '- one\n- two with [a link](https://example.com/?a=1&b=2)\n  1. nested',
      '| col <1> | col & 2 |\n|---|---|\n| **x** | y |',
      '```html\n<script>alert("&")</script>\n```',
      '![an image](https://example.com/i.png)',
    ].join('\n\n')
    gw.model.reply({ text: markdown })
    const ada = gw.tg.user()
    gw.tg.sendDm(ada, 'format test')
    const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    // Telegram (the fake parses like it) took the HTML at the first try: no "can't parse entities".
    expect(gw.tg.callsOf('sendMessage').map((c) => c.status)).toEqual([200])
    expect(reply!.parseMode).toBe('HTML')
    expect(reply!.plainText).toContain('Report <draft>')
    expect(reply!.plainText).toContain('a<b && c>d')
    expect(reply!.plainText).toContain('<div onclick="x()">tag</div> & an ampersand')
    expect(reply!.plainText).toContain('<script>alert("&")</script>')
    expect(reply!.text).toContain('<b>bold</b>')
    expect(reply!.text).toContain('<a href="https://example.com/?a=1&amp;b=2">a link</a>')
    expect(reply!.text).toContain('<blockquote>')
  })
})

describe('telegram: formatting fallback', () => {
  it('sends the text plain when Telegram refuses its HTML', async () => {
    gw = await startTelegramGateway({ telegram: { streaming: 'off' } })
    gw.model.reply({ text: 'Some **bold** & more' })
    gw.tg.failNext('sendMessage', { status: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"b\" at byte offset 5" })
    const ada = gw.tg.user()
    gw.tg.sendDm(ada, 'hi')
    const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(reply!.parseMode).toBeUndefined()
    expect(reply!.text).toBe('Some bold & more')
    expect(await gw.gateway.delivery.deadLetters({ channel: 'telegram' })).toEqual([])
  })
})

describe('telegram: long and streamed replies', () => {
  it('splits a 10,000-character reply into ordered chunks within 4096 characters, with the code block intact', async () => {
    gw = await startTelegramGateway({ telegram: { streaming: 'off' } })
    const para = (n: number) => `Paragraph ${n}: ${'lorem ipsum dolor sit amet '.repeat(12).trim()}.`
    const code = ['```ts', ...Array.from({ length: 60 }, (_, i) => `const line${i} = ${i} // keep ${'x'.repeat(20)}`), '```'].join('\n')
    const parts = [...Array.from({ length: 12 }, (_, i) => para(i + 1)), code, ...Array.from({ length: 12 }, (_, i) => para(i + 13))]
    const text = parts.join('\n\n')
    expect(text.length).toBeGreaterThanOrEqual(10_000)
    gw.model.reply({ text })
    const ada = gw.tg.user({ firstName: 'Ada' })
    gw.tg.sendDm(ada, 'a long one please')
    await until(() => gw!.tg.messagesTo(ada.id).map((m) => m.plainText).join('\n').includes('Paragraph 24'), 20_000, 'all chunks')
    const messages = gw.tg.messagesTo(ada.id)
    expect(messages.length).toBeGreaterThanOrEqual(3)
    for (const m of messages) {
      expect(m.text.length).toBeLessThanOrEqual(4096)
      expect((m.text.match(/<pre>|<pre><code[^>]*>/g) ?? []).length).toBe((m.text.match(/<\/pre>/g) ?? []).length)
    }
    // In order: paragraph numbers and code lines only ever go up.
    const all = messages.map((m) => m.plainText).join('\n')
    const seen = [...all.matchAll(/Paragraph (\d+)|const line(\d+)/g)].map((m) => (m[1] ? Number(m[1]) * 1000 : 12_500 + Number(m[2])))
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(new Set(seen).size).toBe(24 + 60)
  })

  it('streams a reply by editing one draft message, with typing while busy, ignoring "message is not modified"', async () => {
    gw = await startTelegramGateway({ config: { streaming: { throttleMs: 100 } } })
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')
    gw.model.reply({ text: words, chunkDelayMs: 40 })
    // Telegram's answer to an edit that changes nothing: ignored, never a resend.
    gw.tg.failNext('editMessageText', { status: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    gw.tg.sendDm(ada, 'stream please')
    await until(() => gw!.tg.messagesTo(ada.id)[0]?.plainText === words, 20_000, 'final text')
    const [draft] = gw.tg.messagesTo(ada.id)
    expect(gw.tg.messagesTo(ada.id)).toHaveLength(1)
    expect(draft!.edits.length).toBeGreaterThanOrEqual(2)
    expect(draft!.originalText.length).toBeLessThan(words.length)
    expect(gw.tg.chatActions.filter((a) => a.chatId === ada.id).length).toBeGreaterThanOrEqual(1)
    expect(await gw.gateway.delivery.deadLetters({ channel: 'telegram' })).toEqual([])
  })

  it('renders the first draft once: markdown is never shown as escaped HTML tags', async () => {
    gw = await startTelegramGateway({ config: { streaming: { throttleMs: 100 } } })
    gw.model.reply({ text: '**A&B** then more words here', chunkDelayMs: 100 })
    const ada = gw.tg.user()
    gw.tg.sendDm(ada, 'bold please')
    await until(() => gw!.tg.messagesTo(ada.id)[0]?.plainText === 'A&B then more words here', 20_000, 'final text')
    const [draft] = gw.tg.messagesTo(ada.id)
    expect(draft!.originalText).toBe('<b>A&amp;B</b>')
    for (const version of [draft!.originalText, ...draft!.edits.map((e) => e.text)]) expect(version).not.toContain('&lt;b&gt;')
  })

  it('streams by whole paragraphs with streaming block', async () => {
    gw = await startTelegramGateway({ telegram: { streaming: 'block' }, config: { streaming: { throttleMs: 100 } } })
    const paragraphs = Array.from({ length: 4 }, (_, p) => Array.from({ length: 10 }, (_, w) => `p${p}w${w}`).join(' '))
    const text = paragraphs.join('\n\n')
    gw.model.reply({ text, chunkDelayMs: 30 })
    const ada = gw.tg.user()
    gw.tg.sendDm(ada, 'paragraphs please')
    await until(() => gw!.tg.messagesTo(ada.id)[0]?.plainText.includes('p3w9'), 20_000, 'final text')
    const [draft] = gw.tg.messagesTo(ada.id)
    const versions = [draft!.originalText, ...draft!.edits.map((e) => e.plainText)]
    expect(versions.length).toBeGreaterThanOrEqual(2)
    for (const version of versions) expect(paragraphs.some((_, i) => version.trim() === paragraphs.slice(0, i + 1).join('\n\n'))).toBe(true)
  })
})
