import { defineProvider, parseSse, streamModelCall, type ModelProvider, type ModelRequest, type ModelStreamEvent } from '@openclaw/plugin-sdk'
import * as errors from './errors.js'
import { toMessagesRequest, type ThinkingBudgets } from './messages-request.js'
import { readMessage } from './messages-json.js'
import { readMessagesStream } from './messages-stream.js'

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com'
export const ANTHROPIC_VERSION = '2023-06-01'

/**
 * Besides its own settings, what the SDK's `streamModelCall` takes to retry and time out: `maxRetries`
 * (default 3), `timeoutMs`, `retryBaseDelayMs` (500), `retryMaxDelayMs` (8000), `maxRetryAfterMs` (60000).
 */
export interface AnthropicProviderOptions extends Pick<Parameters<typeof streamModelCall>[0], 'maxRetries' | 'timeoutMs' | 'retryBaseDelayMs' | 'retryMaxDelayMs' | 'maxRetryAfterMs'> {
  /** Provider id, the part before `/` in `provider/model`. Default `anthropic`. */
  readonly id?: string
  /** Base URL of the API, without `/v1`. Default `https://api.anthropic.com`. */
  readonly baseUrl?: string
  /** The API key, or a function read on every request (for environment fallbacks and key rotation). */
  readonly apiKey?: string | (() => string | undefined)
  readonly models?: ModelProvider['models']
  /** Extra request headers (`anthropic-beta`, a proxy's auth…). Their values are masked in errors too. */
  readonly headers?: Readonly<Record<string, string>>
  /** `max_tokens` when the request sets none. Default 4096. */
  readonly maxTokens?: number
  /** The `anthropic-version` header. Default `2023-06-01`. */
  readonly anthropicVersion?: string
  /** Thinking tokens per `thinking` level; see `DEFAULT_THINKING_BUDGETS`. */
  readonly thinkingBudgets?: ThinkingBudgets
}

/** This provider's coded error for each way a model call fails. */
const ERRORS = { auth: errors.ANTHROPIC_ERR_AUTH, rateLimited: errors.ANTHROPIC_ERR_RATE_LIMITED, upstream: errors.ANTHROPIC_ERR_UPSTREAM, badRequest: errors.ANTHROPIC_ERR_BAD_REQUEST, unreachable: errors.ANTHROPIC_ERR_UNREACHABLE, timeout: errors.ANTHROPIC_ERR_TIMEOUT }

/**
 * A model provider for the Anthropic Messages API, over Node's HTTP client with keep-alive pools
 * (`httpRequest`), streaming; when the request says `stream: false`, it asks for the whole answer at
 * once and yields it as one text event.
 *
 * Failures before the first event are retried (429, 5xx, network, idle timeout) with exponential
 * backoff and jitter, honouring Retry-After, never past `request.deadline`; `request.signal` aborts at
 * once, with its reason. Once an event was yielded, errors are thrown as they come. (The SDK's
 * `streamModelCall` does all that; this provider builds the request and reads the events or the answer.)
 */
export function createAnthropicProvider(options: AnthropicProviderOptions = {}): ModelProvider {
  const { maxRetries, timeoutMs, retryBaseDelayMs, retryMaxDelayMs, maxRetryAfterMs } = options
  const id = options.id ?? 'anthropic'
  const baseUrl = (options.baseUrl ?? ANTHROPIC_BASE_URL).replace(/\/+$/, '')
  const url = `${baseUrl.replace(/\/v1$/, '')}/v1/messages`
  /** What every call of this provider passes to `streamModelCall`. */
  const shared = { provider: id, url, errors: ERRORS, maxRetries, timeoutMs, retryBaseDelayMs, retryMaxDelayMs, maxRetryAfterMs }
  const requestOptions = { maxTokens: options.maxTokens ?? 4096, ...(options.thinkingBudgets !== undefined && { thinkingBudgets: options.thinkingBudgets }) }

  // Hands back streamModelCall's generator itself: no extra generator for each event to pass through.
  function stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const apiKey = typeof options.apiKey === 'function' ? options.apiKey() : options.apiKey
    const headers = { 'anthropic-version': options.anthropicVersion ?? ANTHROPIC_VERSION, ...options.headers, ...(apiKey && { 'x-api-key': apiKey }) }
    const secrets = [apiKey, ...Object.values(options.headers ?? {})]
    const body = toMessagesRequest(request, requestOptions)
    return streamModelCall({ ...shared, request, headers, body, secrets, readStream: (chunks, call) => readMessagesStream(parseSse(chunks), call), readJson: readMessage })
  }

  return defineProvider({ id, ...(options.models !== undefined && { models: options.models }), stream })
}
