import { CORE_ERR_SESSION_AGENT_MISMATCH, CORE_ERR_SESSION_KEY_INVALID } from '../errors/codes.js'

export const DEFAULT_AGENT_ID = 'main'
export const MAIN_SESSION = 'main'

const MAX_KEY_LENGTH = 256
const AGENT_PREFIX = 'agent:'
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const BAD_CHARS = /[\s\u0000-\u001f\u007f]/

/**
 * Normalise a session key to `agent:<agentId>:<rest>` (lowercase). A bare key is scoped to the
 * agent; a key naming another agent than the requested one is refused.
 */
export function resolveSessionKey(input: { agentId?: string | undefined; sessionKey?: string | undefined }): { agentId: string; sessionKey: string } {
  const requested = input.agentId?.trim().toLowerCase() || undefined
  if (input.sessionKey === undefined || input.sessionKey.trim() === '') {
    const agentId = requested ?? DEFAULT_AGENT_ID
    return { agentId, sessionKey: `agent:${agentId}:${MAIN_SESSION}` }
  }
  const key = input.sessionKey.trim().toLowerCase()
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
