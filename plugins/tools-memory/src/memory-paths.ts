import { lstat, realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { MEM_ERR_PATH_REFUSED } from './errors.js'

/** Where memory lives: the workspace's `MEMORY.md` and `memory/**\/*.md`, plus extra directories or files. */
export interface MemoryRoots {
  readonly workspace: string
  /** Absolute paths of extra directories or Markdown files. */
  readonly extraPaths: readonly string[]
}

const toPosix = (p: string) => p.split(sep).join('/')

function inside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** Is `rel` (workspace-relative, `/`-separated) one of the workspace's memory files? */
export function isWorkspaceMemoryPath(rel: string): boolean {
  return rel === 'MEMORY.md' || (rel.startsWith('memory/') && rel.endsWith('.md'))
}

/** How a file is named in results and in `memory_get`: workspace-relative, else absolute (extra paths). */
export function displayPath(roots: MemoryRoots, absolute: string): string {
  return inside(roots.workspace, absolute) ? toPosix(relative(roots.workspace, absolute)) : absolute
}

/** Throws unless no component of `target` below `root` (nor `target`) is a symlink. Missing parts are fine. */
async function assertNoSymlinks(root: string, target: string, asked: string): Promise<void> {
  const parts = relative(root, target).split(sep).filter(Boolean)
  let at = root
  for (const part of parts) {
    at = resolve(at, part)
    const stat = await lstat(at).catch(() => undefined)
    if (!stat) return
    if (stat.isSymbolicLink()) throw new MEM_ERR_PATH_REFUSED(asked, 'it goes through a symbolic link')
  }
}

/**
 * Resolve a path given to `memory_get` to an absolute file inside the memory roots, or throw
 * MEM_ERR_PATH_REFUSED. Refused: empty paths, `..` segments, NUL bytes, absolute paths outside the
 * extra paths, anything that is not a memory Markdown file, and any symlink on the way (even one
 * pointing back inside). The real path is checked against the real root as well.
 */
export async function resolveMemoryPath(roots: MemoryRoots, asked: string): Promise<{ absolute: string; display: string }> {
  const raw = asked.trim()
  if (raw === '' || raw.includes('\0')) throw new MEM_ERR_PATH_REFUSED(asked, 'empty or malformed')
  if (raw.split(/[\\/]/).includes('..')) throw new MEM_ERR_PATH_REFUSED(asked, "'..' is not allowed")
  let root: string | undefined
  let absolute: string
  if (isAbsolute(raw)) {
    absolute = resolve(raw)
    root = roots.extraPaths.find((extra) => absolute === extra || (inside(extra, absolute) && absolute.endsWith('.md')))
    if (!root && inside(roots.workspace, absolute) && isWorkspaceMemoryPath(toPosix(relative(roots.workspace, absolute)))) root = roots.workspace
    if (!root) throw new MEM_ERR_PATH_REFUSED(asked, 'absolute paths outside the extra memory paths are not allowed')
  } else {
    absolute = resolve(roots.workspace, raw)
    const rel = toPosix(relative(roots.workspace, absolute))
    if (!inside(roots.workspace, absolute) || !isWorkspaceMemoryPath(rel)) {
      throw new MEM_ERR_PATH_REFUSED(asked, 'only MEMORY.md and memory/**/*.md (and the extra paths) can be read')
    }
    root = roots.workspace
  }
  const rootStat = await lstat(root).catch(() => undefined)
  if (rootStat?.isSymbolicLink() && root !== roots.workspace) throw new MEM_ERR_PATH_REFUSED(asked, 'the extra path is a symbolic link')
  await assertNoSymlinks(root, absolute, asked)
  const [realRoot, realTarget] = await Promise.all([realpath(root).catch(() => root), realpath(absolute).catch(() => undefined)])
  if (realTarget !== undefined && !inside(realRoot!, realTarget)) throw new MEM_ERR_PATH_REFUSED(asked, 'it resolves outside the memory files')
  return { absolute, display: displayPath(roots, absolute) }
}
