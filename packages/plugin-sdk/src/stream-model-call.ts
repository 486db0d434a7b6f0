import { setTimeout as sleep } from 'node:timers/promises'
import type { ModelRequest, ModelStreamEvent } from '@openclaw/core'
import { HttpBodyTooLargeError, httpRequest, type HttpResponse } from './http-request.js'
import { retryDelay } from './retry-delay.js'
import { errorFromResponse, isUpstreamError, redact, withDetails, type ModelCallErrors, type UpstreamError, type UpstreamErrorDetails } from './upstream-error.js'

/** What `readStream` and `readJson` get besides the response body. */
export interface ModelCallContext {
  /** The provider id, the first argument of every coded error. */
  readonly provider: string
  /**
   * The details for an error the reader throws (an error event or error object, a stream cut short,
   * malformed data): no HTTP status, no Retry-After. Retryable errors are retried while nothing was
   * yielded yet.
   */
  errorDetails(retryable: boolean): UpstreamErrorDetails
}

export interface ModelCallOptions {
  /** The provider id: `openai`, `anthropic`, … */
  readonly provider: string
  /** The endpoint, POSTed to. Its origin (never its credentials or path) is named when it is unreachable. */
  readonly url: string
  /**
   * Request headers, over `content-type: application/json` and `accept: text/event-stream`
   * (`accept: application/json` when `request.stream` is `false`).
   */
  readonly headers?: Readonly<Record<string, string>>
  /** The request body, sent as JSON. */
  readonly body: unknown
  /**
   * The model request: its `signal` aborts at once, its `deadline` bounds every attempt and retry;
   * `stream: false` asks for JSON (`accept`). Whether the body asks for a stream is the caller's to write.
   */
  readonly request: Pick<ModelRequest, 'signal' | 'deadline' | 'stream'>
  /** API keys and other header values to mask in error messages. */
  readonly secrets?: readonly (string | undefined)[]
  /** The provider's own coded errors. */
  readonly errors: ModelCallErrors
  /**
   * Turn the response body (a 2xx answer that is not JSON, or any 2xx answer without `readJson`) into
   * events; see {@link ModelCallContext} for its errors.
   */
  readStream(chunks: AsyncIterable<Uint8Array>, call: ModelCallContext): AsyncIterable<ModelStreamEvent>
  /**
   * Turn a whole JSON answer (a 2xx answer whose content type is `application/json` or `…+json`: the
   * answer to a `stream: false` body, or a server that ignored `stream: true`), parsed, into events:
   * the text as one `text` event, then tool calls, usage, finish. It throws as `readStream` does; any
   * other error it throws becomes a non-retryable `upstream` error. Without it, JSON answers go to
   * `readStream` too.
   */
  readJson?(body: unknown, call: ModelCallContext): Iterable<ModelStreamEvent>
  /** Retries after 429, 5xx, network failures and idle timeouts, before any output. Default 3. */
  readonly maxRetries?: number | undefined
  /**
   * Give up an attempt after this long without data (waiting for headers, or between chunks). A
   * whole-answer request usually gets its headers only once the answer is ready: this then covers
   * waiting for the whole answer.
   */
  readonly timeoutMs?: number | undefined
  /** First backoff delay, doubled for each retry. Default 500. */
  readonly retryBaseDelayMs?: number | undefined
  /** Backoff cap. Default 8000. */
  readonly retryMaxDelayMs?: number | undefined
  /** A Retry-After longer than this is not waited for: the error is thrown at once. Default 60000. */
  readonly maxRetryAfterMs?: number | undefined
}

const IDLE_TIMEOUT = Symbol('idle timeout')
const DEADLINE = Symbol('deadline')
/** setTimeout's limit; a deadline further away needs no timer. */
const MAX_TIMER_MS = 2 ** 31 - 1
/** The largest JSON answer read; a larger one is an `upstream` error. */
const MAX_JSON_BYTES = 32 * 1024 * 1024

/**
 * One model call over HTTP (`httpRequest`, keep-alive pools): POST the body, check the answer, hand
 * the body to `readStream` (a stream) or, when the answer is JSON and `readJson` is given, the whole
 * parsed body to `readJson`, and yield the reader's events. A JSON answer is read to its end first
 * (at most 32 MiB), the idle timer restarting with each chunk as for a stream; malformed JSON is a
 * non-retryable `upstream` error.
 *
 * Failures before the first event are retried (429, 5xx, network, idle timeout; `x-should-retry`
 * decides when sent) with exponential backoff and jitter, honouring Retry-After, never past
 * `request.deadline`; `request.signal` aborts at once, with its reason. Once an event was yielded,
 * errors are thrown as they come. Stopping early (an error, an abort, the consumer returning) cancels
 * the HTTP request.
 *
 * Every other error is one of `errors` with {@link UpstreamErrorDetails}, its message free of
 * `secrets`: 401/403 `auth`, 429 `rateLimited`, 5xx, a broken stream and a malformed or oversized
 * JSON answer `upstream`, another 4xx `badRequest`, no answer `unreachable`, no data for `timeoutMs`
 * or the deadline passed `timeout`.
 */
