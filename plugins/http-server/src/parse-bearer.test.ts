import { describe, expect, it } from 'vitest'
import { parseBearer } from './parse-bearer.js'

describe('parseBearer', () => {
  it('should read the credential case-insensitively and trimmed', () => {
    expect(parseBearer('Bearer abc')).toBe('abc')
    expect(parseBearer('bearer   abc  ')).toBe('abc')
    expect(parseBearer('  BEARER\tabc')).toBe('abc')
  })

  it('should ignore other schemes and empty credentials', () => {
    expect(parseBearer(undefined)).toBeUndefined()
    expect(parseBearer('Basic abc')).toBeUndefined()
    expect(parseBearer('Bearer ')).toBeUndefined()
    expect(parseBearer('Bearerabc')).toBeUndefined()
  })
})
