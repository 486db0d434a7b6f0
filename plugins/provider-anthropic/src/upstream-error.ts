import {
  ANTHROPIC_ERR_AUTH,
  ANTHROPIC_ERR_BAD_REQUEST,
  ANTHROPIC_ERR_RATE_LIMITED,
  type ANTHROPIC_ERR_TIMEOUT,
  type ANTHROPIC_ERR_UNREACHABLE,
  ANTHROPIC_ERR_UPSTREAM,
} from './errors.js'
import { parseRetryAfter, type HttpResponse } from '@openclaw/plugin-sdk'

type AnthropicErrorConstructor =
  | typeof ANTHROPIC_ERR_AUTH
  | typeof ANTHROPIC_ERR_BAD_REQUEST
  | typeof ANTHROPIC_ERR_RATE_LIMITED
  | typeof ANTHROPIC_ERR_TIMEOUT
  | typeof ANTHROPIC_ERR_UNREACHABLE
  | typeof ANTHROPIC_ERR_UPSTREAM

/** What a provider error says about the upstream call, besides its code. */
export interface UpstreamErrorDetails {
  /** The provider id: `anthropic`. */
  readonly provider: string
  /** The HTTP status the provider answered with; `undefined` when it did not answer. */
  readonly upstreamStatus: number | undefined
  /** The wait the provider asked for (Retry-After), in ms. */
  readonly retryAfterMs: number | undefined
  /** Whether the same request may succeed later. */
  readonly retryable: boolean
}

/** Every error the provider throws on purpose: a coded error plus {@link UpstreamErrorDetails}. */
export type UpstreamError = InstanceType<AnthropicErrorConstructor> & UpstreamErrorDetails

const MAX_MESSAGE = 500

export function withDetails<E extends InstanceType<AnthropicErrorConstructor>>(err: E, details: UpstreamErrorDetails): E & UpstreamErrorDetails {
  return Object.assign(err, details)
}

export function isUpstreamError(value: unknown): value is UpstreamError {
  if (!(value instanceof Error)) return false
  const { code, retryable } = value as Error & { code?: unknown; retryable?: unknown }
  return typeof code === 'string' && code.startsWith('ANTHROPIC_ERR_') && typeof retryable === 'boolean'
}

/**
 * The coded error for a non-2xx answer: 401/403 auth, 429 rate limited, 5xx upstream, other 4xx bad
 * request. Its message is the provider's own error text with every secret masked.
 */
export async function errorFromResponse(provider: string, response: HttpResponse, secrets: readonly (string | undefined)[]): Promise<UpstreamError> {
  const status = response.status
  const text = await response.text().catch(() => '')
  const message = redact(upstreamMessage(text) ?? (response.statusText || 'no details'), secrets)
  const retryAfterMs = parseRetryAfter(response.headers)
  const shouldRetry = response.headers.get('x-should-retry')
  const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : status === 429 || status >= 500
  const details = { provider, upstreamStatus: status, retryAfterMs, retryable }
  if (status === 401 || status === 403) return withDetails(new ANTHROPIC_ERR_AUTH(provider, status, message), { ...details, retryable: false })
  if (status === 429) return withDetails(new ANTHROPIC_ERR_RATE_LIMITED(provider, status, message), details)
  if (status >= 500) return withDetails(new ANTHROPIC_ERR_UPSTREAM(provider, `HTTP ${status}`, message), details)
  return withDetails(new ANTHROPIC_ERR_BAD_REQUEST(provider, status, message), details)
}

/** The error text of an error body (`{type: "error", error: {message}}`, or any `{error}`, `{message}`, `{detail}`), or the raw text. */
export function upstreamMessage(text: string): string | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  let message: unknown = trimmed
  try {
    const body = JSON.parse(trimmed) as unknown
    if (typeof body === 'object' && body !== null) {
      const { error, message: top, detail } = body as { error?: unknown; message?: unknown; detail?: unknown }
      message =
        (typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : error) ?? top ?? detail ?? trimmed
    }
  } catch {
    // Not JSON: the raw text is the message.
  }
  const result = typeof message === 'string' ? message : JSON.stringify(message)
  return result.length > MAX_MESSAGE ? `${result.slice(0, MAX_MESSAGE)}…` : result
}

/** Mask the given secrets, and anything shaped like an API key, in text bound for logs and clients. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 8) result = result.split(secret).join('***')
  }
  return result.replace(/\b(sk-(?:proj-|ant-)?)[A-Za-z0-9_-]{8,}/g, '$1***')
}
