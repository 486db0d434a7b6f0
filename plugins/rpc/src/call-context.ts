import type { RpcCallContext } from '@openclaw/plugin-sdk'
import type { RequestId } from './frame-encoder.js'
import type { ConnectedClient, RpcConnection } from './rpc-connection.js'

/**
 * Returned by this plugin's own handlers that already answered on the connection themselves (the
 * `agent` ack must precede the run's first event, so it cannot wait for the dispatcher). The
 * dispatcher then sends nothing.
 */
export const RESPONDED: unique symbol = Symbol('rpc:responded')

const NO_CLIENT: ConnectedClient = Object.freeze({ id: '', version: '', mode: '' })

/** What a handler learns about its call. One small object per call; the abort signal is made lazily. */
export class CallContext implements RpcCallContext {
  constructor(
    readonly connection: RpcConnection,
    readonly id: RequestId,
  ) {}

  get requestId(): string {
    return String(this.id)
  }

  get connId(): string {
    return this.connection.id
  }

  get client(): ConnectedClient {
    return this.connection.client ?? NO_CLIENT
  }

  get signal(): AbortSignal {
    return this.connection.signal
  }

  emit(event: string, payload: unknown): void {
    this.connection.sendEvent(event, JSON.stringify(payload) ?? 'null')
  }
}

/** The connection and the raw request id behind a context this plugin created. */
export function callOf(ctx: RpcCallContext): { readonly connection: RpcConnection; readonly id: RequestId } {
  return ctx as CallContext
}
