import type { GatewayAuth } from '@openclaw/plugin-sdk'
import type { AuthLimiter } from './auth-limiter.js'
import type { SecretMatcher } from './secret-matcher.js'

/** What a credential check decides (the shape of `GatewayAuth.verify`). */
export type AuthVerdict = ReturnType<GatewayAuth['verify']>

const ACCEPTED: AuthVerdict = { ok: true }

/**
 * A credential a client presents, checked against `matches` and counted by `limiter`: a locked-out
 * client is refused whatever it presents; a missing credential guesses nothing and is not counted;
 * a wrong one is counted and should be answered `delayMs` later; a right one clears the count.
 * The one check behind every gateway and hooks route and `GatewayAuth.verify` (WebSocket handshakes).
 */
export function checkCredential(limiter: AuthLimiter, matches: SecretMatcher, client: string, presented: string | undefined): AuthVerdict {
  const lockedSeconds = limiter.lockedFor(client)
  if (lockedSeconds > 0) return { ok: false, reason: 'locked', retryAfterMs: lockedSeconds * 1000 }
  if (presented === undefined || presented === '') return { ok: false, reason: 'missing' }
  if (!matches(presented)) return { ok: false, reason: 'mismatch', delayMs: limiter.fail(client) }
  limiter.succeed(client)
  return ACCEPTED
}
