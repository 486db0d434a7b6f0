import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { putFileWhole } from '@openclaw/plugin-sdk/files'
import { HTTP_ERR_TOKEN_FILE } from './errors.js'

/** The file under the state dir that holds the generated gateway token (mode 0600). */
export const GATEWAY_TOKEN_FILE = 'gateway.token'

/** Shortest token accepted from the file; anything shorter is treated as corrupt and replaced. */
const MIN_TOKEN_LENGTH = 16

function errorCode(err: unknown): string | undefined {
  return (err as { code?: string }).code
}

/**
 * The generated gateway token stored in `<stateDir>/gateway.token`, or `undefined` when there is
 * none (never generated, or unreadable). For `openclaw gateway token` and for the server itself.
 */
export function readGatewayToken(stateDir: string): string | undefined {
  try {
    const token = readFileSync(join(stateDir, GATEWAY_TOKEN_FILE), 'utf8').trim()
    return token.length >= MIN_TOKEN_LENGTH ? token : undefined
  } catch {
    return undefined
  }
}

/**
 * The token from `<stateDir>/gateway.token`, generating and storing it (mode 0600) when there is
 * none yet. `created` tells the caller to explain where it went; the token itself is never logged.
 */
export function ensureGatewayToken(stateDir: string): { token: string; path: string; created: boolean; permissionsFixed: boolean } {
  const path = join(stateDir, GATEWAY_TOKEN_FILE)
  try {
    const existing = readGatewayToken(stateDir)
    if (existing !== undefined) {
      let permissionsFixed = false
      // State files must not be group/world-readable.
      if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
        chmodSync(path, 0o600)
        permissionsFixed = true
      }
      return { token: existing, path, created: false, permissionsFixed }
    }
    mkdirSync(stateDir, { recursive: true, mode: 0o700 })
    const token = randomBytes(32).toString('base64url')
    // Exclusive and whole: two gateways starting at once on one state dir agree on one token.
    if (!putFileWhole(path, `${token}\n`, { replace: false })) {
      const raced = readGatewayToken(stateDir)
      if (raced !== undefined) return { token: raced, path, created: false, permissionsFixed: false }
      // The file exists but holds no usable token: replace it (and use what it holds then).
      putFileWhole(path, `${token}\n`, { replace: true })
      return { token: readGatewayToken(stateDir) ?? token, path, created: true, permissionsFixed: false }
    }
    return { token, path, created: true, permissionsFixed: false }
  } catch (err) {
    throw new HTTP_ERR_TOKEN_FILE(path, errorCode(err) ?? (err instanceof Error ? err.message : String(err)), { cause: err })
  }
}
