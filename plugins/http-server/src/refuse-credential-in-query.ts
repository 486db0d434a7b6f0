import type { AuthLimiter } from './auth-limiter.js'

/** Parameter names (lowercased, without `-`, `_` and `.`) that carry a credential wherever they appear. */
const CREDENTIAL_WORDS = ['token', 'password', 'passwd', 'secret', 'apikey', 'credential']
/** …and names that are a credential only on their own (`?key=`, `?auth=`). */
const CREDENTIAL_NAMES = new Set(['key', 'auth', 'authorization', 'pass', 'pwd', 'sig', 'signature', 'bearer'])

/** The first query parameter whose NAME says it carries a credential (`token`, `hooks_token`, `access_token`, …). */
export function credentialParamName(url: string): string | undefined {
  const q = url.indexOf('?')
  if (q === -1) return undefined
  for (const name of new URLSearchParams(url.slice(q + 1)).keys()) {
    const bare = name.toLowerCase().replace(/[-_.\s]/g, '')
    if (CREDENTIAL_NAMES.has(bare) || CREDENTIAL_WORDS.some((word) => bare.includes(word))) return name
  }
  return undefined
}

/**
 * The query-string rule of credential-checked routes: a credential in the URL (where proxies, logs
 * and browser history keep it) is refused by parameter NAME only. Values are never compared with a
 * secret, so the answer cannot tell a guess from the real thing; the refusal counts as a failed
 * authentication toward the client's lockout. `undefined` lets the request on; otherwise the caller
 * answers 400 `HTTP_ERR_QUERY_TOKEN` after `delayMs`.
 */
export function refuseCredentialInQuery(url: string, limiter: AuthLimiter, client: string): { delayMs: number } | undefined {
  if (credentialParamName(url) === undefined) return undefined
  return { delayMs: limiter.fail(client) }
}
