import { randomUUID } from 'node:crypto'
import type { ModelStreamEvent, ToolCall, Usage } from '@openclaw/plugin-sdk'
import { OPENAI_ERR_UPSTREAM } from './errors.js'
import type { SseEvent } from '@openclaw/plugin-sdk'
import type { ModelCallContext } from './upstream-error.js'

type FinishReason = Extract<ModelStreamEvent, { type: 'finish' }>['reason']

interface ToolCallDelta {
  readonly index?: number
  readonly id?: string
  readonly function?: { readonly name?: string; readonly arguments?: unknown }
}

/** Token counts as Chat Completions sends them, streaming or not. */
export interface WireUsage {
  readonly prompt_tokens?: number
  readonly completion_tokens?: number
  readonly total_tokens?: number
}

interface ChatCompletionChunk {
  readonly choices?: readonly {
    readonly index?: number
    readonly delta?: {
      readonly content?: string | null
      readonly refusal?: string | null
      readonly tool_calls?: readonly ToolCallDelta[] | null
    }
    readonly finish_reason?: string | null
  }[]
  readonly usage?: WireUsage | null
  readonly error?: unknown
}

/** A tool call as read so far: its arguments as text. */
export interface PendingToolCall {
  id: string
  name: string
  arguments: string
}

/**
 * Turn Chat Completions stream events into {@link ModelStreamEvent}s: text deltas as they arrive, each
 * tool call once complete (its deltas joined by `index`), then usage, then finish.
 */
export async function* readChatCompletionStream(events: AsyncIterable<SseEvent>, call: ModelCallContext): AsyncGenerator<ModelStreamEvent> {
  const { provider } = call
  const calls = new Map<number, PendingToolCall>()
  const completed: PendingToolCall[] = []
  let sawToolCalls = false
  let finishReason: string | undefined
  let usage: Usage | undefined
  let done = false

  function* flushToolCalls(): Generator<ModelStreamEvent> {
    const ready = [...completed, ...[...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call)]
    completed.length = 0
    calls.clear()
    for (const call of ready) yield { type: 'tool_call', call: toToolCall(call) }
  }

  for await (const event of events) {
    if (event.data === '[DONE]') {
      done = true
      break
    }
    if (event.data.trim() === '') continue
    const chunk = parseChunk(event.data, call)
    if (chunk.error !== undefined && chunk.error !== null) {
      throw Object.assign(new OPENAI_ERR_UPSTREAM(provider, 'error event in stream', errorText(chunk.error)), call.errorDetails(true))
    }
    if (chunk.usage) usage = toUsage(chunk.usage)
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue
      const delta = choice.delta
      if (delta?.content) yield { type: 'text', delta: delta.content }
      if (delta?.refusal) yield { type: 'text', delta: delta.refusal }
      for (const [position, part] of (delta?.tool_calls ?? []).entries()) {
        sawToolCalls = true
        addToolCallDelta(calls, completed, part, position)
      }
      if (choice.finish_reason) {
        finishReason = choice.finish_reason
        yield* flushToolCalls()
      }
    }
  }
  if (!done && finishReason === undefined) {
    throw Object.assign(new OPENAI_ERR_UPSTREAM(provider, 'stream', 'the stream ended before the response was complete'), call.errorDetails(true))
  }
  yield* flushToolCalls()
  if (usage) yield { type: 'usage', usage }
  yield { type: 'finish', reason: toFinishReason(finishReason, sawToolCalls) }
}

function parseChunk(data: string, call: ModelCallContext): ChatCompletionChunk {
  try {
    const chunk = JSON.parse(data) as unknown
    if (typeof chunk === 'object' && chunk !== null) return chunk as ChatCompletionChunk
  } catch {
    // Reported below.
  }
  throw Object.assign(new OPENAI_ERR_UPSTREAM(call.provider, 'stream', `malformed event data: ${data.slice(0, 200)}`), call.errorDetails(false))
}

/** The text of an error chunk's `error`: its `message`, or the error itself when it is no object; at most 500 characters. */
export function errorText(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? ((error as { message?: unknown }).message ?? JSON.stringify({ error })) : error
  const text = typeof message === 'string' ? message : JSON.stringify(message)
  return text.length > 500 ? `${text.slice(0, 500)}…` : text
}

/**
 * Join one tool-call delta into the call at its `index` (its position in the delta when a server
 * leaves `index` out). Another `id` or another function name at a taken index starts a new call.
 */
function addToolCallDelta(calls: Map<number, PendingToolCall>, completed: PendingToolCall[], part: ToolCallDelta, position: number): void {
  const index = part.index ?? position
  const name = part.function?.name
  let call = calls.get(index)
  if (call !== undefined && ((part.id && call.id && part.id !== call.id) || (name && call.name && name !== call.name))) {
    completed.push(call)
    call = undefined
  }
  if (call === undefined) {
    call = { id: part.id ?? '', name: '', arguments: '' }
    calls.set(index, call)
  }
  if (part.id && !call.id) call.id = part.id
  if (name && !call.name) call.name = name
  call.arguments += argumentsText(part.function?.arguments)
}

/** Tool-call arguments as sent: a string as it is, anything else as JSON (some servers send an object), nothing as ''. */
export function argumentsText(args: unknown): string {
  if (typeof args === 'string') return args
  return args === undefined || args === null ? '' : JSON.stringify(args)
}

/** A joined tool call as a {@link ToolCall}: arguments parsed, a made-up id when it has none. */
export function toToolCall(call: PendingToolCall): ToolCall {
  return { id: call.id || `call_${randomUUID()}`, name: call.name, arguments: parseArguments(call.arguments) }
}

/** Parsed JSON arguments; `{}` for none; the raw text when it is not JSON. */
function parseArguments(text: string): unknown {
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

export function toUsage(usage: WireUsage): Usage {
  const inputTokens = usage.prompt_tokens ?? 0
  const outputTokens = usage.completion_tokens ?? 0
  return { inputTokens, outputTokens, totalTokens: usage.total_tokens ?? inputTokens + outputTokens }
}

/** The finish reason of a choice; `stop` after tool calls counts as `tool_calls`. */
export function toFinishReason(reason: string | undefined, sawToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'length':
      return 'length'
    case 'content_filter':
      return 'content_filter'
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls'
    default:
      // Some compatible servers answer `stop` after tool calls.
      return sawToolCalls ? 'tool_calls' : 'stop'
  }
}
