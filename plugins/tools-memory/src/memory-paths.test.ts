import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveMemoryPath } from './memory-paths.js'

function setup() {
  const ws = mkdtempSync(join(tmpdir(), 'oc-mem-paths-'))
  const extra = mkdtempSync(join(tmpdir(), 'oc-mem-extra-'))
  const outside = mkdtempSync(join(tmpdir(), 'oc-mem-outside-'))
  mkdirSync(join(ws, 'memory', 'deep'), { recursive: true })
  writeFileSync(join(ws, 'MEMORY.md'), 'm')
  writeFileSync(join(ws, 'memory', 'deep', 'a.md'), 'a')
  writeFileSync(join(extra, 'team.md'), 't')
  writeFileSync(join(outside, 'secret.md'), 's')
  symlinkSync(join(outside, 'secret.md'), join(ws, 'memory', 'link.md'))
  symlinkSync(outside, join(ws, 'memory', 'linked-dir'))
  symlinkSync(join(ws, 'MEMORY.md'), join(ws, 'memory', 'inside-link.md'))
  return { roots: { workspace: ws, extraPaths: [extra] }, ws, extra, outside }
}

describe('resolveMemoryPath', () => {
  it('accepts MEMORY.md, memory/**/*.md and files under the extra paths', async () => {
    const { roots, ws, extra } = setup()
    expect(await resolveMemoryPath(roots, 'MEMORY.md')).toEqual({ absolute: join(ws, 'MEMORY.md'), display: 'MEMORY.md' })
    expect((await resolveMemoryPath(roots, 'memory/deep/a.md')).display).toBe('memory/deep/a.md')
    expect((await resolveMemoryPath(roots, join(extra, 'team.md'))).display).toBe(join(extra, 'team.md'))
  })

  it.each([
    ['../x.md', "'..'"],
    ['memory/../../x.md', "'..'"],
    ['/etc/passwd', 'absolute'],
    ['notes.md', 'only MEMORY.md'],
    ['memory/a.txt', 'only MEMORY.md'],
    ['memory/link.md', 'symbolic link'],
    ['memory/linked-dir/secret.md', 'symbolic link'],
    ['memory/inside-link.md', 'symbolic link'],
    ['', 'empty'],
  ])('refuses %s with MEM_ERR_PATH_REFUSED', async (path, reason) => {
    const { roots } = setup()
    await expect(resolveMemoryPath(roots, path)).rejects.toMatchObject({ code: 'MEM_ERR_PATH_REFUSED', statusCode: 403, message: expect.stringContaining(reason) })
  })

  it('refuses an absolute path into another folder', async () => {
    const { roots, outside } = setup()
    await expect(resolveMemoryPath(roots, join(outside, 'secret.md'))).rejects.toMatchObject({ code: 'MEM_ERR_PATH_REFUSED' })
  })
})
