import { describe, expect, it } from 'vitest'
import { BotApiError } from './bot-api-error.js'
import { parseMultipart } from './parse-multipart.js'
import { parseParams } from './parse-params.js'
import { parseTelegramHtml } from './parse-telegram-html.js'

const url = new URL('http://127.0.0.1/botX/sendMessage')

describe('fake Telegram: request bodies', () => {
  it('reads multipart parts in the shapes grammY and FormData send', () => {
    const body = Buffer.from(
      [
        '--b0',
        'content-disposition:form-data;name="chat_id"',
        '',
        '42',
        '--b0',
        'Content-Disposition: form-data; name="photo"; filename="a \\"b\\".png"',
        'Content-Type: image/png',
        '',
        'PNGDATA',
        '--b0',
        'content-disposition:form-data;name="x1";filename=raw.bin',
        'content-type:application/octet-stream',
        '',
        'line1\r\nline2',
        '--b0--',
        '',
      ].join('\r\n'),
    )
    const parts = parseMultipart(body, 'b0')
    expect(parts.map((part) => [part.name, part.fileName, part.contentType, part.data.toString()])).toEqual([
      ['chat_id', undefined, undefined, '42'],
      ['photo', 'a "b".png', 'image/png', 'PNGDATA'],
      ['x1', 'raw.bin', 'application/octet-stream', 'line1\r\nline2'],
    ])
    const { params, files } = parseParams(url, { 'content-type': 'multipart/form-data; boundary="b0"' }, body)
    expect(params).toEqual({ chat_id: 42 })
    expect([...files.keys()]).toEqual(['photo', 'x1'])
  })

  it('refuses broken multipart bodies with a 400, never a throw of another kind', () => {
    for (const body of ['no boundary here', '--b0\r\nno header end', '--b0\r\ncontent-disposition: form-data\r\n\r\nx\r\n--b0--', '--b0\r\ncontent-disposition: form-data; name="a"\r\n\r\nunterminated']) {
      expect(() => parseMultipart(Buffer.from(body), 'b0')).toThrow(BotApiError)
    }
    expect(() => parseParams(url, { 'content-type': 'multipart/form-data' }, Buffer.from('x'))).toThrow(/without a boundary/)
  })

  it('converts form and query strings the way Telegram reads them', () => {
    const form = new URLSearchParams({ chat_id: '-100123', text: 'true', disable_notification: 'true', reply_markup: '{"inline_keyboard":[]}', message_thread_id: 'abc' })
    const { params } = parseParams(new URL('http://127.0.0.1/botX/sendMessage?limit=5'), { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from(form.toString()))
    expect(params).toEqual({ limit: 5, chat_id: -100123, text: 'true', disable_notification: true, reply_markup: { inline_keyboard: [] }, message_thread_id: 'abc' })
    expect(() => parseParams(url, { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from('reply_markup={oops'))).toThrow("can't parse reply_markup JSON object")
  })
})

describe('fake Telegram: HTML parse mode', () => {
  it('turns tags into entities with UTF-16 offsets and decodes entities', () => {
    const parsed = parseTelegramHtml('😀 <b>bold <i>both</i></b> &lt;tag&gt; &#x41;&#66; &nbsp; <pre><code class="language-ts">x</code></pre> <tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">t</span>')
    expect(parsed.text).toBe('😀 bold both <tag> AB &nbsp; x s t')
    expect(parsed.entities).toEqual([
      { type: 'bold', offset: 3, length: 9 },
      { type: 'italic', offset: 8, length: 4 },
      { type: 'pre', language: 'ts', offset: 29, length: 1 },
      { type: 'spoiler', offset: 31, length: 1 },
      { type: 'spoiler', offset: 33, length: 1 },
    ])
  })

  it("refuses what Telegram refuses, with Telegram's wording", () => {
    expect(() => parseTelegramHtml('<div>x</div>')).toThrow('Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 0')
    expect(() => parseTelegramHtml('é <b>x')).toThrow('Can\'t find end tag corresponding to start tag "b"')
    expect(() => parseTelegramHtml('<b>x</i>')).toThrow('Unmatched end tag at byte offset 4, expected "</b>", found "</i>"')
    expect(() => parseTelegramHtml('a <b')).toThrow('Unclosed start tag at byte offset 2')
    expect(() => parseTelegramHtml('<span>x</span>')).toThrow('Tag "span" must have class "tg-spoiler"')
  })
})
