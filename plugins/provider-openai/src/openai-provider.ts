import { setTimeout as sleep } from 'node:timers/promises'
import { defineProvider, type ModelProvider, type ModelRequest, type ModelStreamEvent, httpRequest, type HttpResponse } from '@openclaw/plugin-sdk'
import { isReasoningModel, toChatCompletionRequest } from './chat-completion-request.js'
import { readChatCompletionStream } from './chat-completion-stream.js'
import { OPENAI_ERR_TIMEOUT, OPENAI_ERR_UNREACHABLE, OPENAI_ERR_UPSTREAM } from './errors.js'
import { parseSse } from '@openclaw/plugin-sdk'
import { retryDelay } from '@openclaw/plugin-sdk'
import { errorFromResponse, isUpstreamError, redact, withDetails, type UpstreamError } from './upstream-error.js'

export const OPENAI_BASE_URL = 'https://api.openai.com/v1'

export interface OpenAiProviderOptions {
  /** Provider id, the part before `/` in `provider/model`: `openai`, `ollama`, … */
  readonly id: string
  /** Base URL of the API, up to and including `/v1`. */
  readonly baseUrl: string
  /** The API key, or a function read on every request (for environment fallbacks and key rotation). */
  readonly apiKey?: string | (() => string | undefined)
  readonly models?: readonly string[]
  /** Extra request headers (`OpenAI-Organization`, a proxy's auth…). Their values are masked in errors too. */
  readonly headers?: Readonly<Record<string, string>>
  /** Retries after 429, 5xx, network failures and idle timeouts, before any output. Default 3. */
  readonly maxRetries?: number
  /** Give up an attempt after this long without data (waiting for headers, or between chunks). */
  readonly timeoutMs?: number
  /** First backoff delay, doubled for each retry. Default 500. */
  readonly retryBaseDelayMs?: number
  /** Backoff cap. Default 8000. */
  readonly retryMaxDelayMs?: number
  /** A Retry-After longer than this is not waited for: the error is thrown at once. Default 60000. */
  readonly maxRetryAfterMs?: number
  /** Default: `max_completion_tokens` for api.openai.com, `max_tokens` elsewhere. */
  readonly maxTokensField?: 'max_tokens' | 'max_completion_tokens'
  /** Which models get `reasoning_effort` from `thinking`. Default: o-series and gpt-5 models. */
  readonly isReasoningModel?: (model: string) => boolean
}

const IDLE_TIMEOUT = Symbol('idle timeout')
const DEADLINE = Symbol('deadline')
/** setTimeout's limit; a deadline further away needs no timer. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * A model provider for the OpenAI Chat Completions API or any server that speaks it (Ollama, vLLM,
 * LM Studio, OpenRouter…), over Node's HTTP client with keep-alive pools (`httpRequest`), streaming.
 *
 * Failures before the first event are retried (429, 5xx, network, idle timeout) with exponential
 * backoff and jitter, honouring Retry-After, never past `request.deadline`; `request.signal` aborts at
 * once, with its reason. Once an event was yielded, errors are thrown as they come.
 */