export async function* streamModelCall(options: ModelCallOptions): AsyncGenerator<ModelStreamEvent> {
  const { provider, request, errors } = options
  const maxRetries = options.maxRetries ?? 3
  const backoff = { baseDelayMs: options.retryBaseDelayMs ?? 500, maxDelayMs: options.retryMaxDelayMs ?? 8000 }
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
  const accept = request.stream === false ? 'application/json' : 'text/event-stream'
  const headers = { 'content-type': 'application/json', accept, ...options.headers }
  const body = JSON.stringify(options.body)
  const secrets = options.secrets ?? []
  const origin = safeOrigin(options.url)
  const call: ModelCallContext = {
    provider,
    errorDetails: (retryable) => ({ provider, upstreamStatus: undefined, retryAfterMs: undefined, retryable }),
  }

  for (let attempt = 0; ; attempt++) {
    let yielded = false
    try {
      for await (const event of streamOnce()) {
        yielded = true
        yield event
      }
      return
    } catch (err) {
      if (request.signal.aborted) throw request.signal.reason
      if (yielded || !isUpstreamError(err, errors) || !err.retryable || attempt >= maxRetries) throw err
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

  /** One HTTP attempt. Throws {@link UpstreamError}s, or the signal's reason when aborted. */
  async function* streamOnce(): AsyncGenerator<ModelStreamEvent> {
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
      if (isUpstreamError(err, errors)) return err
      const reason = controller.signal.aborted ? (controller.signal.reason as unknown) : undefined
      if (reason === DEADLINE) return deadlineError()
      if (reason === IDLE_TIMEOUT) return withDetails(new errors.timeout(provider, `no data for ${options.timeoutMs} ms`), call.errorDetails(true))
      const why = redact(describe(err), secrets)
      return phase === 'connect'
        ? withDetails(new errors.unreachable(provider, origin, why, { cause: err }), call.errorDetails(true))
        : withDetails(new errors.upstream(provider, 'stream interrupted', why, { cause: err }), call.errorDetails(true))
    }

    try {
      let response: HttpResponse
      try {
        response = await httpRequest(options.url, { method: 'POST', headers, body, signal: controller.signal })
      } catch (err) {
        throw failure(err, 'connect')
      }
      idle?.refresh()
      if (!response.ok) throw await errorFromResponse(provider, response, errors, secrets)
      if (options.readJson !== undefined && isJsonType(response.header('content-type'))) {
        let text: string
        try {
          text = await response.text({ maxBytes: MAX_JSON_BYTES, onChunk: () => idle?.refresh() })
        } catch (err) {
          if (err instanceof HttpBodyTooLargeError) {
            throw withDetails(new errors.upstream(provider, 'answer', `the JSON answer is over ${MAX_JSON_BYTES / 1024 / 1024} MiB`), call.errorDetails(false))
          }
          throw failure(err, 'stream')
        }
        // The whole answer is here: nothing more to wait for.
        clearTimeout(idle)
        const answer = parseAnswer(text)
        try {
          for (const event of options.readJson(answer, call)) {
            // Aborted (or past the deadline) while the consumer held an event: stop as a stream would.
            if (controller.signal.aborted) throw failure(controller.signal.reason, 'stream')
            yield event
          }
        } catch (err) {
          throw readerFailure(err)
        }
      } else {
        try {
          yield* options.readStream(readChunks(response.body, () => idle?.refresh()), call)
        } catch (err) {
          throw failure(err, 'stream')
        }
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

  /** The parsed JSON answer; malformed JSON is a non-retryable upstream error. */
  function parseAnswer(text: string): unknown {
    try {
      return JSON.parse(text) as unknown
    } catch {
      const sample = redact(text.slice(0, 200), secrets)
      throw withDetails(new errors.upstream(provider, 'answer', `malformed JSON: ${sample === '' ? '(empty body)' : sample}`), call.errorDetails(false))
    }
  }

  /**
   * What `readJson` threw, as the error to throw: the abort reason when aborted, its own coded errors as
   * they are, anything else (a reader's bug on an unexpected answer) a non-retryable upstream error.
   */
  function readerFailure(err: unknown): unknown {
    if (request.signal.aborted) return request.signal.reason
    if (isUpstreamError(err, errors)) return err
    return withDetails(new errors.upstream(provider, 'answer', `unreadable answer: ${redact(describe(err), secrets)}`, { cause: err }), call.errorDetails(false))
  }

  function deadlineError(): UpstreamError {
    return withDetails(new errors.timeout(provider, "the run's deadline passed"), call.errorDetails(false))
  }
}

/** Whether a content type is JSON: `application/json`, or any `…+json` type. */
function isJsonType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? ''
  return type === 'application/json' || type.endsWith('+json')
}

/** A response body as chunks, calling `onChunk` for each; stopping early closes the response. */
async function* readChunks(body: AsyncIterable<Uint8Array>, onChunk: () => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    onChunk()
    yield chunk
  }
}

/** The URL's origin, without credentials or path, for error messages. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
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
