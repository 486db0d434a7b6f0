import type { ModelStreamEvent } from '@openclaw/plugin-sdk'
import { argumentsText, errorText, toFinishReason, toToolCall, toUsage, type WireUsage } from './chat-completion-stream.js'
import { OPENAI_ERR_UPSTREAM } from './errors.js'
import type { ModelCallContext } from './upstream-error.js'

interface WireToolCall {
  readonly id?: string | null
  readonly function?: { readonly name?: string | null; readonly arguments?: unknown } | null
}

/** A whole Chat Completions answer (`chat.completion`), as far as this provider reads it. */
interface ChatCompletion {
  readonly choices?: readonly ({
    readonly index?: number
    readonly message?: {
      readonly content?: string | null
      readonly refusal?: string | null
      readonly tool_calls?: readonly WireToolCall[] | null
    } | null
    readonly finish_reason?: string | null
  } | null)[]
  readonly usage?: WireUsage | null
  readonly error?: unknown
}

/**
 * Turn a whole Chat Completions answer (a `chat.completion` object, the answer to `stream: false`) into
 * the events the stream reader yields for the same answer: the text (`content`, or `refusal`) as one
 * `text` event, each tool call, usage, then finish. An `error` object throws as an error event does.
 */
export function* readChatCompletion(body: unknown, call: ModelCallContext): Generator<ModelStreamEvent> {
  const { provider } = call
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformed('the answer is not an object', body, call)
  const answer = body as ChatCompletion
  if (answer.error !== undefined && answer.error !== null) {
    throw Object.assign(new OPENAI_ERR_UPSTREAM(provider, 'error in answer', errorText(answer.error)), call.errorDetails(true))
  }
  const choice = Array.isArray(answer.choices) ? answer.choices.find((c) => (c?.index ?? 0) === 0) : undefined
  if (choice === undefined || choice === null) throw malformed('the answer has no choice', body, call)

  const message = choice.message
  const text = [message?.content, message?.refusal].filter((part) => typeof part === 'string').join('')
  if (text !== '') yield { type: 'text', delta: text }
  const toolCalls = message?.tool_calls ?? []
  for (const part of toolCalls) {
    yield { type: 'tool_call', call: toToolCall({ id: part.id ?? '', name: part.function?.name ?? '', arguments: argumentsText(part.function?.arguments) }) }
  }
  if (answer.usage) yield { type: 'usage', usage: toUsage(answer.usage) }
  yield { type: 'finish', reason: toFinishReason(choice.finish_reason ?? undefined, toolCalls.length > 0) }
}

/** A non-retryable error for an answer this reader cannot make sense of, quoting its start. */
function malformed(what: string, body: unknown, call: ModelCallContext) {
  const sample = JSON.stringify(body) ?? String(body)
  return Object.assign(new OPENAI_ERR_UPSTREAM(call.provider, 'answer', `${what}: ${sample.slice(0, 200)}`), call.errorDetails(false))
}
