import { statSync } from 'node:fs'

/**
 * The state dir's mode (octal, e.g. `755`) when users other than its owner may read or enter it, else
 * `undefined`. It holds every transcript, the gateway token and per-install secrets. Not on Windows.
 */
export function stateDirOpenToOthers(stateDir: string): string | undefined {
  if (process.platform === 'win32') return undefined
  try {
    const mode = statSync(stateDir).mode & 0o777
    return (mode & 0o077) !== 0 ? mode.toString(8) : undefined
  } catch {
    return undefined
  }
}
