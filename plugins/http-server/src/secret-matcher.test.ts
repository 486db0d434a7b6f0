import { describe, expect, it } from 'vitest'
import { createSecretMatcher } from './secret-matcher.js'

describe('createSecretMatcher', () => {
  it('should match only the exact secret, whatever the length presented', () => {
    const matches = createSecretMatcher('s3cret')
    expect(matches('s3cret')).toBe(true)
    expect(matches('s3cre')).toBe(false)
    expect(matches('s3cret!')).toBe(false)
    expect(matches('')).toBe(false)
  })

  it('should match nothing without a secret', () => {
    expect(createSecretMatcher(undefined)('')).toBe(false)
    expect(createSecretMatcher('')('')).toBe(false)
  })
})
