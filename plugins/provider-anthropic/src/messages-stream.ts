import type { ModelStreamEvent, Usage } from '@openclaw/plugin-sdk'
import { ANTHROPIC_ERR_RATE_LIMITED, ANTHROPIC_ERR_UPSTREAM } from './errors.js'
import type { SseEvent } from '@openclaw/plugin-sdk'
import type { ModelCallContext, UpstreamError } from './upstream-error.js'

type FinishReason = Extract<ModelStreamEvent, { type: 'finish' }>['reason']

/** Token counts as the Messages API sends them, streaming or not. */
export interface WireUsage {
  readonly input_tokens?: number | null
  readonly output_tokens?: number | null
  readonly cache_creation_input_tokens?: number | null
  readonly cache_read_input_tokens?: number | null
}

type StreamEvent =
  | { readonly type: 'message_start'; readonly message?: { readonly usage?: WireUsage } }
  | {
      readonly type: 'content_block_start'
      readonly index: number
      readonly content_block: { readonly type: string; readonly text?: string; readonly id?: string; readonly name?: string; readonly input?: unknown }
    }
  | {
      readonly type: 'content_block_delta'
      readonly index: number
      readonly delta: { readonly type: string; readonly text?: string; readonly partial_json?: string }
    }
  | { readonly type: 'content_block_stop'; readonly index: number }
  | { readonly type: 'message_delta'; readonly delta?: { readonly stop_reason?: string | null }; readonly usage?: WireUsage }
  | { readonly type: 'message_stop' }
  | { readonly type: 'ping' }
  | { readonly type: 'error'; readonly error?: { readonly type?: string; readonly message?: string } }

/** A `tool_use` block as read so far: the input of its start block, and the JSON of its deltas. */
export interface OpenToolUse {
  readonly id: string
  readonly name: string
  readonly input: unknown
  json: string
}

/** Error types of an `error` event that a later, identical request may not meet. */
const RETRYABLE_ERRORS = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error'])

/**
 * Turn Messages stream events into {@link ModelStreamEvent}s: text deltas as they arrive, each
 * `tool_use` block once it stops (its `input_json_delta`s joined), then usage, then finish. Thinking
 * blocks are read past.
 */
export async function* readMessagesStream(events: AsyncIterable<SseEvent>, call: ModelCallContext): AsyncGenerator<ModelStreamEvent> {
  const tools = new Map<number, OpenToolUse>()
  let sawToolCalls = false
  let stopReason: string | undefined
  let usage: WireUsage | undefined
  let done = false

  for await (const sse of events) {
    if (sse.data.trim() === '') continue
    const event = parseEvent(sse.data, call)
    switch (event.type) {
      case 'message_start': {
        usage = { ...event.message?.usage }
        break
      }
      case 'content_block_start': {
        const block = event.content_block
        if (block.type === 'text' && block.text) yield { type: 'text', delta: block.text }
        else if (block.type === 'tool_use') tools.set(event.index, { id: block.id ?? '', name: block.name ?? '', input: block.input, json: '' })
        break
      }
      case 'content_block_delta': {
        const delta = event.delta
        if (delta.type === 'text_delta' && delta.text) yield { type: 'text', delta: delta.text }
        else if (delta.type === 'input_json_delta' && delta.partial_json) {
          const tool = tools.get(event.index)
          if (tool) tool.json += delta.partial_json
        }
        break
      }
      case 'content_block_stop': {
        const tool = tools.get(event.index)
        if (tool) {
          tools.delete(event.index)
          sawToolCalls = true
          yield { type: 'tool_call', call: { id: tool.id, name: tool.name, arguments: toolInput(tool) } }
        }
        break
      }
      case 'message_delta':
        if (event.delta?.stop_reason) stopReason = event.delta.stop_reason
        // Counts here are cumulative; newer API versions repeat the input counts too.
        if (event.usage) usage = { ...usage, ...numbersOf(event.usage) }
        break
      case 'message_stop':
        done = true
        break
      case 'error':
        throw streamError(event.error, call)
      default:
        // ping, and event types newer than this code.
        break
    }
    if (done) break
  }
  if (!done) {
    throw Object.assign(new ANTHROPIC_ERR_UPSTREAM(call.provider, 'stream', 'the stream ended before message_stop'), call.errorDetails(true))
  }
  if (usage !== undefined) yield { type: 'usage', usage: toUsage(usage) }
  yield { type: 'finish', reason: toFinishReason(stopReason, sawToolCalls) }
}

function parseEvent(data: string, call: ModelCallContext): StreamEvent {
  try {
    const event = JSON.parse(data) as unknown
    if (typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string') return event as StreamEvent
  } catch {
    // Reported below.
  }
  throw Object.assign(new ANTHROPIC_ERR_UPSTREAM(call.provider, 'stream', `malformed event data: ${data.slice(0, 200)}`), call.errorDetails(false))
}

/** The error of an `error` event (or an error answer): rate limited or upstream, retryable by its type. */
export function streamError(error: { readonly type?: string; readonly message?: string } | undefined, call: ModelCallContext): UpstreamError {
  const type = error?.type ?? 'unknown_error'
  const message = error?.message ?? type
  const details = call.errorDetails(RETRYABLE_ERRORS.has(type))
  if (type === 'rate_limit_error') return Object.assign(new ANTHROPIC_ERR_RATE_LIMITED(call.provider, 429, message), details)
  return Object.assign(new ANTHROPIC_ERR_UPSTREAM(call.provider, `error event in stream: ${type}`, message), details)
}

/** Input tokens, cached ones included. */
function countInput(usage: WireUsage | undefined): number {
  return (usage?.input_tokens ?? 0) + (usage?.cache_creation_input_tokens ?? 0) + (usage?.cache_read_input_tokens ?? 0)
}

/** The joined `input_json_delta`s parsed; the start block's input when none came; the raw text when not JSON. */
export function toolInput(tool: OpenToolUse): unknown {
  if (tool.json.trim() === '') return tool.input ?? {}
  try {
    return JSON.parse(tool.json) as unknown
  } catch {
    return tool.json
  }
}

/** Usage, cache reads and writes counted as input. */
export function toUsage(usage: WireUsage): Usage {
  const inputTokens = countInput(usage)
  const outputTokens = usage.output_tokens ?? 0
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }
}

/** The usage fields that hold numbers (a `null` must not erase an earlier count). */
function numbersOf(usage: WireUsage): WireUsage {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => typeof value === 'number'))
}

/** The finish reason of a `stop_reason`: `end_turn` stop, `tool_use` tool_calls, `max_tokens` length, `refusal` content_filter. */
export function toFinishReason(reason: string | undefined, sawToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'tool_use':
      return 'tool_calls'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'refusal':
      return 'content_filter'
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop'
    default:
      return sawToolCalls ? 'tool_calls' : 'stop'
  }
}
