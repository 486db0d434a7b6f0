import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { MANIFEST_FILE } from './plugin-manifest.js'

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function childDirs(dir: string): string[] {
  if (!isDir(dir)) return []
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => join(dir, name))
    .filter(isDir)
}

/**
 * Plugin folders (those holding an `openclaw.plugin.json`) under the given roots. A root that is itself
 * a plugin folder counts as one; otherwise its children are looked at, including `node_modules`
 * packages (scoped too) for install roots such as `<stateDir>/extensions`.
 */
export function discoverPluginDirs(roots: readonly string[]): string[] {
  const found: string[] = []
  const seen = new Set<string>()
  const add = (dir: string) => {
    const abs = resolve(dir)
    if (!seen.has(abs) && existsSync(join(abs, MANIFEST_FILE))) {
      seen.add(abs)
      found.push(abs)
    }
  }
  for (const root of roots) {
    if (existsSync(join(root, MANIFEST_FILE))) {
      add(root)
      continue
    }
    for (const dir of childDirs(root)) add(dir)
    for (const dir of childDirs(join(root, 'node_modules'))) {
      if (dir.split(/[\\/]/).pop()!.startsWith('@')) childDirs(dir).forEach(add)
      else add(dir)
    }
  }
  return found
}
