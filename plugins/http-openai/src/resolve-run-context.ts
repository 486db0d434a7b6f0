import type { IncomingHttpHeaders } from 'node:http'
import type { GatewayRuntime } from '@openclaw/plugin-sdk'
import { invalidParam } from './openai-error.js'
import { resolveAgentTarget, type AgentTarget } from './resolve-agent-target.js'
import { resolveRunSession, type RunSession } from './resolve-run-session.js'

export const MODEL_HEADER = 'x-openclaw-model'
export const CHANNEL_HEADER = 'x-openclaw-message-channel'
export const IDEMPOTENCY_HEADER = 'idempotency-key'

const PROVIDER_MODEL = /^[^/\s]+\/\S+$/
const MAX_IDEMPOTENCY_KEY = 200

/** Where and how a request's agent run happens. */
export interface RunContext {
  readonly target: AgentTarget
  readonly session: RunSession
  /** `x-openclaw-model`: the backend model for this run (`provider/model`). */
  readonly model: string | undefined
  /** Who is calling: an HMAC of the credential, so ids handed out can be tied to their caller. */
  readonly subject: string
  readonly idempotencyKey: string | undefined
  readonly origin: { readonly channel: string; readonly peer?: string }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  const first = Array.isArray(value) ? value[0] : value
  return first?.trim() || undefined
}

/** Resolve agent, session, model override, caller and idempotency key of a request. */
export async function resolveRunContext(input: {
  readonly gateway: Pick<GatewayRuntime, 'agent' | 'sessions' | 'registry'>
  readonly headers: IncomingHttpHeaders
  /** Who is calling (`CallerSubjects.of`). */
  readonly subject: string
  readonly model: string
  readonly user: string | undefined
  readonly prefix: string
  /** Continue a known session instead of picking one (`previous_response_id`); may refuse the target. */
  readonly continueSession?: (target: AgentTarget) => Promise<RunSession>
}): Promise<RunContext> {
  const { gateway, headers } = input
  const target = resolveAgentTarget({
    model: input.model,
    headers,
    agentIds: gateway.agent.agentIds(),
    defaultAgentId: gateway.agent.resolveSessionKey({}).agentId,
  })
  const session = await (input.continueSession?.(target) ?? resolveRunSession({ gateway, target, headers, user: input.user, prefix: input.prefix }))

  const model = header(headers, MODEL_HEADER)
  if (model !== undefined && !PROVIDER_MODEL.test(model)) throw invalidParam(MODEL_HEADER, 'expected "provider/model", e.g. "openai/gpt-4o-mini"')
  // The caller chose it: a provider that is not installed is their mistake (400), not the gateway's (503).
  const providers = input.gateway.registry.providers
  const provider = model?.slice(0, model.indexOf('/'))
  if (provider !== undefined && !providers.has(provider)) {
    throw invalidParam(MODEL_HEADER, `no provider '${provider}' is installed (installed: ${providers.keys().join(', ') || 'none'})`)
  }

  const subject = input.subject
  const key = header(headers, IDEMPOTENCY_HEADER)
  if (key !== undefined && key.length > MAX_IDEMPOTENCY_KEY) throw invalidParam(IDEMPOTENCY_HEADER, `longer than ${MAX_IDEMPOTENCY_KEY} characters`)
  const channel = header(headers, CHANNEL_HEADER)?.toLowerCase() ?? 'openai-http'
  const user = input.user?.trim()

  return {
    target,
    session,
    model,
    subject,
    // Scoped to the caller, the surface and the session asked for, so two clients (or two users of
    // one credential) never share a run by accident. A fresh per-request session is no choice: a
    // retry gets a new one, so it does not scope.
    idempotencyKey: key === undefined ? undefined : `${input.prefix}:${subject.slice(0, 16)}:${session.fresh ? '' : session.sessionKey}:${key}`,
    origin: { channel, ...(user ? { peer: user } : {}) },
  }
}
