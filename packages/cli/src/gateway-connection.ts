import { isIP } from 'node:net'
import { DEFAULT_PORT, resolveBindHost } from '@openclaw/plugin-http-server'
import { loadCliConfig, type CliConfig, type ConfigLocation } from './cli-config.js'
import { CLI_ERR_GATEWAY_URL_INVALID } from './errors.js'
import { localGatewayAuth, type GatewayCredential, type LocalGatewayAuth } from './gateway-credentials.js'
import { portFromEnv } from './gateway-port.js'
import { normalizeGatewayUrl, redactUrl } from './gateway-url.js'

/** The flags every gateway-backed command takes. `--url` is already normalized by its option parser. */
export interface GatewayConnectionOptions extends ConfigLocation {
  readonly url?: string
  readonly token?: string
  readonly password?: string
}

/** Where to connect and what to present. */
export interface GatewayConnection {
  readonly url: string
  /** Where the URL came from, for error messages: `--url`, `OPENCLAW_GATEWAY_URL`, `gateway.port in <file>`, … */
  readonly urlSource: string
  /** `undefined`: connect without one (a gateway in `none` mode, or nothing found). */
  readonly credential: GatewayCredential | undefined
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value)

/** Listening on every address includes loopback, which is what a client on this machine should use. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]'])

/** The URL of the gateway this machine's config describes: its bind host (loopback for wildcards) and port. */
function localUrl(config: CliConfig, env: NodeJS.ProcessEnv): { url: string; source: string } {
  const gateway = (config.raw.gateway ?? {}) as { port?: unknown; bind?: unknown }
  const envPort = portFromEnv(env)
  const filePort = typeof gateway.port === 'number' && Number.isInteger(gateway.port) && gateway.port > 0 ? gateway.port : undefined
  const port = envPort ?? filePort ?? DEFAULT_PORT
  const bindHost = resolveBindHost(typeof gateway.bind === 'string' && gateway.bind !== '' ? gateway.bind : 'loopback')
  const host = WILDCARD_HOSTS.has(bindHost) ? '127.0.0.1' : bindHost
  const source =
    envPort !== undefined ? 'OPENCLAW_GATEWAY_PORT'
    : filePort !== undefined ? `gateway.port in ${config.configPath}`
    : 'the default port'
  return { url: `ws://${isIP(host) === 6 ? `[${host}]` : host}:${port}`, source }
}

/**
 * Where a gateway-backed command connects, and with what credential. Each comes from the first of:
 *
 * 1. the flags: `--url`, `--token` / `--password`;
 * 2. the environment: `OPENCLAW_GATEWAY_URL`, `OPENCLAW_GATEWAY_TOKEN` / `OPENCLAW_GATEWAY_PASSWORD`;
 * 3. this machine's config (`--config`, `--state-dir` as for every command): `ws://<gateway.bind
 *    host, loopback for lan>:<OPENCLAW_GATEWAY_PORT or gateway.port or 18789>`, and `gateway.auth.token`
 *    (`.password` in password mode), else the token the gateway generated into `<state dir>/gateway.token`.
 *
 * The config file is read only when the flags and environment leave something open.
 */
export function resolveGatewayConnection(options: GatewayConnectionOptions, env: NodeJS.ProcessEnv): GatewayConnection {
  let local: { config: CliConfig; auth: LocalGatewayAuth } | undefined
  const readLocal = () => {
    if (local === undefined) {
      const config = loadCliConfig(options, env)
      local = { config, auth: localGatewayAuth(config, env) }
    }
    return local
  }

  let url: { url: string; source: string } | undefined
  if (options.url !== undefined) url = { url: options.url, source: '--url' }
  else {
    const fromEnv = nonEmpty(env.OPENCLAW_GATEWAY_URL)
    if (fromEnv !== undefined) {
      const normalized = normalizeGatewayUrl(fromEnv)
      if (normalized === undefined) throw new CLI_ERR_GATEWAY_URL_INVALID(redactUrl(fromEnv), 'OPENCLAW_GATEWAY_URL')
      url = { url: normalized, source: 'OPENCLAW_GATEWAY_URL' }
    }
  }

  let credential: GatewayCredential | undefined
  if (options.token !== undefined) credential = { kind: 'token', value: options.token, source: '--token' }
  else if (options.password !== undefined) credential = { kind: 'password', value: options.password, source: '--password' }
  else {
    const envToken = nonEmpty(env.OPENCLAW_GATEWAY_TOKEN)
    const envPassword = nonEmpty(env.OPENCLAW_GATEWAY_PASSWORD)
    if (envToken !== undefined && envPassword !== undefined) {
      // Both set: the local gateway's mode decides, as it does for the gateway itself.
      credential = readLocal().auth.fromEnv
    } else if (envToken !== undefined) credential = { kind: 'token', value: envToken, source: 'OPENCLAW_GATEWAY_TOKEN' }
    else if (envPassword !== undefined) credential = { kind: 'password', value: envPassword, source: 'OPENCLAW_GATEWAY_PASSWORD' }
    else {
      const { auth } = readLocal()
      credential = auth.configured ?? auth.generated
    }
  }

  url ??= localUrl(readLocal().config, env)
  return { url: url.url, urlSource: url.source, credential }
}
