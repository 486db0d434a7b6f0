import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { runCreate } from './run-create.js'
import { OPENCLAW_RANGE, PLUGIN_API_RANGE } from './versions.js'

let cwd: string

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'create-openclaw-plugin-'))
})

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCreate(argv, { cwd, interactive: false, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } })
  return { code, stdout, stderr }
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
}

describe('create-openclaw-plugin', () => {
  for (const kind of ['channel', 'tool', 'skill', 'provider']) {
    it(`should scaffold a ${kind} plugin with every placeholder filled`, async () => {
      const { code, stdout } = await run('--kind', kind, '--name', `@acme/openclaw-plugin-demo-${kind}`, '--dir', 'out', '--yes')
      expect(code).toBe(0)
      expect(stdout).toContain('npm install')
      const dir = join(cwd, 'out')
      const files = filesUnder(dir)
      expect(files).toEqual(expect.arrayContaining(['package.json', 'tsconfig.json', 'tsup.config.ts', '.gitignore', 'README.md', 'src/index.ts', 'src/index.test.ts']))
      for (const file of files) expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/__[A-Z_]+__/)
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      expect(pkg).toMatchObject({ name: `@acme/openclaw-plugin-demo-${kind}`, type: 'module', peerDependencies: { '@openclaw/plugin-sdk': OPENCLAW_RANGE } })
      expect(pkg.scripts.build).toContain('openclaw-plugin-manifest')
      expect(pkg.scripts.test).toBe('vitest run')
      expect(pkg.devDependencies).toMatchObject({ vitest: expect.any(String), tsup: expect.any(String), typescript: expect.any(String) })
      const source = readFileSync(join(dir, 'src/index.ts'), 'utf8')
      expect(source).toContain(`'${kind}:demo-${kind}'`)
      expect(source).toContain(`apiVersion: '${PLUGIN_API_RANGE}'`)
      expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).not.toContain('skipLibCheck')
    })
  }

  it('should take @openclaw/* from local tarballs with --from', async () => {
    const packs = join(cwd, 'packs')
    mkdirSync(packs)
    for (const file of ['openclaw-core-1.0.0.tgz', 'openclaw-plugin-sdk-1.0.0.tgz', 'openclaw-plugin-http-server-1.0.0.tgz']) writeFileSync(join(packs, file), '')
    expect((await run('--kind', 'channel', '--name', 'demo-channel', '--from', packs, '--yes')).code).toBe(0)
    const pkg = JSON.parse(readFileSync(join(cwd, 'demo-channel', 'package.json'), 'utf8'))
    expect(pkg.devDependencies['@openclaw/plugin-sdk']).toBe(`file:${join(packs, 'openclaw-plugin-sdk-1.0.0.tgz')}`)
    expect(pkg.devDependencies['@openclaw/plugin-http-server']).toBe(`file:${join(packs, 'openclaw-plugin-http-server-1.0.0.tgz')}`)
    expect(pkg.peerDependencies['@openclaw/plugin-sdk']).toBe(OPENCLAW_RANGE)
  })

  describe('bad input', () => {
    it('should refuse an unknown kind', async () => {
      const { code, stderr } = await run('--kind', 'widget', '--name', 'x', '--yes')
      expect(code).toBe(1)
      expect(stderr).toBe("error [CREATE_ERR_KIND_UNKNOWN]: Unknown plugin kind 'widget': expected one of channel, tool, skill, provider\n")
      expect(readdirSync(cwd)).toEqual([])
    })

    for (const [name, reason] of [
      ['My-Plugin', 'uppercase'],
      ['.hidden', "starts with '.'"],
      ['has space', 'lowercase letters, digits'],
      ['@scope', "'@scope/name'"],
      ['a'.repeat(215), 'longer than 214'],
      ['', 'empty'],
    ]) {
      it(`should refuse the package name ${JSON.stringify(name!.slice(0, 20))}`, async () => {
        const { code, stderr } = await run('--kind', 'tool', '--name', name!, '--yes')
        expect(code).toBe(1)
        expect(stderr).toContain('[CREATE_ERR_NAME_INVALID]')
        expect(stderr).toContain(reason)
        expect(readdirSync(cwd)).toEqual([])
      })
    }

    it('should refuse a bad plugin id', async () => {
      const { code, stderr } = await run('--kind', 'tool', '--name', 'ok-name', '--id', 'Tool:Bad Id', '--yes')
      expect(code).toBe(1)
      expect(stderr).toContain('[CREATE_ERR_ID_INVALID]')
    })

    it('should refuse a non-empty directory without --force, and write into it with --force', async () => {
      mkdirSync(join(cwd, 'taken'))
      writeFileSync(join(cwd, 'taken', 'keep.txt'), 'mine')
      const refused = await run('--kind', 'tool', '--name', 'taken', '--dir', 'taken', '--yes')
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('[CREATE_ERR_DIR_NOT_EMPTY]')
      expect(readdirSync(join(cwd, 'taken'))).toEqual(['keep.txt'])
      const forced = await run('--kind', 'tool', '--name', 'taken', '--dir', 'taken', '--yes', '--force')
      expect(forced.code).toBe(0)
      expect(readFileSync(join(cwd, 'taken', 'keep.txt'), 'utf8')).toBe('mine')
      expect(existsSync(join(cwd, 'taken', 'src', 'index.ts'))).toBe(true)
    })

    it('should refuse a target that is a file', async () => {
      writeFileSync(join(cwd, 'file'), '')
      const { code, stderr } = await run('--kind', 'tool', '--name', 'file', '--dir', 'file', '--yes')
      expect(code).toBe(1)
      expect(stderr).toContain('[CREATE_ERR_DIR_IS_FILE]')
    })

    it('should refuse --from without the tarballs the kind needs', async () => {
      const packs = join(cwd, 'packs')
      mkdirSync(packs)
      writeFileSync(join(packs, 'openclaw-core-1.0.0.tgz'), '')
      writeFileSync(join(packs, 'openclaw-plugin-sdk-1.0.0.tgz'), '')
      const { code, stderr } = await run('--kind', 'channel', '--name', 'c', '--from', packs, '--yes')
      expect(code).toBe(1)
      expect(stderr).toContain('[CREATE_ERR_FROM_INVALID]')
      expect(stderr).toContain('@openclaw/plugin-http-server')
      const empty = await run('--kind', 'tool', '--name', 't', '--from', join(cwd, 'nowhere'), '--yes')
      expect(empty.stderr).toContain('does not exist')
    })

    it('should refuse unknown flags and a flag without its value as usage errors (exit 2)', async () => {
      const unknown = await run('--kind', 'tool', '--colour', 'red')
      expect(unknown.code).toBe(2)
      expect(unknown.stderr).toContain('[CREATE_ERR_USAGE]')
      const noValue = await run('--kind')
      expect(noValue.code).toBe(2)
    })

    it('should say what is missing instead of waiting for a terminal that is not there', async () => {
      const { code, stderr } = await run('--kind', 'tool')
      expect(code).toBe(1)
      expect(stderr).toContain('[CREATE_ERR_NOT_INTERACTIVE]: Missing --name, --dir')
    })
  })
})
