import type { CliIo } from '../cli-io.js'
import { DEFAULT_CALL_TIMEOUT_MS } from '../gateway-client.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import { withGateway } from '../with-gateway.js'

export interface GatewayCallOptions extends GatewayConnectionOptions {
  /** The method's params: a JSON object (already parsed by the option). */
  readonly params?: Readonly<Record<string, unknown>>
  /** Seconds to wait for the answer; 0 means no limit. Default 30, none for `agent`. */
  readonly timeout?: number
  /** Accepted for scripts: the output is JSON either way. */
  readonly json?: boolean
}

/**
 * `openclaw gateway call <method>`: one RPC call on a running gateway, its payload printed as JSON.
 * `agent`, `chat.send` and `send` get a generated idempotency key unless `--params` has one; `agent`
 * prints its final answer, not the ack.
 */
export async function runGatewayCall(method: string, options: GatewayCallOptions, io: CliIo): Promise<void> {
  const timeoutMs = options.timeout !== undefined ? Math.round(options.timeout * 1000) : method === 'agent' ? 0 : DEFAULT_CALL_TIMEOUT_MS
  const payload = await withGateway(options, io, (client) => client.call(method, options.params, { timeoutMs }))
  io.stdout.write(`${JSON.stringify(payload ?? null, null, 2)}\n`)
}
