import { randomInt } from 'node:crypto'

/** Uppercase letters and digits without the ambiguous `0`, `O`, `1` and `I`. */
export const PAIRING_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
export const PAIRING_CODE_LENGTH = 8
/** A code expires an hour after it was issued. */
export const PAIRING_CODE_TTL_MS = 3_600_000
/** Pending requests per channel account; more are ignored until one expires or is approved. */
export const PAIRING_MAX_PENDING = 3

/** A fresh pairing code: 8 characters from {@link PAIRING_CODE_ALPHABET}, from a CSPRNG. */
export function createPairingCode(): string {
  let code = ''
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)]
  return code
}

/** A code as a user may type it (lowercase, spaces, dashes) back in canonical form, or undefined. */
export function normalisePairingCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, '').toUpperCase()
  if (code.length !== PAIRING_CODE_LENGTH) return undefined
  for (const c of code) if (!PAIRING_CODE_ALPHABET.includes(c)) return undefined
  return code
}
