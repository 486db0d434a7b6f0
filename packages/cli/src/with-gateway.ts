import type { CliIo } from './cli-io.js'
import { CLI_VERSION } from './cli-version.js'
import { GatewayClient } from './gateway-client.js'
import { resolveGatewayConnection, type GatewayConnectionOptions } from './gateway-connection.js'

/**
 * Resolve where the gateway is (flags, environment, config), connect, run `use` with the client,
 * and close the connection however `use` ends.
 */
export async function withGateway<T>(options: GatewayConnectionOptions, io: CliIo, use: (client: GatewayClient) => Promise<T>): Promise<T> {
  const connection = resolveGatewayConnection(options, io.env)
  const client = await GatewayClient.connect({
    url: connection.url,
    urlSource: connection.urlSource,
    clientVersion: CLI_VERSION,
    ...(connection.credential ? { credential: connection.credential } : {}),
  })
  try {
    return await use(client)
  } finally {
    await client.close()
  }
}
