import { randomUUID } from 'node:crypto'
import { isCodedError, type GatewayRuntime } from '@openclaw/plugin-sdk'
import { HOOKS_ERR_INVALID_REQUEST } from './errors.js'
import type { HttpHooksConfig } from './http-hooks-config.js'

/** Session namespaces no HTTP caller may write to. */
const RESERVED_PREFIXES = ['subagent:', 'cron:', 'acp:']

export interface HookTarget {
  readonly agentId: string
  readonly sessionKey: string
}

export interface HookTargetRequest {
  readonly agentId?: string | undefined
  readonly sessionKey?: string | undefined
  /** Session used when the caller sends none: a fresh `hook:<uuid>` (`/agent`) or the main session (`/wake`). */
  readonly fallback: 'fresh' | 'main'
}

function invalid(reason: string): Error {
  return new HOOKS_ERR_INVALID_REQUEST(reason)
}

/**
 * The agent and session a webhook call runs in, after the config's rules: a caller-chosen
 * `sessionKey` needs `allowRequestSessionKey` (and a matching prefix when prefixes are set), never
 * a reserved namespace; the agent must exist and be in `allowedAgentIds` when that is set.
 * Throws `HOOKS_ERR_INVALID_REQUEST` otherwise.
 */
export function resolveHookTarget(gateway: GatewayRuntime, config: HttpHooksConfig, request: HookTargetRequest): HookTarget {
  let sessionKey: string | undefined
  if (request.sessionKey !== undefined) {
    if (!config.allowRequestSessionKey) {
      throw invalid('sessionKey is not accepted: set hooks.allowRequestSessionKey to true to let webhook callers choose the session')
    }
    sessionKey = request.sessionKey
  } else if (request.fallback === 'fresh') {
    sessionKey = config.defaultSessionKey ?? `hook:${randomUUID()}`
  }

  let target: HookTarget
  try {
    target = gateway.agent.resolveSessionKey({
      ...(request.agentId !== undefined ? { agentId: request.agentId } : {}),
      ...(sessionKey !== undefined ? { sessionKey } : {}),
    })
  } catch (err) {
    // Unknown agent, malformed key, key of another agent: the caller's mistake.
    if (isCodedError(err) && err.statusCode === 400) throw invalid(err.message)
    throw err
  }

  const allowedAgents = config.allowedAgentIds
  if (allowedAgents !== undefined && !allowedAgents.includes('*') && !allowedAgents.map((a) => a.toLowerCase()).includes(target.agentId)) {
    throw invalid(`Agent '${target.agentId}' is not allowed for webhooks (hooks.allowedAgentIds)`)
  }

  if (request.sessionKey !== undefined) {
    const rest = target.sessionKey.slice(`agent:${target.agentId}:`.length)
    if (RESERVED_PREFIXES.some((prefix) => rest.startsWith(prefix))) {
      throw invalid(`sessionKey '${request.sessionKey}' is in a reserved namespace (${RESERVED_PREFIXES.join(', ')})`)
    }
    const prefixes = config.allowedSessionKeyPrefixes?.map((p) => p.toLowerCase())
    if (prefixes !== undefined && !prefixes.some((p) => rest.startsWith(p) || target.sessionKey.startsWith(p))) {
      throw invalid(`sessionKey '${request.sessionKey}' does not start with an allowed prefix (hooks.allowedSessionKeyPrefixes: ${prefixes.join(', ') || 'none'})`)
    }
  }
  return target
}
