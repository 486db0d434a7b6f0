import { CLI_ERR_PORT_ENV_INVALID } from './errors.js'

/**
 * `OPENCLAW_GATEWAY_PORT`, when set: the port `openclaw gateway` listens on unless `--port` is given,
 * and so the port the gateway-backed commands connect to unless told otherwise.
 */
export function portFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.OPENCLAW_GATEWAY_PORT
  if (value === undefined || value === '') return undefined
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new CLI_ERR_PORT_ENV_INVALID(value)
  return port
}
