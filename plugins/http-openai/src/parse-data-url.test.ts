import { describe, expect, it } from 'vitest'
import { base64Bytes, parseDataUrl } from './parse-data-url.js'

describe('parseDataUrl', () => {
  it('should split a base64 data URL into type, data and decoded size', () => {
    expect(parseDataUrl('data:image/PNG;base64,aGVsbG8=')).toEqual({ mimeType: 'image/png', data: 'aGVsbG8=', bytes: 5 })
  })

  it('should flag data URLs that are not base64, and ignore other URLs', () => {
    expect(parseDataUrl('data:text/plain,hello')).toBe('not-base64')
    expect(parseDataUrl('data:image/png;base64,not base64!')).toBe('not-base64')
    expect(parseDataUrl('https://example.com/a.png')).toBeUndefined()
  })

  it('should count decoded bytes with and without padding', () => {
    expect(base64Bytes('aGk=')).toBe(2)
    expect(base64Bytes('aGVsbG8h')).toBe(6)
  })
})
