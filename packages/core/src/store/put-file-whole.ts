import { randomBytes } from 'node:crypto'
import { linkSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'

/**
 * Put a small private file (mode 0600) in place whole: `content` goes to a temp file beside `path`
 * first, then is hard-linked to `path` only if it does not exist yet (`replace` false: false when it
 * does), or renamed over it (`replace` true). A reader never sees it half-written, and of several
 * processes creating it at once exactly one wins: what state files (a lock, a generated token or key)
 * need when gateways start side by side.
 */
export function putFileWhole(path: string, content: string, options: { readonly replace: boolean }): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  writeFileSync(temp, content, { mode: 0o600, flag: 'wx' })
  try {
    if (options.replace) renameSync(temp, path)
    else linkSync(temp, path)
    return true
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EEXIST') return false
    throw err
  } finally {
    try {
      unlinkSync(temp)
    } catch {
      // Renamed into place: nothing left to remove.
    }
  }
}
