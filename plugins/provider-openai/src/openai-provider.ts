import { defineProvider, parseSse, streamModelCall, type ModelProvider, type ModelRequest, type ModelStreamEvent } from '@openclaw/plugin-sdk'
import { isReasoningModel, toChatCompletionRequest } from './chat-completion-request.js'
import { readChatCompletion } from './chat-completion-json.js'
import { readChatCompletionStream } from './chat-completion-stream.js'
import { readEmbeddings, toEmbeddingsRequest, type EmbeddingRequest, type EmbeddingResult } from './openai-embeddings.js'
import * as errors from './errors.js'

export const OPENAI_BASE_URL = 'https://api.openai.com/v1'

/**
 * Besides its own settings, what the SDK's `streamModelCall` takes to retry and time out: `maxRetries`
 * (default 3), `timeoutMs`, `retryBaseDelayMs` (500), `retryMaxDelayMs` (8000), `maxRetryAfterMs` (60000).
 */
export interface OpenAiProviderOptions extends Pick<Parameters<typeof streamModelCall>[0], 'maxRetries' | 'timeoutMs' | 'retryBaseDelayMs' | 'retryMaxDelayMs' | 'maxRetryAfterMs'> {
  /** Provider id, the part before `/` in `provider/model`: `openai`, `ollama`, … */
  readonly id: string
  /** Base URL of the API, up to and including `/v1`. */
  readonly baseUrl: string
  /** The API key, or a function read on every request (for environment fallbacks and key rotation). */
  readonly apiKey?: string | (() => string | undefined)
  /** The catalogue; when given, only these models may be used (the gateway checks). */
  readonly models?: ModelProvider['models']
  /** Output-token cap when a request sets none (a listed model's own `maxTokens` wins). Default: none, the server's. */
  readonly maxTokens?: number
  /** Extra request headers (`OpenAI-Organization`, a proxy's auth…). Their values are masked in errors too. */
  readonly headers?: Readonly<Record<string, string>>
  /** Default: `max_completion_tokens` for api.openai.com, `max_tokens` elsewhere. */
  readonly maxTokensField?: 'max_tokens' | 'max_completion_tokens'
  /** Which models get `reasoning_effort` from `thinking`. Default: o-series and gpt-5 models. */
  readonly isReasoningModel?: (model: string) => boolean
}

/** This provider's coded error for each way a model call fails. */
const ERRORS = { auth: errors.OPENAI_ERR_AUTH, rateLimited: errors.OPENAI_ERR_RATE_LIMITED, upstream: errors.OPENAI_ERR_UPSTREAM, badRequest: errors.OPENAI_ERR_BAD_REQUEST, unreachable: errors.OPENAI_ERR_UNREACHABLE, timeout: errors.OPENAI_ERR_TIMEOUT }

/**
 * A model provider for the OpenAI Chat Completions API or any server that speaks it (Ollama, vLLM,
 * LM Studio, OpenRouter…), over Node's HTTP client with keep-alive pools (`httpRequest`), streaming;
 * when the request says `stream: false`, it asks for the whole answer at once and yields it as one
 * text event (a server that answers JSON to a streaming request is read the same way).
 *
 * Failures before the first event are retried (429, 5xx, network, idle timeout) with exponential
 * backoff and jitter, honouring Retry-After, never past `request.deadline`; `request.signal` aborts at
 * once, with its reason. Once an event was yielded, errors are thrown as they come. (The SDK's
 * `streamModelCall` does all that; this provider builds the request and reads the chunks or the answer.)
 */
export function createOpenAiProvider(options: OpenAiProviderOptions): ModelProvider {
  const { id, maxRetries, timeoutMs, retryBaseDelayMs, retryMaxDelayMs, maxRetryAfterMs } = options
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`
  const embeddingsUrl = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`
  /** What every call of this provider passes to `streamModelCall`. */
  const shared = { provider: id, url, errors: ERRORS, maxRetries, timeoutMs, retryBaseDelayMs, retryMaxDelayMs, maxRetryAfterMs }
  const maxTokensField = options.maxTokensField ?? (isOpenAiApi(options.baseUrl) ? 'max_completion_tokens' : 'max_tokens')
  const reasoning = options.isReasoningModel ?? isReasoningModel

  const defaultMaxTokens = (model: string): number | undefined => {
    const listed = options.models?.find((m) => typeof m !== 'string' && m.id === model)
    return (typeof listed === 'object' ? listed.maxTokens : undefined) ?? options.maxTokens
  }

  // Hands back streamModelCall's generator itself: no extra generator for each event to pass through.
  function stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const apiKey = typeof options.apiKey === 'function' ? options.apiKey() : options.apiKey
    const headers = { ...options.headers, ...(apiKey && { authorization: `Bearer ${apiKey}` }) }
    const maxTokens = request.maxTokens ?? defaultMaxTokens(request.model)
    const body = toChatCompletionRequest(maxTokens === request.maxTokens ? request : { ...request, maxTokens }, { maxTokensField, reasoning: reasoning(request.model) })
    const secrets = [apiKey, ...Object.values(options.headers ?? {})]
    return streamModelCall({ ...shared, request, headers, body, secrets, readStream: (chunks, call) => readChatCompletionStream(parseSse(chunks), call), readJson: readChatCompletion })
  }

  /**
   * `POST <baseUrl>/embeddings` (OpenAI's embeddings API, which Ollama, vLLM and LM Studio speak too),
   * with the same retries, timeouts and coded errors as a model call. `models` (the chat catalogue)
   * does not restrict it.
   */
  async function embed(request: EmbeddingRequest): Promise<EmbeddingResult> {
    const apiKey = typeof options.apiKey === 'function' ? options.apiKey() : options.apiKey
    const headers = { ...options.headers, ...(apiKey && { authorization: `Bearer ${apiKey}` }) }
    let result: EmbeddingResult | undefined
    const call = streamModelCall({
      ...shared,
      url: embeddingsUrl,
      request: { signal: request.signal ?? new AbortController().signal, stream: false },
      headers,
      body: toEmbeddingsRequest(request),
      secrets: [apiKey, ...Object.values(options.headers ?? {})],
      readStream: (_chunks, ctx) => {
        throw Object.assign(new errors.OPENAI_ERR_UPSTREAM(ctx.provider, 'embeddings answer', 'not JSON'), ctx.errorDetails(false))
      },
      readJson: (body, ctx) => {
        result = readEmbeddings(body, request.input.length, request.model, ctx)
        return []
      },
    })
    for await (const _ of call) void _
    return result!
  }

  return defineProvider({ id, ...(options.models !== undefined && { models: options.models }), stream, embed })
}

/** Whether the base URL is api.openai.com's. */
function isOpenAiApi(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).origin === new URL(OPENAI_BASE_URL).origin
  } catch {
    return false
  }
}
