import { describe, expect, it } from 'vitest'
import { mediaKindOf, sniffMediaType } from './sniff-media.js'

describe('sniffMediaType', () => {
  it('reads the type from the bytes, whatever the file is called', () => {
    expect(sniffMediaType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png')
    expect(sniffMediaType(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('image/jpeg')
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf')
    expect(sniffMediaType(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image/webp')
    expect(sniffMediaType(Buffer.from('\u0000\u0000\u0000\u0018ftypmp42'))).toBe('video/mp4')
    expect(sniffMediaType(Buffer.from('just some notes\n'))).toBe('text/plain')
    expect(sniffMediaType(Buffer.from([0x00, 0x01, 0x02, 0xfe]))).toBe('application/octet-stream')
  })

  it('maps a type to the kind a channel sends', () => {
    expect(mediaKindOf('image/png')).toBe('image')
    expect(mediaKindOf('video/mp4')).toBe('video')
    expect(mediaKindOf('application/pdf')).toBe('file')
  })
})
