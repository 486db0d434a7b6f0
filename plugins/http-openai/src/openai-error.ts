import { CoreErrors, isCodedError } from '@openclaw/plugin-sdk'
import type { RouteReply } from '@openclaw/plugin-sdk'
import { OAI_ERR_INTERNAL, OAI_ERR_INVALID_PARAM } from './errors.js'

/** OpenAI's error body: what the `openai` SDKs turn into `APIError`s. */
export interface OpenAiErrorBody {
  readonly error: {
    readonly message: string
    readonly type: string
    readonly param: string | null
    readonly code: string | null
  }
}

/** An error on its way to a client: the HTTP status and the body. */
export interface OpenAiError {
  readonly status: number
  readonly body: OpenAiErrorBody
  /** Sent as `Retry-After` (whole seconds, rounded up): the OpenAI SDKs wait that long before a retry. */
  readonly retryAfterMs?: number
}

/** A busy session frees up as soon as its current turn ends: a second is a fair first wait. */
const SESSION_BUSY_RETRY_MS = 1000

function retryAfterOf(error: { readonly code: string; readonly retryAfterMs?: unknown }): { retryAfterMs?: number } {
  if (typeof error.retryAfterMs === 'number' && error.retryAfterMs >= 0) return { retryAfterMs: error.retryAfterMs }
  return error.code === CoreErrors.CORE_ERR_SESSION_BUSY.code ? { retryAfterMs: SESSION_BUSY_RETRY_MS } : {}
}

const PARAMS = new WeakMap<Error, string>()

/** Remember which request field an error is about; it becomes `error.param`. */
export function withParam<E extends Error>(error: E, param: string): E {
  PARAMS.set(error, param)
  return error
}

/** `OAI_ERR_INVALID_PARAM` naming `param`. */
export function invalidParam(param: string, reason: string): Error {
  return withParam(new OAI_ERR_INVALID_PARAM(param, reason), param)
}

/**
 * The error `type` for an HTTP status: OpenClaw's values (`unauthorized`, `rate_limited`, `api_error`),
 * which its clients match on, else OpenAI's. The OpenAI SDKs pick their error class by status, so
 * either is read the same way there.
 */
export function openAiErrorType(status: number): string {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'permission_error'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'api_error'
  return 'invalid_request_error'
}

/**
 * The HTTP status for an error: the one it carries (coded errors and failed runs' `error` have it),
 * else 500 for the gateway's own errors and 502 for an upstream's.
 */
export function statusForCode(code: string, statusCode?: number): number {
  if (statusCode !== undefined && statusCode >= 400 && statusCode <= 599) return statusCode
  return code.startsWith('CORE_ERR_') ? 500 : 502
}

/** The body for an error with a known status, code and message. */
export function openAiErrorBody(status: number, code: string | null, message: string, param: string | null = null): OpenAiErrorBody {
  return { error: { message, type: openAiErrorType(status), param, code } }
}

/**
 * Any thrown value as status + OpenAI body. Coded errors keep their code and status; anything else
 * is a 500 whose message hides the details (they are in the log).
 */
export function toOpenAiError(error: unknown): OpenAiError {
  if (isCodedError(error)) {
    const status = statusForCode(error.code, error.statusCode)
    return { status, body: openAiErrorBody(status, error.code, error.message, PARAMS.get(error) ?? null), ...retryAfterOf(error) }
  }
  const internal = new OAI_ERR_INTERNAL('the request could not be handled')
  return { status: 500, body: openAiErrorBody(500, internal.code, internal.message) }
}

/** A failed run's `error` as status + OpenAI body. */
export function runErrorToOpenAi(error: { readonly code: string; readonly message: string; readonly statusCode?: number; readonly retryAfterMs?: number }): OpenAiError {
  const status = statusForCode(error.code, error.statusCode)
  return { status, body: openAiErrorBody(status, error.code, error.message), ...retryAfterOf(error) }
}

/** A run that did not end `ok` as status + OpenAI body: its `error`, or a model failure naming its status. */
export function runFailureToOpenAi(result: { readonly status: string; readonly error?: Parameters<typeof runErrorToOpenAi>[0] }): OpenAiError {
  return runErrorToOpenAi(result.error ?? { code: CoreErrors.CORE_ERR_MODEL_FAILED.code, message: `run ${result.status}` })
}

/** `formatError` of every route: errors the HTTP server raises for us (auth, bad JSON, 413…) in OpenAI's shape. */
export function formatOpenAiError(error: { readonly statusCode: number; readonly code: string; readonly message: string }): OpenAiErrorBody {
  return openAiErrorBody(error.statusCode, error.code, error.message)
}

/** Answer with an error in OpenAI's shape. */
export function sendOpenAiError(reply: RouteReply, error: OpenAiError): void {
  setRetryAfter(reply, error)
  reply.code(error.status).header('content-type', 'application/json; charset=utf-8').send(error.body)
}

/** `Retry-After` for an error that says how long to wait. */
export function setRetryAfter(reply: RouteReply, error: OpenAiError): void {
  if (error.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)))
}
