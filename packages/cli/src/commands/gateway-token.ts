import { readGatewayToken } from '@openclaw/plugin-http-server'
import { loadCliConfig, type ConfigLocation } from '../cli-config.js'
import type { CliIo } from '../cli-io.js'
import { CLI_ERR_TOKEN_MISSING, CLI_ERR_TOKEN_NOT_USED } from '../errors.js'

export type GatewayTokenOptions = ConfigLocation

/**
 * `openclaw gateway token`: the token clients send as `Authorization: Bearer <token>`, from
 * `gateway.auth.token`, else `OPENCLAW_GATEWAY_TOKEN`, else the file the gateway generated on its
 * first start. Prints only the token, so `$(openclaw gateway token)` works.
 */
export function runGatewayToken(options: GatewayTokenOptions, io: CliIo): void {
  const config = loadCliConfig(options, io.env)
  const auth = ((config.raw.gateway as { auth?: { mode?: unknown; token?: unknown } } | undefined)?.auth ?? {})
  if (auth.mode === 'password' || auth.mode === 'none') throw new CLI_ERR_TOKEN_NOT_USED(auth.mode)
  const token =
    (typeof auth.token === 'string' && auth.token !== '' ? auth.token : undefined)
    ?? (io.env.OPENCLAW_GATEWAY_TOKEN || undefined)
    ?? readGatewayToken(config.stateDir)
  if (token === undefined) throw new CLI_ERR_TOKEN_MISSING(config.stateDir)
  io.stdout.write(`${token}\n`)
}
