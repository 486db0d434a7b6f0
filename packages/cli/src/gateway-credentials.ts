import { join } from 'node:path'
import { GATEWAY_TOKEN_FILE, readGatewayToken } from '@openclaw/plugin-http-server'
import type { CliConfig } from './cli-config.js'

/** `gateway.auth.mode`: what the gateway checks on HTTP routes and the WebSocket handshake. */
export type GatewayAuthMode = 'token' | 'password' | 'none'

/** A secret to present to the gateway, and where it came from (named in error messages, never printed). */
export interface GatewayCredential {
  readonly kind: 'token' | 'password'
  readonly value: string
  /** `--token`, `OPENCLAW_GATEWAY_TOKEN`, `gateway.auth.token in <file>`, `<state dir>/gateway.token`, … */
  readonly source: string
}

/**
 * What this machine's config and environment say about gateway auth, one source per field, so each
 * command can apply its own precedence: `openclaw gateway token` the gateway's own (config, then
 * environment, then the generated file), the gateway-backed commands the client's (environment,
 * then config, then the file).
 */
export interface LocalGatewayAuth {
  readonly mode: GatewayAuthMode
  /** `gateway.auth.token` (token mode) or `gateway.auth.password` (password mode). */
  readonly configured: GatewayCredential | undefined
  /** `OPENCLAW_GATEWAY_TOKEN` (token mode) or `OPENCLAW_GATEWAY_PASSWORD` (password mode). */
  readonly fromEnv: GatewayCredential | undefined
  /** The token the gateway generated into `<state dir>/gateway.token` on its first start (token mode). */
  readonly generated: GatewayCredential | undefined
}

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

/** The configured auth mode; `token` unless the file says `password` or `none` (as the gateway defaults). */
function gatewayAuthMode(config: CliConfig): GatewayAuthMode {
  const mode = (config.raw.gateway as { auth?: { mode?: unknown } } | undefined)?.auth?.mode
  return mode === 'password' || mode === 'none' ? mode : 'token'
}

/** Read `gateway.auth`, the environment and the generated token file for `config`. */
export function localGatewayAuth(config: CliConfig, env: NodeJS.ProcessEnv): LocalGatewayAuth {
  const auth = (config.raw.gateway as { auth?: { token?: unknown; password?: unknown } } | undefined)?.auth ?? {}
  const mode = gatewayAuthMode(config)
  if (mode === 'none') return { mode, configured: undefined, fromEnv: undefined, generated: undefined }
  const credential = (value: string | undefined, source: string): GatewayCredential | undefined => (value === undefined ? undefined : { kind: mode, value, source })
  if (mode === 'password') {
    return {
      mode,
      configured: credential(nonEmpty(auth.password), `gateway.auth.password in ${config.configPath}`),
      fromEnv: credential(nonEmpty(env.OPENCLAW_GATEWAY_PASSWORD), 'OPENCLAW_GATEWAY_PASSWORD'),
      generated: undefined,
    }
  }
  return {
    mode,
    configured: credential(nonEmpty(auth.token), `gateway.auth.token in ${config.configPath}`),
    fromEnv: credential(nonEmpty(env.OPENCLAW_GATEWAY_TOKEN), 'OPENCLAW_GATEWAY_TOKEN'),
    generated: credential(readGatewayToken(config.stateDir), join(config.stateDir, GATEWAY_TOKEN_FILE)),
  }
}
