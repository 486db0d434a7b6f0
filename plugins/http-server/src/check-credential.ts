import type { GatewayAuth } from '@openclaw/plugin-sdk'
import type { AuthLimiter } from './auth-limiter.js'
import type { SecretMatcher } from './secret-matcher.js'

/** What a credential check decides (the shape of `GatewayAuth.verify`). */
export type AuthVerdict = ReturnType<GatewayAuth['verify']>

const ACCEPTED: AuthVerdict = { ok: true }

/**
 * A credential a client presents, checked against `matches` and counted by `limiter`. The right
 * credential is always accepted, even while the client's address is locked out: the lockout slows
 * guessing and never blocks the owner. Anything else from a locked-out client is refused (a wrong
 * credential is still counted, so guessing on keeps the lock). Otherwise a missing credential
 * guesses nothing and is not counted; a wrong one is counted and should be answered `delayMs` later.
 * A success does not wipe the failures: someone sharing the owner's address gains no fresh guesses
 * from the owner's traffic (failures expire with their window).
 * The one check behind every gateway and hooks route and `GatewayAuth.verify` (WebSocket handshakes).
 */
export function checkCredential(limiter: AuthLimiter, matches: SecretMatcher, client: string, presented: string | undefined): AuthVerdict {
  const given = presented !== undefined && presented !== ''
  if (given && matches(presented)) return ACCEPTED
  const lockedSeconds = limiter.lockedFor(client)
  if (lockedSeconds > 0) {
    if (given) limiter.fail(client)
    return { ok: false, reason: 'locked', retryAfterMs: limiter.lockedFor(client) * 1000 }
  }
  if (!given) return { ok: false, reason: 'missing' }
  return { ok: false, reason: 'mismatch', delayMs: limiter.fail(client) }
}
