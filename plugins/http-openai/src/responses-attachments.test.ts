import { describe, expect, it } from 'vitest'
import { ResponsesConfigSchema } from './openai-endpoints-config.js'
import { toResponsesMedia } from './responses-attachments.js'

const config = ResponsesConfigSchema.parse({ maxUrlParts: 1, files: { maxChars: 10 } })
const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('toResponsesMedia', () => {
  it('should pass images and PDFs on as attachments, and URLs as URLs', () => {
    const media = toResponsesMedia(
      [
        { kind: 'image', data: 'data:image/png;base64,AAAA', param: 'p0' },
        { kind: 'file', data: b64('%PDF-1.4'), mimeType: 'application/pdf', filename: 'a.pdf', param: 'p1' },
        { kind: 'image', url: 'https://example.com/a.png', param: 'p2' },
      ],
      config,
    )
    expect(media.attachments).toEqual([
      { kind: 'image', data: 'AAAA', mimeType: 'image/png' },
      { kind: 'file', data: b64('%PDF-1.4'), mimeType: 'application/pdf', name: 'a.pdf' },
      { kind: 'image', url: 'https://example.com/a.png' },
    ])
    expect(media.fileTexts).toEqual([])
  })

  it('should wrap text files as untrusted content, cut at maxChars, with the type guessed from the name', () => {
    const { fileTexts, attachments } = toResponsesMedia([{ kind: 'file', data: b64('0123456789abcdef'), filename: 'notes.md', param: 'p' }], config)
    expect(attachments).toEqual([])
    expect(fileTexts[0]).toMatch(/^<<<EXTERNAL_UNTRUSTED_CONTENT id="([0-9a-f]+)">>>\nSource: file "notes.md" \(text\/markdown\)\n---\n0123456789\n\[… cut at 10 characters\]\n<<<END_EXTERNAL_UNTRUSTED_CONTENT id="\1">>>$/)
  })

  it('should enforce URL count, MIME types, sizes and base64', () => {
    const twoUrls = [
      { kind: 'image' as const, url: 'https://example.com/a.png', param: 'a' },
      { kind: 'image' as const, url: 'https://example.com/b.png', param: 'b' },
    ]
    expect(() => toResponsesMedia(twoUrls, config)).toThrow(/at most 1 URL/)
    expect(() => toResponsesMedia([{ kind: 'image', data: 'data:image/svg+xml;base64,AAAA', param: 'p' }], config)).toThrow(/image\/svg\+xml/)
    expect(() => toResponsesMedia([{ kind: 'file', data: 'not base64!', mimeType: 'text/plain', param: 'p' }], config)).toThrow(/base64/)
    const small = ResponsesConfigSchema.parse({ images: { maxBytes: 2 } })
    expect(() => toResponsesMedia([{ kind: 'image', data: 'data:image/png;base64,AAAA', param: 'p' }], small)).toThrow(/larger than 2 bytes/)
    const noUrls = ResponsesConfigSchema.parse({ images: { allowUrl: false } })
    expect(() => toResponsesMedia([twoUrls[0]!], noUrls)).toThrow(/not accepted/)
  })
})
