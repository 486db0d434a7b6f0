import type { PluginApi } from '@openclaw/plugin-sdk'
import { HOOKS_ERR_QUERY_TOKEN } from './errors.js'

type HttpGuardCheck = Parameters<PluginApi['http']['guard']>[1]
type HttpGuardCredentials = Parameters<HttpGuardCheck>[1]
type HttpGuardVerdict = ReturnType<HttpGuardCheck>

/** Parameter names (lowercased, without `-`, `_`, `.`) that carry a credential wherever the word appears. */
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
 * The query-string rule of the hooks routes: a credential in the URL (where proxies, logs and browser
 * history keep it) is refused by parameter NAME only. Values are never compared with a secret, so the
 * answer cannot tell a guess from the real thing (no credential oracle); the refusal counts as a
 * failed authentication toward the client's lockout and is answered as late as one. `undefined` lets
 * the request on to the credential check.
 */
export function refuseCredentialInQuery(url: string, credentials: HttpGuardCredentials): HttpGuardVerdict | undefined {
  if (credentialParamName(url) === undefined) return undefined
  return { ok: false, reason: 'refused', error: new HOOKS_ERR_QUERY_TOKEN(), delayMs: credentials.fail() }
}
