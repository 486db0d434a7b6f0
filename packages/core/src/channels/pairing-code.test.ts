import { describe, expect, it } from 'vitest'
import { createPairingCode, normalisePairingCode, PAIRING_CODE_ALPHABET } from './pairing-code.js'

describe('pairing codes', () => {
  it('are 8 uppercase characters without 0, O, 1 or I', () => {
    for (let i = 0; i < 200; i++) {
      const code = createPairingCode()
      expect(code).toMatch(/^[A-Z2-9]{8}$/)
      expect(code).not.toMatch(/[01OI]/)
    }
    expect(PAIRING_CODE_ALPHABET).toHaveLength(32)
  })

  it('differ from one another', () => {
    expect(new Set(Array.from({ length: 100 }, createPairingCode)).size).toBe(100)
  })

  it('are read back from what a user types, and refused when malformed', () => {
    expect(normalisePairingCode(' abcd-efgh ')).toBe('ABCDEFGH')
    expect(normalisePairingCode('ABCDEFG0')).toBeUndefined()
    expect(normalisePairingCode('ABC')).toBeUndefined()
  })
})
