import { CORE_ERR_SESSION_AGENT_MISMATCH, CORE_ERR_SESSION_KEY_INVALID } from '../errors/codes.js'

export const DEFAULT_AGENT_ID = 'main'
export const MAIN_SESSION = 'main'

const MAX_KEY_LENGTH = 256
const AGENT_PREFIX = 'agent:'
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const BAD_CHARS = /[\s\u0000-\u001f\u007f]/
/** A UTF-16 surrogate not paired with its other half: not a character, and stored as U+FFFD it would merge keys. */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * A key's identity: Unicode NFC (canonically equivalent spellings, such as `é` as one or two code
 * points, or the Kelvin sign and `K`, are one key), then lowercased. No other folding: compatibility
 * forms (`ﬁ` and `fi`) stay distinct. Lone surrogates are refused.
 */
function normalizeKey(raw: string): string {
  if (LONE_SURROGATE.test(raw)) throw new CORE_ERR_SESSION_KEY_INVALID(raw.slice(0, 40), 'contains a lone UTF-16 surrogate (not valid Unicode)')
  return raw.normalize('NFC').toLowerCase().normalize('NFC')
}

/**
 * Normalise a session key to `agent:<agentId>:<rest>` (NFC, lowercase). A bare key is scoped to the
 * agent; a key naming another agent than the requested one is refused.
 */
export function resolveSessionKey(input: { agentId?: string | undefined; sessionKey?: string | undefined }): { agentId: string; sessionKey: string } {
  const requested = input.agentId?.trim().toLowerCase() || undefined
  if (input.sessionKey === undefined || input.sessionKey.trim() === '') {
    const agentId = requested ?? DEFAULT_AGENT_ID
    return { agentId, sessionKey: `agent:${agentId}:${MAIN_SESSION}` }
  }
  const key = normalizeKey(input.sessionKey.trim())
  if (key.length > MAX_KEY_LENGTH) throw new CORE_ERR_SESSION_KEY_INVALID(key.slice(0, 40) + '…', `longer than ${MAX_KEY_LENGTH} characters`)
  if (BAD_CHARS.test(key)) throw new CORE_ERR_SESSION_KEY_INVALID(key, 'contains whitespace or control characters')
  if (key.startsWith(AGENT_PREFIX)) {
    const colon = key.indexOf(':', AGENT_PREFIX.length)
    const agentId = colon === -1 ? '' : key.slice(AGENT_PREFIX.length, colon)
    if (agentId === '' || colon === key.length - 1) throw new CORE_ERR_SESSION_KEY_INVALID(key, "expected 'agent:<agentId>:<rest>'")
    if (requested && requested !== agentId) throw new CORE_ERR_SESSION_AGENT_MISMATCH(key, requested)
    return { agentId, sessionKey: key }
  }
  const agentId = requested ?? DEFAULT_AGENT_ID
  return { agentId, sessionKey: `agent:${agentId}:${key}` }
}
