import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : []
  })
}

const srcDirs = ['packages', 'plugins'].flatMap((group) =>
  readdirSync(join(root, group)).map((pkg) => join(root, group, pkg, 'src')).filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory()),
)
const defined = new Set(srcDirs.flatMap(sourceFiles).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^export const [A-Z0-9_]+ =\s*createError<'([A-Z]+_ERR_[A-Z0-9_]+)'/gm)].map((m) => m[1]!)))
const docs = readFileSync(join(root, 'docs/errors.md'), 'utf8')
const documented = new Set([...docs.matchAll(/^### `([A-Z]+_ERR_[A-Z0-9_]+)`/gm)].map((m) => m[1]!))

describe('docs/errors.md', () => {
  it('lists every coded error of every package, and nothing else', () => {
    expect(defined.size).toBeGreaterThan(50)
    expect([...defined].filter((code) => !documented.has(code)).sort()).toEqual([])
    expect([...documented].filter((code) => !defined.has(code)).sort()).toEqual([])
  })

  it('has its generated sections up to date with the packages’ errors.ts', () => {
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/error-docs.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow()
  })

  it('never defines one code twice', () => {
    const all = srcDirs.flatMap(sourceFiles).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^export const [A-Z0-9_]+ =\s*createError<'([A-Z]+_ERR_[A-Z0-9_]+)'/gm)].map((m) => m[1]!))
    expect(all.length).toBe(defined.size)
  })
})
