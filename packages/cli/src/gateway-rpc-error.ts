/** The `error` of a protocol v4 `res` frame. */
export interface RpcErrorShape {
  /** The protocol code: `INVALID_REQUEST`, `UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, `UNAVAILABLE`, `RATE_LIMITED`, `TIMEOUT`, `INTERNAL`. */
  readonly code: string
  readonly message: string
  /** `details.code` is the gateway's own coded error (`RPC_ERR_…`, `CORE_ERR_…`) or an auth code. */
  readonly details?: { readonly code?: string; readonly [key: string]: unknown }
  readonly retryable?: boolean
  readonly retryAfterMs?: number
}

/**
 * A gateway's error answer to a call, as the CLI reports it: `error [<protocol code>]: <message>
 * (<gateway code>)`, exit 1. Carries the method and the whole error, as grammY's `GrammyError`
 * carries the remote call.
 */
export class GatewayRpcError extends Error {
  override name = 'GatewayRpcError'
  /** The protocol code (what `formatError` prints in brackets). */
  readonly code: string
  /** The gateway's own code, from `details.code`, when it sent one. */
  readonly gatewayCode: string | undefined

  constructor(
    readonly method: string,
    readonly error: RpcErrorShape,
  ) {
    const gatewayCode = typeof error.details?.code === 'string' ? error.details.code : undefined
    const retry = error.retryAfterMs !== undefined ? `; retry in ${Math.ceil(error.retryAfterMs / 1000)} s` : ''
    super(`${error.message}${gatewayCode ? ` (${gatewayCode}${retry})` : retry ? ` (${retry.slice(2)})` : ''}`)
    this.code = error.code
    this.gatewayCode = gatewayCode
  }
}

/** True for a frame's `error` that looks like the protocol's error shape. */
export function isRpcErrorShape(value: unknown): value is RpcErrorShape {
  return typeof value === 'object' && value !== null && typeof (value as RpcErrorShape).code === 'string' && typeof (value as RpcErrorShape).message === 'string'
}
