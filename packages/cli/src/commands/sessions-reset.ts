import type { CliIo } from '../cli-io.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import { withGateway } from '../with-gateway.js'

export interface SessionsResetOptions extends GatewayConnectionOptions {
  /** Scopes a bare key (`demo` → `agent:<agent>:demo`). */
  readonly agent?: string
  readonly json?: boolean
}

/** `openclaw sessions reset <key>`: clear a session's transcript on a running gateway; the session stays. */
export async function runSessionsReset(key: string, options: SessionsResetOptions, io: CliIo): Promise<void> {
  const params = { key, ...(options.agent !== undefined ? { agentId: options.agent } : {}) }
  const answer = await withGateway(options, io, (client) => client.call<{ key?: string }>('sessions.reset', params))
  io.stdout.write(options.json ? `${JSON.stringify(answer, null, 2)}\n` : `Reset ${answer.key ?? key}: its transcript is cleared.\n`)
}
