import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** Where `openclaw plugins install` puts plugins: an npm project the gateway discovers plugins in. */
export function extensionsDir(stateDir: string): string {
  return join(stateDir, 'extensions')
}

/** The lock file beside the installed plugins: what was installed, from where, and its integrity. */
export const LOCK_FILE = 'openclaw-plugins.lock.json'

export interface LockEntry {
  /** npm package name. */
  readonly package: string
  readonly version: string
  /** The installed tarball's integrity (`sha512-…`), as npm computes it. */
  readonly integrity: string
  /** What was asked for: a folder, a tarball or an npm spec. */
  readonly source: string
  /** The tarball kept under `extensions/.tarballs/`, relative to the extensions folder. */
  readonly tarball: string
  readonly installedAt: string
}

export interface PluginLock {
  readonly lockfileVersion: 1
  /** Plugin id → what is installed. */
  readonly plugins: Record<string, LockEntry>
}

export function readLock(extDir: string): PluginLock {
  const path = join(extDir, LOCK_FILE)
  if (!existsSync(path)) return { lockfileVersion: 1, plugins: {} }
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<PluginLock>
  return { lockfileVersion: 1, plugins: { ...(parsed.plugins ?? {}) } }
}

export function writeLock(extDir: string, lock: PluginLock): void {
  const sorted = Object.fromEntries(Object.entries(lock.plugins).sort(([a], [b]) => a.localeCompare(b)))
  writeFileSync(join(extDir, LOCK_FILE), `${JSON.stringify({ lockfileVersion: 1, plugins: sorted }, null, 2)}\n`)
}

/** Make the extensions folder an npm project (once). */
export function ensureExtensionsDir(extDir: string): void {
  mkdirSync(join(extDir, '.tarballs'), { recursive: true })
  const pkg = join(extDir, 'package.json')
  if (!existsSync(pkg)) {
    writeFileSync(pkg, `${JSON.stringify({ name: 'openclaw-extensions', private: true, description: 'Plugins installed by `openclaw plugins install`; do not edit by hand', dependencies: {} }, null, 2)}\n`)
  }
}

/** The packages the host shares with every plugin: one copy, the CLI's own. */
export const HOST_PACKAGES = ['@openclaw/plugin-sdk', '@openclaw/core'] as const

/** The folder of the host's copy of a package (the one this CLI runs with). */
export function hostPackageDir(name: string): string {
  const require = createRequire(import.meta.url)
  return realpathSync(dirname(require.resolve(`${name}/package.json`)))
}

/** Whether `extensions/node_modules/<name>` is a link to the host's copy. */
export function isLinkedToHost(extDir: string, name: string): boolean {
  const path = join(extDir, 'node_modules', name)
  try {
    return lstatSync(path).isSymbolicLink() && realpathSync(path) === hostPackageDir(name)
  } catch {
    return false
  }
}

/**
 * Point `extensions/node_modules/@openclaw/{plugin-sdk,core}` at the host's copies, replacing any
 * copy npm put there, so plugins and the gateway share one SDK and one core (tokens, hooks and error
 * classes are the same objects). Runs after every npm command in the folder.
 */
export function linkHostPackages(extDir: string): void {
  for (const name of HOST_PACKAGES) {
    const path = join(extDir, 'node_modules', name)
    if (isLinkedToHost(extDir, name)) continue
    let exists = false
    try {
      lstatSync(path)
      exists = true
    } catch {
      exists = false
    }
    if (exists) rmSync(path, { recursive: true, force: true })
    mkdirSync(dirname(path), { recursive: true })
    symlinkSync(hostPackageDir(name), path, process.platform === 'win32' ? 'junction' : 'dir')
  }
}

/** Where a link under the extensions folder points, for `doctor`. */
export function linkTarget(path: string): string | undefined {
  try {
    return readlinkSync(path)
  } catch {
    return undefined
  }
}
