import { randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { GatewayRuntime } from '@openclaw/plugin-sdk'
import { OAI_ERR_SESSION_KEY_RESERVED } from './errors.js'
import { withParam } from './openai-error.js'
import type { AgentTarget } from './resolve-agent-target.js'
import { SESSION_KEY_HEADER, sessionKeyFromHeaders } from './session-key-header.js'

/** Namespaces owned by the gateway itself; HTTP callers may not run turns in them. */
const RESERVED_NAMESPACES = ['subagent:', 'cron:', 'acp:'] as const

/** The session a request runs in. */
export interface RunSession {
  readonly agentId: string
  readonly sessionKey: string
  /** The session already has a transcript: it, not the request's earlier messages, is the history. */
  readonly hasHistory: boolean
  /** A new session made up for this request alone (no `user`, no session header). */
  readonly fresh?: boolean
}

/** `user` as a key segment: whitespace, control characters and `%` are percent-encoded, so distinct users stay distinct. */
export function encodeUserSegment(user: string): string {
  return user.replace(/[\s\p{Cc}%]/gu, (c) => `%${c.codePointAt(0)!.toString(16).padStart(2, '0').toUpperCase()}`)
}

function reservedNamespace(key: string): string | undefined {
  const lower = key.trim().toLowerCase()
  const rest = lower.startsWith('agent:') ? lower.split(':').slice(2).join(':') : lower
  return RESERVED_NAMESPACES.find((ns) => rest.startsWith(ns))
}

/**
 * Pick the session: the `x-openclaw-session-key` header (normalised; refused in a reserved namespace
 * or when it names another agent than the one selected explicitly), else `user` →
 * `agent:<id>:<prefix>-user:<user>`, else a fresh `agent:<id>:<prefix>:<uuid>` for this request alone.
 */
export async function resolveRunSession(input: {
  readonly gateway: Pick<GatewayRuntime, 'agent' | 'sessions'>
  readonly target: AgentTarget
  readonly headers: IncomingHttpHeaders
  readonly user: string | undefined
  /** `openai` for chat completions, `openresponses` for responses. */
  readonly prefix: string
}): Promise<RunSession> {
  const { gateway, target } = input
  const explicitKey = sessionKeyFromHeaders(input.headers)
  let resolved: { agentId: string; sessionKey: string }
  let fresh = false
  if (explicitKey !== undefined) {
    const namespace = reservedNamespace(explicitKey)
    if (namespace) throw withParam(new OAI_ERR_SESSION_KEY_RESERVED(explicitKey, namespace), SESSION_KEY_HEADER)
    try {
      // A key naming an agent wins over the gateway's default, but not over an agent the caller chose.
      resolved = gateway.agent.resolveSessionKey({
        sessionKey: explicitKey,
        ...(target.explicit || !explicitKey.toLowerCase().startsWith('agent:') ? { agentId: target.agentId } : {}),
      })
    } catch (error) {
      throw error instanceof Error ? withParam(error, SESSION_KEY_HEADER) : error
    }
  } else {
    const user = input.user?.trim()
    fresh = !user
    const rest = user ? `${input.prefix}-user:${encodeUserSegment(user)}` : `${input.prefix}:${randomUUID()}`
    try {
      resolved = gateway.agent.resolveSessionKey({ agentId: target.agentId, sessionKey: `agent:${target.agentId}:${rest}` })
    } catch (error) {
      throw error instanceof Error ? withParam(error, 'user') : error
    }
  }
  // A fresh key was made up just now: no session can have it yet.
  const info = fresh ? undefined : await gateway.sessions.get(resolved.sessionKey)
  return { ...resolved, hasHistory: (info?.messageCount ?? 0) > 0, ...(fresh ? { fresh } : {}) }
}
