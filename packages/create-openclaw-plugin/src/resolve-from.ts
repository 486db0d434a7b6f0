import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { CREATE_ERR_FROM_INVALID } from './errors.js'

/** `openclaw-plugin-sdk-1.0.0.tgz` (what `pnpm pack` names `@openclaw/plugin-sdk@1.0.0`) → `@openclaw/plugin-sdk`. */
const PACK_FILE = /^openclaw-(.+?)-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.tgz$/

/**
 * `--from`: a folder holding `pnpm pack` tarballs of the `@openclaw/*` packages, or a comma-separated
 * list of tarballs. Answers package name → `file:` spec (absolute), for the generated package.json.
 */
export function resolveFrom(from: string, cwd: string): Map<string, string> {
  const paths = from.split(',').map((part) => resolve(cwd, part.trim())).filter((p) => p !== '')
  const files: string[] = []
  for (const path of paths) {
    if (!existsSync(path)) throw new CREATE_ERR_FROM_INVALID(from, `'${path}' does not exist`)
    if (statSync(path).isDirectory()) files.push(...readdirSync(path).filter((n) => n.endsWith('.tgz')).sort().map((n) => join(path, n)))
    else files.push(path)
  }
  const specs = new Map<string, string>()
  for (const file of files) {
    const match = PACK_FILE.exec(basename(file))
    if (match) specs.set(`@openclaw/${match[1]}`, `file:${file}`)
  }
  if (specs.size === 0) throw new CREATE_ERR_FROM_INVALID(from, 'no @openclaw/* tarballs (openclaw-<name>-<version>.tgz, as `pnpm pack` names them) found there')
  return specs
}
