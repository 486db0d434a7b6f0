import { describe, expect, it } from 'vitest'
import { sessionKeyFromHeaders, toSessionKeyHeader } from './session-key-header.js'

describe('toSessionKeyHeader', () => {
  it('should leave a printable ASCII key as it is', () => {
    expect(toSessionKeyHeader('agent:main:openai-user:ada%20lovelace')).toBe('agent:main:openai-user:ada%20lovelace')
  })

  it('should percent-encode everything else as UTF-8, so Node accepts it as a header value', () => {
    expect(toSessionKeyHeader('agent:main:openai-user:李雷')).toBe('agent:main:openai-user:%E6%9D%8E%E9%9B%B7')
    expect(toSessionKeyHeader('agent:main:josé-🦀')).toBe('agent:main:jos%C3%A9-%F0%9F%A6%80')
    expect(toSessionKeyHeader('a\u{7f}\ud800b')).toBe('a%7F%EF%BF%BDb')
  })
})

describe('sessionKeyFromHeaders', () => {
  const from = (value: string | string[] | undefined) => sessionKeyFromHeaders({ 'x-openclaw-session-key': value })

  it('should read back what toSessionKeyHeader wrote', () => {
    for (const key of ['agent:main:openai-user:李雷', 'agent:main:josé-🦀', 'incident-42', 'agent:main:openai-user:a%20b', 'ünïcödé ✓']) {
      expect(from(toSessionKeyHeader(key))).toBe(key)
    }
  })

  it('should decode raw UTF-8 bytes, which Node reads as Latin-1', () => {
    expect(from(Buffer.from('agent:main:café', 'utf8').toString('latin1'))).toBe('agent:main:café')
  })

  it('should keep what is not UTF-8: Latin-1 text, stray escapes, ASCII escapes', () => {
    expect(from('agent:main:\xc4da')).toBe('agent:main:\xc4da')
    expect(from('agent:main:%E6%9D')).toBe('agent:main:%E6%9D')
    expect(from('agent:main:%A0x%41')).toBe('agent:main:%A0x%41')
  })

  it('should take the first of repeated headers, trimmed, and nothing for a blank one', () => {
    expect(from([' first ', 'second'])).toBe('first')
    expect(from('  ')).toBeUndefined()
    expect(from(undefined)).toBeUndefined()
  })
})
