import type { ZodType } from 'zod'

/** What an RPC method handler knows about the call. */
export interface RpcCallContext {
  /** The request frame's id. */
  readonly requestId: string
  readonly connId: string
  readonly client: { readonly id: string; readonly version: string; readonly mode: string }
  /** Aborted when the connection closes. */
  readonly signal: AbortSignal
  /** Send an event frame to this connection only. */
  emit(event: string, payload: unknown): void
}

/**
 * A WebSocket RPC method. `params` is validated before the handler runs; an unknown or mistyped
 * field answers `INVALID_REQUEST` naming it.
 */
export interface RpcMethodDefinition<Params = unknown, Result = unknown> {
  readonly name: string
  readonly description?: string
  readonly params?: ZodType<Params>
  handler(params: Params, ctx: RpcCallContext): Promise<Result> | Result
}
