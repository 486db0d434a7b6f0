import { CoreErrors, isCodedError } from '@openclaw/plugin-sdk'
import { RPC_ERR_INTERNAL } from './errors.js'
import type { RpcError, RpcErrorCode } from './protocol.js'

export type { RpcError, RpcErrorCode } from './protocol.js'

/** Coded errors whose protocol code is not obvious from their name or HTTP status. */
const BY_CODE: Readonly<Record<string, RpcErrorCode>> = {
  [CoreErrors.CORE_ERR_SESSION_BUSY.code]: 'RATE_LIMITED',
  [CoreErrors.CORE_ERR_AGENT_UNKNOWN.code]: 'INVALID_REQUEST',
  [CoreErrors.CORE_ERR_CHANNEL_UNKNOWN.code]: 'INVALID_REQUEST',
  [CoreErrors.CORE_ERR_TOOL_UNKNOWN.code]: 'NOT_FOUND',
  [CoreErrors.CORE_ERR_TOOL_DENIED.code]: 'NOT_FOUND',
  [CoreErrors.CORE_ERR_TOOL_FAILED.code]: 'INTERNAL',
  [CoreErrors.CORE_ERR_NO_PROVIDER.code]: 'UNAVAILABLE',
  [CoreErrors.CORE_ERR_PROVIDER_UNKNOWN.code]: 'UNAVAILABLE',
  [CoreErrors.CORE_ERR_MODEL_FAILED.code]: 'UNAVAILABLE',
  [CoreErrors.CORE_ERR_DELIVERY_FAILED.code]: 'UNAVAILABLE',
  [CoreErrors.CORE_ERR_RUN_ABORTED.code]: 'UNAVAILABLE',
}

const BY_STATUS: Readonly<Record<number, RpcErrorCode>> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'TIMEOUT',
  409: 'INVALID_REQUEST',
  413: 'INVALID_REQUEST',
  429: 'RATE_LIMITED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'TIMEOUT',
}

/** How long a client should wait before retrying a busy session. */
const BUSY_RETRY_AFTER_MS = 1000

/** The protocol code for a gateway error code (`CORE_ERR_*`, `RPC_ERR_*`, any plugin's): by table, HTTP status, then name. */
export function rpcCodeOf(code: string, statusCode: number | undefined): RpcErrorCode {
  const known = BY_CODE[code]
  if (known) return known
  const byStatus = statusCode === undefined ? undefined : BY_STATUS[statusCode]
  if (byStatus) return byStatus
  if (/_INVALID|_MISMATCH/.test(code)) return 'INVALID_REQUEST'
  if (/_TIMEOUT$/.test(code)) return 'TIMEOUT'
  if (/_NOT_FOUND$|_UNKNOWN$/.test(code)) return 'NOT_FOUND'
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return 'INVALID_REQUEST'
  return 'INTERNAL'
}

/**
 * The error a client sees for something a handler threw. Coded errors keep their message (they are
 * written for callers) and put their code in `details.code`; anything else is `INTERNAL` with a
 * generic message. `unexpected` tells the caller to log it.
 */
export function toRpcError(err: unknown): { error: RpcError; unexpected: boolean } {
  if (!isCodedError(err)) return { error: { code: 'INTERNAL', message: 'internal error', details: { code: RPC_ERR_INTERNAL.code } }, unexpected: true }
  const code = rpcCodeOf(err.code, err.statusCode)
  const extra = err.details
  const details = { code: err.code, ...(extra !== null && typeof extra === 'object' ? (extra as Record<string, unknown>) : {}) }
  if (code === 'RATE_LIMITED') {
    const after = (err as { retryAfterMs?: unknown }).retryAfterMs
    return { error: { code, message: err.message, details, retryable: true, retryAfterMs: typeof after === 'number' ? after : BUSY_RETRY_AFTER_MS }, unexpected: false }
  }
  if (code === 'UNAVAILABLE' || code === 'TIMEOUT') return { error: { code, message: err.message, details, retryable: true }, unexpected: false }
  return { error: { code, message: err.message, details }, unexpected: false }
}
