import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { EXIT_FAILURE } from '../exit-codes.js'
import { formatDuration } from '../format-duration.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import { withGateway } from '../with-gateway.js'

export interface HealthOptions extends GatewayConnectionOptions {
  readonly json?: boolean
}

/** The `health` method's answer. */
interface HealthPayload {
  readonly ok?: boolean
  readonly uptimeMs?: number
}

/**
 * `openclaw health`: ask a running gateway whether it is ready. Prints one line (`--json`: the
 * payload); exits 1 when the gateway answers that it is not ready.
 */
export async function runHealth(options: HealthOptions, io: CliIo): Promise<void> {
  const { payload, url, version } = await withGateway(options, io, async (client) => ({
    payload: await client.call<HealthPayload>('health', {}),
    url: client.url,
    version: client.hello.server.version,
  }))
  if (options.json) io.stdout.write(`${JSON.stringify(payload, null, 2)}\n`)
  else {
    const uptime = typeof payload.uptimeMs === 'number' ? `, up ${formatDuration(payload.uptimeMs)}` : ''
    io.stdout.write(`${payload.ok === true ? 'ok' : 'not ready'}: gateway ${version} at ${url}${uptime}\n`)
  }
  if (payload.ok !== true) throw new CliExit(EXIT_FAILURE)
}
