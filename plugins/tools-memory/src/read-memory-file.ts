import { readFile } from 'node:fs/promises'
import { resolveMemoryPath, type MemoryRoots } from './memory-paths.js'

/** OpenClaw's `memory_get` defaults: 120 lines, 12,000 characters. */
export const DEFAULT_READ_LINES = 120
export const DEFAULT_READ_CHARS = 12_000

export type MemoryReadResult =
  | { readonly status: 'ok'; readonly path: string; readonly text: string; readonly from: number; readonly lines: number; readonly truncated?: true; readonly nextFrom?: number }
  | { readonly status: 'not_found'; readonly path: string; readonly text: '' }

/** Read lines `from`… of a memory file (refusing anything outside the memory files), OpenClaw's shape. */
export async function readMemoryFile(roots: MemoryRoots, asked: string, options: { from?: number; lines?: number } = {}): Promise<MemoryReadResult> {
  const { absolute, display } = await resolveMemoryPath(roots, asked)
  let content: string
  try {
    content = await readFile(absolute, 'utf8')
  } catch {
    return { status: 'not_found', path: display, text: '' }
  }
  const all = content.split(/\r?\n/)
  if (all.at(-1) === '') all.pop()
  const from = options.from ?? 1
  const selected = all.slice(from - 1, from - 1 + (options.lines ?? DEFAULT_READ_LINES))
  let included = 0
  let chars = 0
  for (const line of selected) {
    if (included > 0 && chars + line.length + 1 > DEFAULT_READ_CHARS) break
    chars += line.length + (included > 0 ? 1 : 0)
    included++
  }
  const more = from - 1 + included < all.length
  const text = selected.slice(0, included).join('\n').slice(0, DEFAULT_READ_CHARS)
  return more
    ? { status: 'ok', path: display, text: `${text}\n\n[More content available. Use from=${from + included} to continue.]`, from, lines: included, truncated: true, nextFrom: from + included }
    : { status: 'ok', path: display, text, from, lines: included }
}
