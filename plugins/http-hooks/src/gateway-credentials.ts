import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GatewayRuntime } from '@openclaw/plugin-sdk'

/**
 * The file the HTTP server plugin generates its token into. Plugins never import each other, so the
 * name is repeated here; it is part of the state-dir layout (`openclaw gateway token` reads it too).
 */
const GATEWAY_TOKEN_FILE = 'gateway.token'

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/**
 * Every gateway credential in play, each with where it comes from: `gateway.auth.token`/`password`,
 * OPENCLAW_GATEWAY_TOKEN/PASSWORD and the generated `<stateDir>/gateway.token`.
 */
export function gatewayCredentials(gateway: GatewayRuntime, env: NodeJS.ProcessEnv = process.env): { source: string; value: string }[] {
  const auth = (gateway.config.gateway as { auth?: { token?: unknown; password?: unknown } }).auth
  let stored: string | undefined
  try {
    stored = nonEmpty(readFileSync(join(gateway.stateDir, GATEWAY_TOKEN_FILE), 'utf8'))
  } catch {
    stored = undefined
  }
  const candidates: [string, string | undefined][] = [
    ['gateway.auth.token', nonEmpty(auth?.token)],
    ['gateway.auth.password', nonEmpty(auth?.password)],
    ['OPENCLAW_GATEWAY_TOKEN', nonEmpty(env.OPENCLAW_GATEWAY_TOKEN)],
    ['OPENCLAW_GATEWAY_PASSWORD', nonEmpty(env.OPENCLAW_GATEWAY_PASSWORD)],
    [`the generated token in ${GATEWAY_TOKEN_FILE}`, stored],
  ]
  return candidates.filter((c): c is [string, string] => c[1] !== undefined).map(([source, value]) => ({ source, value }))
}
