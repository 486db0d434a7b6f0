import type { FinishReason, ModelProvider, ModelRequest, ModelStreamEvent, PluginDefinition, ToolCall } from '@openclaw/core'

/** A tool call the scripted model makes. */
export interface ScriptedProviderToolCall {
  readonly id?: string
  readonly name: string
  readonly arguments?: unknown
}

/** One model turn's answer: text, tool calls, or both. */
export interface ScriptedProviderReply {
  readonly text?: string
  readonly toolCalls?: readonly ScriptedProviderToolCall[]
  /** Token counts; default: the text's length in words. */
  readonly usage?: { readonly input: number; readonly output: number }
  /** Default: `tool_calls` when there are tool calls, else `stop`. */
  readonly finishReason?: FinishReason
}

/** What the scripted model does with one request: answer, or throw this error. */
export type ScriptedProviderStep = ScriptedProviderReply | { readonly error: Error }

export interface ScriptedProviderOptions {
  /** Provider id, the part before `/` in `provider/model`. Default `scripted`. */
  readonly id?: string
  /** Default `['scripted-model']`: with one provider listing models, agents use it without config. */
  readonly models?: readonly string[]
  /** Text of the answer when no step is queued and no `replyWith` fallback is set. Default `ok`. */
  readonly defaultText?: string
}

/**
 * An in-process model provider that answers with scripted steps, one per model request, in order,
 * and records every request (system prompt, messages, tools). Add `provider.plugin` to a test
 * gateway's plugins: no socket, no provider plugin, no API key.
 */
export interface ScriptedProvider extends ModelProvider {
  /** A plugin (`provider:<id>`) that registers this provider. */
  readonly plugin: PluginDefinition
  /** Every request the provider received, in order. */
  readonly requests: readonly ModelRequest[]
  /** Queue an answer. */
  reply(reply: ScriptedProviderReply): ScriptedProvider
  /** Queue a failure: the provider's stream throws `error`. */
  fail(error: Error): ScriptedProvider
  /** Decide the step of every request that finds the queue empty. */
  replyWith(fallback: (request: ModelRequest) => ScriptedProviderStep): ScriptedProvider
  /** Forget queued steps, the fallback and the recorded requests. */
  reset(): void
}

const words = (text: string) => (text.trim() === '' ? 0 : text.trim().split(/\s+/).length)

/** Make an in-process scripted model provider. */
export function createScriptedProvider(options: ScriptedProviderOptions = {}): ScriptedProvider {
  const id = options.id ?? 'scripted'
  const defaultText = options.defaultText ?? 'ok'
  const queue: ScriptedProviderStep[] = []
  const requests: ModelRequest[] = []
  let fallback: ((request: ModelRequest) => ScriptedProviderStep) | undefined
  let calls = 0

  async function* stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    requests.push({ ...request, messages: [...request.messages], tools: [...request.tools] }) // a snapshot: the runner keeps appending to its arrays
    const step = queue.shift() ?? fallback?.(request) ?? { text: defaultText }
    if (request.signal.aborted) throw request.signal.reason
    if ('error' in step) throw step.error
    const text = step.text ?? ''
    if (text !== '') yield { type: 'text', delta: text }
    const toolCalls: ToolCall[] = (step.toolCalls ?? []).map((call) => ({ id: call.id ?? `call_${id}_${++calls}`, name: call.name, arguments: call.arguments ?? {} }))
    for (const call of toolCalls) yield { type: 'tool_call', call }
    const input = step.usage?.input ?? words(request.system) + request.messages.reduce((n, m) => n + words(m.content), 0)
    const output = step.usage?.output ?? words(text)
    yield { type: 'usage', usage: { inputTokens: input, outputTokens: output, totalTokens: input + output } }
    yield { type: 'finish', reason: step.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop') }
  }

  const provider: ScriptedProvider = {
    id,
    models: options.models ?? ['scripted-model'],
    stream,
    requests,
    plugin: {
      id: `provider:${id}`,
      version: '1.0.0',
      kind: 'provider',
      register: (api) => api.providers.register(provider),
    },
    reply(reply) {
      queue.push(reply)
      return provider
    },
    fail(error) {
      queue.push({ error })
      return provider
    },
    replyWith(fn) {
      fallback = fn
      return provider
    },
    reset() {
      queue.length = 0
      requests.length = 0
      fallback = undefined
    },
  }
  return provider
}
