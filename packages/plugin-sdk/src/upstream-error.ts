import { isCodedError, type CodedError, type CodedErrorConstructor } from '@openclaw/core'
import type { HttpResponse } from './http-request.js'
import { parseRetryAfter } from './retry-delay.js'

/** What an error of a model call says about the upstream call, besides its code. */
export interface UpstreamErrorDetails {
  /** The provider id. */
  readonly provider: string
  /** The HTTP status the provider answered with; `undefined` when it did not answer, or failed in the stream. */
  readonly upstreamStatus: number | undefined
  /** The wait the provider asked for (Retry-After), in ms. */
  readonly retryAfterMs: number | undefined
  /** Whether the same request may succeed later. */
  readonly retryable: boolean
}

/** An error of a model call: the provider's coded error plus {@link UpstreamErrorDetails}. */
export type UpstreamError = CodedError & UpstreamErrorDetails

type StatusErrorConstructor = CodedErrorConstructor<string, [provider: string, status: number, message: string]>

/**
 * A provider's own coded error classes, one per way a model call fails; `streamModelCall` throws
 * nothing else (besides the abort reason). The first argument is always the provider id.
 */
export interface ModelCallErrors {
  /** The provider answered 401 or 403. */
  readonly auth: StatusErrorConstructor
  /** The provider answered 429. */
  readonly rateLimited: StatusErrorConstructor
  /** The provider answered 5xx, or the stream broke off: `what` is `HTTP 503`, `stream interrupted`, … */
  readonly upstream: CodedErrorConstructor<string, [provider: string, what: string, message: string]>
  /** The provider answered another 4xx. */
  readonly badRequest: StatusErrorConstructor
  /** No HTTP answer at all: connection refused or reset, DNS or TLS failure. */
  readonly unreachable: CodedErrorConstructor<string, [provider: string, origin: string, reason: string]>
  /** No data for `timeoutMs`, or the request's deadline passed. */
  readonly timeout: CodedErrorConstructor<string, [provider: string, what: string]>
}

const MAX_MESSAGE = 500

export function withDetails<E extends CodedError>(err: E, details: UpstreamErrorDetails): E & UpstreamErrorDetails {
  return Object.assign(err, details)
}

/** Whether `value` is one of `errors`, with its details: an error to pass on as it is. */
export function isUpstreamError(value: unknown, errors: ModelCallErrors): value is UpstreamError {
  if (!isCodedError(value) || typeof (value as { retryable?: unknown }).retryable !== 'boolean') return false
  return Object.values(errors).some((error: { readonly code: string }) => error.code === value.code)
}

/**
 * The coded error for a non-2xx answer: 401/403 auth, 429 rate limited, 5xx upstream, other 4xx bad
 * request; retryable on 429 and 5xx unless `x-should-retry` says otherwise. Its message is the
 * provider's own error text with every secret masked.
 */
export async function errorFromResponse(
  provider: string,
  response: HttpResponse,
  errors: ModelCallErrors,
  secrets: readonly (string | undefined)[],
): Promise<UpstreamError> {
  const status = response.status
  const text = await response.text().catch(() => '')
  const message = redact(upstreamMessage(text) ?? (response.statusText || 'no details'), secrets)
  const retryAfterMs = parseRetryAfter(response.headers)
  const shouldRetry = response.headers.get('x-should-retry')
  const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : status === 429 || status >= 500
  const details = { provider, upstreamStatus: status, retryAfterMs, retryable }
  if (status === 401 || status === 403) return withDetails(new errors.auth(provider, status, message), { ...details, retryable: false })
  if (status === 429) return withDetails(new errors.rateLimited(provider, status, message), details)
  if (status >= 500) return withDetails(new errors.upstream(provider, `HTTP ${status}`, message), details)
  return withDetails(new errors.badRequest(provider, status, message), details)
}

/**
 * The error text of an error body (OpenAI's `{error: {message}}` or `{error: '…'}`, Anthropic's
 * `{type: 'error', error: {message}}`, or any `{message}`, `{detail}`), else the raw text; at most 500 characters.
 */
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
