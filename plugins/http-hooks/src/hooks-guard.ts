import type { PluginApi } from '@openclaw/plugin-sdk'
import { refuseCredentialInQuery } from './refuse-credential-in-query.js'

/** The guard name the hooks routes ask for (`auth: 'hooks'`). */
export const HOOKS_GUARD = 'hooks'

type HttpGuardCheck = Parameters<PluginApi['http']['guard']>[1]

/**
 * The `hooks` guard: the hooks token from `Authorization: Bearer` or `X-OpenClaw-Token`, never from
 * the query string (400, by parameter name, counted); counted against the guard's own lockout, apart
 * from the gateway's.
 */
export function createHooksGuard(token: string | undefined): HttpGuardCheck {
  return (request, credentials) => {
    const refused = refuseCredentialInQuery(request.url, credentials)
    if (refused) return refused
    const header = request.headers['x-openclaw-token']
    const credential = request.bearer ?? (typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined)
    return credentials.check(token, credential)
  }
}
