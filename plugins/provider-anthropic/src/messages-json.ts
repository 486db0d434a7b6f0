import type { ModelStreamEvent } from '@openclaw/plugin-sdk'
import { ANTHROPIC_ERR_UPSTREAM } from './errors.js'
import { streamError, toFinishReason, toolInput, toUsage, type WireUsage } from './messages-stream.js'
import type { ModelCallContext } from './upstream-error.js'

interface ContentBlock {
  readonly type?: string
  readonly text?: string
  readonly id?: string
  readonly name?: string
  readonly input?: unknown
}

/** A whole Messages answer (a `message` object, or an `error` one), as far as this provider reads it. */
interface Message {
  readonly type?: string
  readonly content?: readonly (ContentBlock | null)[]
  readonly stop_reason?: string | null
  readonly usage?: WireUsage | null
  readonly error?: { readonly type?: string; readonly message?: string } | null
}

/**
 * Turn a whole Messages answer (a `message` object, the answer to `stream: false`) into the events the
 * stream reader yields for the same answer: the text of its `text` blocks as one `text` event, each
 * `tool_use` block as a tool call, then usage (cache reads and writes counted as input), then finish.
 * Thinking blocks (`thinking`, `redacted_thinking`) and block types newer than this code are read past;
 * an `error` answer throws as an `error` event does.
 */
export function* readMessage(body: unknown, call: ModelCallContext): Generator<ModelStreamEvent> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformed('the answer is not an object', body, call)
  const message = body as Message
  if (message.type === 'error' || (message.error !== undefined && message.error !== null)) throw streamError(message.error ?? undefined, call)
  if (!Array.isArray(message.content)) throw malformed('the answer has no content', body, call)
  const blocks = message.content.filter((block): block is ContentBlock => typeof block === 'object' && block !== null)

  const text = blocks.flatMap((block) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : [])).join('')
  if (text !== '') yield { type: 'text', delta: text }
  let sawToolCalls = false
  for (const block of blocks) {
    if (block.type !== 'tool_use') continue
    sawToolCalls = true
    const id = block.id ?? ''
    const name = block.name ?? ''
    yield { type: 'tool_call', call: { id, name, arguments: toolInput({ id, name, input: block.input, json: '' }) } }
  }
  if (typeof message.usage === 'object' && message.usage !== null) yield { type: 'usage', usage: toUsage(message.usage) }
  yield { type: 'finish', reason: toFinishReason(message.stop_reason ?? undefined, sawToolCalls) }
}

/** A non-retryable error for an answer this reader cannot make sense of, quoting its start. */
function malformed(what: string, body: unknown, call: ModelCallContext) {
  const sample = JSON.stringify(body) ?? String(body)
  return Object.assign(new ANTHROPIC_ERR_UPSTREAM(call.provider, 'answer', `${what}: ${sample.slice(0, 200)}`), call.errorDetails(false))
}
