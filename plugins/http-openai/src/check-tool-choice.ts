import type { AgentRunResult } from '@openclaw/plugin-sdk'
import { OAI_ERR_TOOL_CHOICE_UNSATISFIED } from './errors.js'
import type { ToolChoice } from './chat-completion-request.js'

/**
 * The error when `tool_choice` demanded a tool call (`required`, or a named tool) and the run made
 * none; `undefined` when the choice was honoured or did not demand anything.
 */
export function checkToolChoice(choice: ToolChoice | undefined, result: Pick<AgentRunResult, 'toolCalls'>): Error | undefined {
  if (choice === undefined || choice === 'auto' || choice === 'none') return undefined
  if (choice === 'required') return result.toolCalls.length > 0 ? undefined : new OAI_ERR_TOOL_CHOICE_UNSATISFIED("'required'")
  return result.toolCalls.some((c) => c.name === choice.name) ? undefined : new OAI_ERR_TOOL_CHOICE_UNSATISFIED(`the function '${choice.name}'`)
}
