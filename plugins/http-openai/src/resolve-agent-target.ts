import type { IncomingHttpHeaders } from 'node:http'
import { OAI_ERR_AGENT_UNKNOWN, OAI_ERR_MODEL_INVALID } from './errors.js'
import { invalidParam, withParam } from './openai-error.js'

const AGENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/
const AGENT_MODEL = /^(?:openclaw[/:]|agent:)(.+)$/i
const ACCEPTED_FORMS = "'openclaw' (default agent), 'openclaw/<agentId>', 'openclaw:<agentId>' or 'agent:<agentId>', or select the agent with the x-openclaw-agent-id header"

/** Headers that select the agent; the first wins over `model`. */
export const AGENT_HEADERS = ['x-openclaw-agent-id', 'x-openclaw-agent'] as const

/** The agent a request runs on. */
export interface AgentTarget {
  readonly agentId: string
  /** False when the request left the choice to the gateway (`openclaw`, `openclaw/default`). */
  readonly explicit: boolean
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  const first = Array.isArray(value) ? value[0] : value
  return first?.trim() || undefined
}

function checkKnown(agentId: string, agentIds: readonly string[], param: string): string {
  const id = agentId.trim().toLowerCase()
  if (!AGENT_ID.test(id) || !agentIds.includes(id)) throw withParam(new OAI_ERR_AGENT_UNKNOWN(agentId, agentIds.join(', ')), param)
  return id
}

/**
 * Pick the agent: the `x-openclaw-agent-id` header (alias `x-openclaw-agent`) wins; otherwise `model`
 * is `openclaw`, `openclaw/default`, `openclaw/<id>`, `openclaw:<id>` or `agent:<id>`. Other model
 * strings are refused: they would silently run the default agent.
 */
export function resolveAgentTarget(input: {
  readonly model: string
  readonly headers: IncomingHttpHeaders
  readonly agentIds: readonly string[]
  readonly defaultAgentId: string
}): AgentTarget {
  for (const name of AGENT_HEADERS) {
    const value = header(input.headers, name)
    if (value !== undefined) return { agentId: checkKnown(value, input.agentIds, name), explicit: true }
  }
  const model = input.model.trim()
  if (/^openclaw(?:[/:]default)?$/i.test(model)) return { agentId: input.defaultAgentId, explicit: false }
  const match = AGENT_MODEL.exec(model)
  if (!match) {
    if (model === '') throw invalidParam('model', `must not be empty; use ${ACCEPTED_FORMS}`)
    throw withParam(new OAI_ERR_MODEL_INVALID(model, ACCEPTED_FORMS), 'model')
  }
  return { agentId: checkKnown(match[1]!, input.agentIds, 'model'), explicit: true }
}
