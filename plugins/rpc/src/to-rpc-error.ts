import { CoreErrors, isCodedError } from '@openclaw/plugin-sdk'
import { RPC_ERR_AUTH_RATE_LIMITED, RPC_ERR_INTERNAL } from './errors.js'
import type { RpcError, RpcErrorCode } from './protocol.js'

export type { RpcError, RpcErrorCode } from './protocol.js'

/**
 * How a gateway error reaches a client: one of OpenClaw's canonical codes, and whether retrying makes
 * sense. The gateway's own code always travels in `details.code`.
 */
interface RpcMapping {
  readonly code: RpcErrorCode
  readonly retryable?: boolean
}

const INVALID: RpcMapping = { code: 'INVALID_REQUEST' }
const FORBIDDEN: RpcMapping = { code: 'FORBIDDEN' }
/** Try again later: busy, rate-limited, timed out, or a backend that failed for now. */
const RETRY_LATER: RpcMapping = { code: 'UNAVAILABLE', retryable: true }
/** A failure on our side (a bug, a tool that threw): OpenClaw answers a throwing handler `UNAVAILABLE`. */
const FAILED: RpcMapping = { code: 'UNAVAILABLE' }

/** Coded errors whose protocol code is not obvious from their name or HTTP status. */
const BY_CODE: Readonly<Record<string, RpcMapping>> = {
  [CoreErrors.CORE_ERR_SESSION_BUSY.code]: RETRY_LATER,
  [CoreErrors.CORE_ERR_RUN_TIMEOUT.code]: { code: 'AGENT_TIMEOUT' },
  [CoreErrors.CORE_ERR_AGENT_UNKNOWN.code]: INVALID,
  [CoreErrors.CORE_ERR_CHANNEL_UNKNOWN.code]: INVALID,
  [CoreErrors.CORE_ERR_TOOL_UNKNOWN.code]: INVALID,
  [CoreErrors.CORE_ERR_TOOL_DENIED.code]: INVALID,
  [CoreErrors.CORE_ERR_TOOL_FAILED.code]: FAILED,
  [CoreErrors.CORE_ERR_NO_PROVIDER.code]: RETRY_LATER,
  [CoreErrors.CORE_ERR_PROVIDER_UNKNOWN.code]: RETRY_LATER,
  [CoreErrors.CORE_ERR_MODEL_FAILED.code]: RETRY_LATER,
  [CoreErrors.CORE_ERR_DELIVERY_FAILED.code]: RETRY_LATER,
  [CoreErrors.CORE_ERR_RUN_ABORTED.code]: RETRY_LATER,
  // OpenClaw's handshake lockout: INVALID_REQUEST, retryable, with retryAfterMs and details.code AUTH_RATE_LIMITED.
  [RPC_ERR_AUTH_RATE_LIMITED.code]: { code: 'INVALID_REQUEST', retryable: true },
}

const BY_STATUS: Readonly<Record<number, RpcMapping>> = {
  403: FORBIDDEN,
  408: RETRY_LATER,
  429: RETRY_LATER,
  502: RETRY_LATER,
  503: RETRY_LATER,
  504: RETRY_LATER,
}

/** How long a client should wait before retrying a busy session or a rate limit that names no time. */
const BUSY_RETRY_AFTER_MS = 1000

/**
 * The protocol mapping for a gateway error code (`CORE_ERR_*`, `RPC_ERR_*`, any plugin's): by table,
 * HTTP status, then name. Not-found, unauthorized and every other client error are `INVALID_REQUEST`
 * (as in OpenClaw: `unknown method: x`, `session not found: x`); timeouts, rate limits and failures
 * are `UNAVAILABLE`; a run's timeout is `AGENT_TIMEOUT`.
 */
export function rpcMappingOf(code: string, statusCode: number | undefined): RpcMapping {
  const known = BY_CODE[code]
  if (known) return known
  const byStatus = statusCode === undefined ? undefined : BY_STATUS[statusCode]
  if (byStatus) return byStatus
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return INVALID
  if (/_INVALID|_MISMATCH|_NOT_FOUND$|_UNKNOWN$/.test(code)) return INVALID
  if (/_TIMEOUT$/.test(code)) return RETRY_LATER
  if (statusCode === undefined || statusCode >= 500) return FAILED
  return INVALID
}

/** The protocol code for a gateway error code; see {@link rpcMappingOf}. */
export function rpcCodeOf(code: string, statusCode: number | undefined): RpcErrorCode {
  return rpcMappingOf(code, statusCode).code
}

/**
 * The error a client sees for something a handler threw. Coded errors keep their message (they are
 * written for callers) and put their code in `details.code`; anything else is `UNAVAILABLE` with a
 * generic message and `details.code: RPC_ERR_INTERNAL`. `unexpected` tells the caller to log it.
 */
export function toRpcError(err: unknown): { error: RpcError; unexpected: boolean } {
  if (!isCodedError(err)) return { error: { code: 'UNAVAILABLE', message: 'internal error', details: { code: RPC_ERR_INTERNAL.code } }, unexpected: true }
  const { code, retryable } = rpcMappingOf(err.code, err.statusCode)
  const extra = err.details
  const details = { code: err.code, ...(extra !== null && typeof extra === 'object' ? (extra as Record<string, unknown>) : {}) }
  if (!retryable) return { error: { code, message: err.message, details }, unexpected: false }
  const after = (err as { retryAfterMs?: unknown }).retryAfterMs
  const retryAfterMs = typeof after === 'number' ? after : err.statusCode === 429 ? BUSY_RETRY_AFTER_MS : undefined
  return { error: { code, message: err.message, details, retryable: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, unexpected: false }
}
