import type { PluginApi } from '@openclaw/plugin-sdk'
import { HOOKS_ERR_QUERY_TOKEN } from './errors.js'

/** The guard name the hooks routes ask for (`auth: 'hooks'`). */
export const HOOKS_GUARD = 'hooks'

type HttpGuardCheck = Parameters<PluginApi['http']['guard']>[1]
/** Checks a presented value against one secret in constant time. */
type SecretMatcher = (presented: string) => boolean

// Moved here unchanged from core:http (http-server.ts), which no longer knows the hooks plugin.
/**
 * True when the query string carries something named like a token (`?token=`, `?hooksToken=`…), or
 * any value that is a secret of the gateway, whatever its name (`?key=<hooks token>`).
 */
function hasQueryToken(url: string, secrets: readonly (SecretMatcher | undefined)[]): boolean {
  const q = url.indexOf('?')
  if (q === -1) return false
  for (const [key, value] of new URLSearchParams(url.slice(q + 1))) {
    if (/token/i.test(key) || (value !== '' && secrets.some((matches) => matches?.(value)))) return true
  }
  return false
}


/**
 * The `hooks` guard: the hooks token from `Authorization: Bearer` or `X-OpenClaw-Token`, never from
 * the query string (400); counted against the guard's own lockout, apart from the gateway's.
 */
export function createHooksGuard(token: string | undefined, gatewayMatches: SecretMatcher): HttpGuardCheck {
  return (request, credentials) => {
    const hooksSecret: SecretMatcher = (value) => credentials.matches(token, value)
    if (hasQueryToken(request.url, [hooksSecret, gatewayMatches])) return { ok: false, reason: 'refused', error: new HOOKS_ERR_QUERY_TOKEN() }
    const header = request.headers['x-openclaw-token']
    const credential = request.bearer ?? (typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined)
    return credentials.check(token, credential)
  }
}
