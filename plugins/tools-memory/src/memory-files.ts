import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { displayPath, type MemoryRoots } from './memory-paths.js'

/** Markdown files under `dir`, recursively, skipping symlinks and dot-folders. */
async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isSymbolicLink()) continue
    if (entry.isDirectory() && !entry.name.startsWith('.')) await walk(path, out)
    else if (entry.isFile() && entry.name.endsWith('.md')) out.push(path)
  }
}

/** Every memory file: `MEMORY.md`, `memory/**\/*.md`, and the extra paths; symlinks are skipped. */
export async function listMemoryFiles(roots: MemoryRoots): Promise<{ absolute: string; display: string }[]> {
  const found: string[] = []
  const top = join(roots.workspace, 'MEMORY.md')
  if ((await lstat(top).catch(() => undefined))?.isFile()) found.push(top)
  await walk(join(roots.workspace, 'memory'), found)
  for (const extra of roots.extraPaths) {
    const stat = await lstat(extra).catch(() => undefined)
    if (stat?.isDirectory()) await walk(extra, found)
    else if (stat?.isFile() && extra.endsWith('.md')) found.push(extra)
  }
  return [...new Set(found)].map((absolute) => ({ absolute, display: displayPath(roots, absolute) }))
}
