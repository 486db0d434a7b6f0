import type { AgentRunOptions } from '@openclaw/plugin-sdk'
import type { RunContext } from './resolve-run-context.js'

/** What a request contributes to its agent run, whichever OpenAI endpoint it came from. */
export interface TurnParts {
  readonly message: string
  readonly attachments: NonNullable<AgentRunOptions['attachments']>
  readonly toolResults: NonNullable<AgentRunOptions['toolResults']>
  readonly history: NonNullable<AgentRunOptions['history']>
  readonly clientTools: NonNullable<AgentRunOptions['clientTools']>
  readonly toolChoice: AgentRunOptions['toolChoice']
  readonly instructions: string
  readonly maxTokens: number | null | undefined
  readonly temperature: number | null | undefined
}

/** The agent run options of a request: its session and agent, and only the parts it has. */
export function agentRunOptions(run: RunContext, parts: TurnParts): AgentRunOptions {
  return {
    agentId: run.session.agentId,
    sessionKey: run.session.sessionKey,
    message: parts.message,
    deliver: false,
    origin: run.origin,
    ...(parts.attachments.length > 0 ? { attachments: parts.attachments } : {}),
    ...(parts.toolResults.length > 0 ? { toolResults: parts.toolResults } : {}),
    ...(parts.history.length > 0 ? { history: parts.history } : {}),
    ...(parts.clientTools.length > 0 ? { clientTools: parts.clientTools } : {}),
    ...(parts.toolChoice !== undefined ? { toolChoice: parts.toolChoice } : {}),
    ...(parts.instructions !== '' ? { instructions: parts.instructions } : {}),
    ...(run.model !== undefined ? { model: run.model } : {}),
    ...(run.idempotencyKey !== undefined ? { idempotencyKey: run.idempotencyKey } : {}),
    ...(parts.maxTokens != null ? { maxTokens: parts.maxTokens } : {}),
    ...(parts.temperature != null ? { temperature: parts.temperature } : {}),
  }
}
