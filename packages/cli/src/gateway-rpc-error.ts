import { isRpcError, type RpcError } from '@openclaw/plugin-rpc'

/** The `error` of a protocol v4 `res` frame, as the rpc plugin defines it. */
export type RpcErrorShape = RpcError

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
export const isRpcErrorShape = isRpcError