export function createOpenAiProvider(options: OpenAiProviderOptions): ModelProvider {
  const { id } = options
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`
  const origin = safeOrigin(options.baseUrl)
  const maxRetries = options.maxRetries ?? 3
  const backoff = { baseDelayMs: options.retryBaseDelayMs ?? 500, maxDelayMs: options.retryMaxDelayMs ?? 8000 }
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
  const maxTokensField = options.maxTokensField ?? (origin === new URL(OPENAI_BASE_URL).origin ? 'max_completion_tokens' : 'max_tokens')
  const reasoning = options.isReasoningModel ?? isReasoningModel
  const noAnswer = { provider: id, upstreamStatus: undefined, retryAfterMs: undefined } as const

  async function* stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const apiKey = typeof options.apiKey === 'function' ? options.apiKey() : options.apiKey
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...options.headers,
    }
    if (apiKey) headers.authorization = `Bearer ${apiKey}`
    const secrets = [apiKey, ...Object.values(options.headers ?? {})]
    const body = JSON.stringify(toChatCompletionRequest(request, { maxTokensField, reasoning: reasoning(request.model) }))

    for (let attempt = 0; ; attempt++) {
      let yielded = false
      try {
        for await (const event of streamOnce(request, headers, body, secrets)) {
          yielded = true
          yield event
        }
        return
      } catch (err) {
        if (request.signal.aborted) throw request.signal.reason
        if (yielded || !isUpstreamError(err) || !err.retryable || attempt >= maxRetries) throw err
        if (err.retryAfterMs !== undefined && err.retryAfterMs > maxRetryAfterMs) throw err
        const delay = retryDelay(attempt, err.retryAfterMs, backoff)
        if (request.deadline !== undefined && Date.now() + delay >= request.deadline) throw err
        try {
          await sleep(delay, undefined, { signal: request.signal })
        } catch {
          throw request.signal.reason
        }
      }
    }
  }

  /** One HTTP attempt. Throws {@link UpstreamError}s, or the signal's reason when aborted. */
  async function* streamOnce(request: ModelRequest, headers: Record<string, string>, body: string, secrets: readonly (string | undefined)[]): AsyncGenerator<ModelStreamEvent> {
    if (request.signal.aborted) throw request.signal.reason
    if (request.deadline !== undefined && request.deadline <= Date.now()) throw deadlineError()

    const controller = new AbortController()
    const forwardAbort = () => controller.abort(request.signal.reason)
    request.signal.addEventListener('abort', forwardAbort, { once: true })
    const idle = options.timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(IDLE_TIMEOUT), options.timeoutMs)
    const untilDeadline = request.deadline === undefined ? undefined : request.deadline - Date.now()
    const deadline = untilDeadline === undefined || untilDeadline > MAX_TIMER_MS ? undefined : setTimeout(() => controller.abort(DEADLINE), untilDeadline)
    let finished = false

    /** Why the attempt failed, as the error to throw. */
    const failure = (err: unknown, phase: 'connect' | 'stream'): unknown => {
      if (request.signal.aborted) return request.signal.reason
      if (isUpstreamError(err)) return err
      const reason = controller.signal.aborted ? (controller.signal.reason as unknown) : undefined
      if (reason === DEADLINE) return deadlineError()
      if (reason === IDLE_TIMEOUT) {
        return withDetails(new OPENAI_ERR_TIMEOUT(id, `no data for ${options.timeoutMs} ms`), { ...noAnswer, retryable: true })
      }
      const why = redact(describe(err), secrets)
      return phase === 'connect'
        ? withDetails(new OPENAI_ERR_UNREACHABLE(id, origin, why, { cause: err }), { ...noAnswer, retryable: true })
        : withDetails(new OPENAI_ERR_UPSTREAM(id, 'stream interrupted', why, { cause: err }), { ...noAnswer, retryable: true })
    }

    try {
      let response: HttpResponse
      try {
        response = await httpRequest(endpoint, { method: 'POST', headers, body, signal: controller.signal })
      } catch (err) {
        throw failure(err, 'connect')
      }
      idle?.refresh()
      if (!response.ok) throw await errorFromResponse(id, response, secrets)
      try {
        yield* readChatCompletionStream(parseSse(readChunks(response.body, () => idle?.refresh())), id)
      } catch (err) {
        throw failure(err, 'stream')
      }
      finished = true
    } finally {
      clearTimeout(idle)
      clearTimeout(deadline)
      request.signal.removeEventListener('abort', forwardAbort)
      // Stopped early (error, abort, or the consumer returned): cancel the HTTP request.
      if (!finished) controller.abort()
    }
  }

  function deadlineError(): UpstreamError {
    return withDetails(new OPENAI_ERR_TIMEOUT(id, "the run's deadline passed"), { ...noAnswer, retryable: false })
  }

  return defineProvider({ id, ...(options.models !== undefined && { models: options.models }), stream })
}

/** A response body as chunks, calling `onChunk` for each; stopping early closes the response. */
async function* readChunks(body: AsyncIterable<Uint8Array>, onChunk: () => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    onChunk()
    yield chunk
  }
}

/** The base URL's origin, without credentials or path, for error messages. */
function safeOrigin(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin
  } catch {
    return '(invalid base URL)'
  }
}

/** A network error's most useful text: undici puts the system error (`ECONNREFUSED`…) in `cause`. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = err.cause
  if (cause instanceof Error) return cause.message || (cause as { code?: string }).code || err.message
  if (typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string') return (cause as { code: string }).code
  return err.message
}
