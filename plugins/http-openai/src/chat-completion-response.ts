import type { AgentRunResult } from '@openclaw/plugin-sdk'
import { toolCallArguments } from './tool-call-arguments.js'

/** What `choices[0].message.content` says when the agent produced nothing at all (as OpenClaw does). */
export const EMPTY_REPLY = 'No response from OpenClaw.'

export interface ChatToolCallOut {
  readonly id: string
  readonly type: 'function'
  readonly function: { readonly name: string; readonly arguments: string }
}

/** A chat completion's `finish_reason` for a run's. */
export function chatFinishReason(reason: AgentRunResult['finishReason']): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  return reason === 'error' ? 'stop' : reason
}

/** Calls the client must run: the run's client-side tool calls. */
export function clientToolCalls(result: Pick<AgentRunResult, 'toolCalls'>): ChatToolCallOut[] {
  return result.toolCalls
    .filter((c) => c.clientSide)
    .map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: toolCallArguments(c) } }))
}

/** OpenAI usage from a run's. */
export function chatUsage(result: Pick<AgentRunResult, 'usage'>): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: result.usage.inputTokens, completion_tokens: result.usage.outputTokens, total_tokens: result.usage.totalTokens }
}

/** The `chat.completion` object for a finished, successful run. */
export function toChatCompletion(input: { readonly id: string; readonly created: number; readonly model: string; readonly result: AgentRunResult }) {
  const { result } = input
  const calls = clientToolCalls(result)
  const content = calls.length > 0 ? (result.text === '' ? null : result.text) : result.text === '' ? EMPTY_REPLY : result.text
  return {
    id: input.id,
    object: 'chat.completion' as const,
    created: input.created,
    model: input.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content, refusal: null, ...(calls.length > 0 ? { tool_calls: calls } : {}) },
        logprobs: null,
        finish_reason: calls.length > 0 ? 'tool_calls' : chatFinishReason(result.finishReason),
      },
    ],
    usage: chatUsage(result),
  }
}
