import { isCodedError } from '@openclaw/plugin-sdk'
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

/** OpenAI's error `type` for an HTTP status. */
export function openAiErrorType(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  if (status === 429) return 'rate_limit_error'
  if (status >= 500) return 'server_error'
  return 'invalid_request_error'
}

// HTTP status of codes that reach us without one: a run result's `error` carries only code and
// message. Core codes are listed; provider codes are matched by their suffix, which every provider
// plugin shares (`OPENAI_ERR_RATE_LIMITED`, `ANTHROPIC_ERR_RATE_LIMITED`, …).
const CODE_STATUS: Readonly<Record<string, number>> = {
  CORE_ERR_NO_PROVIDER: 503,
  CORE_ERR_PROVIDER_UNKNOWN: 503,
  CORE_ERR_MODEL_FAILED: 502,
  CORE_ERR_RUN_TIMEOUT: 504,
  CORE_ERR_RUN_ABORTED: 499,
  CORE_ERR_RUN_TURN_LIMIT: 500,
  CORE_ERR_RUN_INVALID: 400,
  CORE_ERR_SESSION_BUSY: 429,
  CORE_ERR_SESSION_KEY_INVALID: 400,
  CORE_ERR_SESSION_AGENT_MISMATCH: 400,
  CORE_ERR_AGENT_UNKNOWN: 400,
}
const SUFFIX_STATUS: readonly (readonly [suffix: string, status: number])[] = [
  ['_RATE_LIMITED', 429],
  ['_OVERLOADED', 503],
  ['_UNREACHABLE', 503],
  ['_TIMEOUT', 504],
  ['_AUTH', 502],
  ['_UPSTREAM', 502],
  ['_BAD_REQUEST', 502],
]

/** The HTTP status for an error code, preferring the status the error itself carries. */
export function statusForCode(code: string, statusCode?: number): number {
  if (statusCode !== undefined && statusCode >= 400 && statusCode <= 599) return statusCode
  const known = CODE_STATUS[code]
  if (known !== undefined) return known
  for (const [suffix, status] of SUFFIX_STATUS) if (code.endsWith(suffix)) return status
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
    return { status, body: openAiErrorBody(status, error.code, error.message, PARAMS.get(error) ?? null) }
  }
  const internal = new OAI_ERR_INTERNAL('the request could not be handled')
  return { status: 500, body: openAiErrorBody(500, internal.code, internal.message) }
}

/** A failed run's `error` as status + OpenAI body. */
export function runErrorToOpenAi(error: { readonly code: string; readonly message: string; readonly statusCode?: number }): OpenAiError {
  const status = statusForCode(error.code, error.statusCode)
  return { status, body: openAiErrorBody(status, error.code, error.message) }
}

/** `formatError` of every route: errors the HTTP server raises for us (auth, bad JSON, 413…) in OpenAI's shape. */
export function formatOpenAiError(error: { readonly statusCode: number; readonly code: string; readonly message: string }): OpenAiErrorBody {
  return openAiErrorBody(error.statusCode, error.code, error.message)
}

/** Answer with an error in OpenAI's shape. */
export function sendOpenAiError(reply: RouteReply, error: OpenAiError): void {
  reply.code(error.status).header('content-type', 'application/json; charset=utf-8').send(error.body)
}
