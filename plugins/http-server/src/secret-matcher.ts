import { createHash, timingSafeEqual } from 'node:crypto'

/** Checks a presented credential against one secret in constant time. */
export type SecretMatcher = (presented: string) => boolean

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

/**
 * A matcher for `secret`. Both sides are hashed first, so the comparison always runs on two 32-byte
 * digests: neither the secret's length nor the position of the first wrong byte leaks through timing.
 * With no secret, nothing matches.
 */
export function createSecretMatcher(secret: string | undefined): SecretMatcher {
  if (secret === undefined || secret === '') return () => false
  const expected = digest(secret)
  return (presented) => timingSafeEqual(digest(presented), expected)
}
