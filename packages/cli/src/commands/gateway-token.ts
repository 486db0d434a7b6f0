import { loadCliConfig, type ConfigLocation } from '../cli-config.js'
import type { CliIo } from '../cli-io.js'
import { CLI_ERR_TOKEN_MISSING, CLI_ERR_TOKEN_NOT_USED } from '../errors.js'
import { localGatewayAuth } from '../gateway-credentials.js'

export type GatewayTokenOptions = ConfigLocation

/**
 * `openclaw gateway token`: the token clients send as `Authorization: Bearer <token>`, from
 * `gateway.auth.token`, else `OPENCLAW_GATEWAY_TOKEN`, else the file the gateway generated on its
 * first start (the gateway's own order). Prints only the token, so `$(openclaw gateway token)` works.
 */
export function runGatewayToken(options: GatewayTokenOptions, io: CliIo): void {
  const config = loadCliConfig(options, io.env)
  const auth = localGatewayAuth(config, io.env)
  if (auth.mode !== 'token') throw new CLI_ERR_TOKEN_NOT_USED(auth.mode)
  const token = auth.configured ?? auth.fromEnv ?? auth.generated
  if (token === undefined) throw new CLI_ERR_TOKEN_MISSING(config.stateDir)
  io.stdout.write(`${token.value}\n`)
}
