import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { captureIo } from '../capture-io.js'
import { LOCK_FILE } from '../plugin-installs.js'
import { runCli } from '../run-cli.js'

let dir: string
let state: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-install-'))
  state = join(dir, 'state')
  mkdirSync(state)
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** A built plugin package folder, as `npm run build` of a scaffolded project leaves it (no dependencies, so npm stays offline). */
function fixturePlugin(options: { id?: string; apiVersion?: string; manifest?: boolean; name?: string } = {}): string {
  const id = options.id ?? 'tool:fixture'
  const folder = join(dir, options.name ?? 'fixture-plugin')
  mkdirSync(join(folder, 'dist'), { recursive: true })
  writeFileSync(join(folder, 'package.json'), JSON.stringify({
    name: options.name ?? 'openclaw-plugin-fixture',
    version: '0.3.0',
    type: 'module',
    files: ['dist', 'openclaw.plugin.json'],
    peerDependencies: { '@openclaw/plugin-sdk': '^1.0.0' },
  }))
  // It imports the SDK as a real plugin does: only the host's linked copy can satisfy it.
  writeFileSync(join(folder, 'dist', 'index.js'), `import { definePlugin, defineSkill } from '@openclaw/plugin-sdk'
export default definePlugin({
  id: '${id}', version: '0.3.0', kind: 'tool',
  register(api) {
    api.tools.register({ name: 'fixture_echo', description: 'echo', parameters: { type: 'object', properties: {} }, execute: () => 'echo' })
    api.skills.register(defineSkill({ slug: 'fixture-skill', name: 'Fixture skill', description: 'a skill from a plugin', prompt: 'Be a fixture.' }))
  },
})
`)
  if (options.manifest !== false) {
    writeFileSync(join(folder, 'openclaw.plugin.json'), JSON.stringify({ id, version: '0.3.0', kind: 'tool', apiVersion: options.apiVersion ?? '^2.0.0', entry: './dist/index.js' }))
  }
  return folder
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureIo()
  const code = await runCli(['node', 'openclaw', ...args, '--state-dir', state], captured.io)
  return { code, stdout: captured.stdout(), stderr: captured.stderr() }
}

const BIN = fileURLToPath(new URL('../bin.ts', import.meta.url))

/**
 * The binary in a child process, for commands that load an installed plugin: Node's own module
 * loader follows the extensions folder's links to the host's SDK, as in production (vitest's
 * in-process loader would not).
 */
function binary(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env }
  delete env.OPENCLAW_CONFIG_PATH
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, ...args, '--state-dir', state], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
  })
}

const lock = () => JSON.parse(readFileSync(join(state, 'extensions', LOCK_FILE), 'utf8')) as { plugins: Record<string, { package: string; version: string; integrity: string; source: string }> }

describe('openclaw plugins install and friends', () => {
  it('should install a built plugin folder, record it, load it with the host SDK, and manage it until uninstalled', async () => {
    const folder = fixturePlugin()
    // 1. install: lock entry with version and integrity, host packages linked
    const installed = await cli('plugins', 'install', folder)
    expect(installed.stderr).toBe('')
    expect(installed.code).toBe(0)
    expect(installed.stdout).toContain('Installed tool:fixture (tool) 0.3.0 from openclaw-plugin-fixture')
    expect(lock().plugins['tool:fixture']).toMatchObject({ package: 'openclaw-plugin-fixture', version: '0.3.0', integrity: expect.stringMatching(/^sha512-/), source: folder })
    const sdkLink = join(state, 'extensions', 'node_modules', '@openclaw', 'plugin-sdk')
    expect(lstatSync(sdkLink).isSymbolicLink()).toBe(true)
    expect(realpathSync(sdkLink)).toBe(realpathSync(join(import.meta.dirname, '..', '..', '..', 'plugin-sdk')))

    // 2. list and info: it loads from the extensions folder
    const list = JSON.parse((await binary('plugins', 'list', '--json')).stdout) as { id: string; state: string; source: string }[]
    expect(list.find((p) => p.id === 'tool:fixture')).toMatchObject({ state: 'loaded', source: join(state, 'extensions', 'node_modules', 'openclaw-plugin-fixture') })
    const info = JSON.parse((await binary('plugins', 'info', 'tool:fixture', '--json')).stdout)
    expect(info).toMatchObject({ id: 'tool:fixture', version: '0.3.0', apiVersion: '^2.0.0', installed: { package: 'openclaw-plugin-fixture' } })

    // 3. skills list shows the plugin's skill and a JSON skill from the skills folder
    mkdirSync(join(state, 'skills'))
    writeFileSync(join(state, 'skills', 'disk.json'), JSON.stringify({ slug: 'disk', name: 'Disk skill', description: 'from disk', prompt: 'p' }))
    const skills = await binary('skills', 'list')
    expect(skills.stdout).toMatch(/^SLUG\s+NAME\s+TOOLS\s+SOURCE\n/)
    expect(skills.stdout).toMatch(/fixture-skill\s+Fixture skill\s+-\s+plugin tool:fixture\n/)
    expect(skills.stdout).toMatch(/disk\s+Disk skill\s+-\s+.*disk\.json\n/)

    // 4. doctor finds nothing wrong
    const healthy = await binary('plugins', 'doctor')
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0)
    expect(healthy.stdout).toContain('ok       tool:fixture 0.3.0')

    // 5. disable / enable edit the config file
    expect((await cli('plugins', 'disable', 'tool:fixture')).code).toBe(0)
    const config = JSON.parse(readFileSync(join(state, 'openclaw.json'), 'utf8'))
    expect(config).toEqual({ plugins: { entries: { 'tool:fixture': { enabled: false } } } })
    const disabled = JSON.parse((await binary('plugins', 'list', '--json')).stdout) as { id: string; state: string }[]
    expect(disabled.find((p) => p.id === 'tool:fixture')?.state).toBe('disabled')
    expect((await cli('plugins', 'enable', 'tool:fixture')).code).toBe(0)
    const enabled = JSON.parse((await binary('plugins', 'list', '--json')).stdout) as { id: string; state: string }[]
    expect(enabled.find((p) => p.id === 'tool:fixture')?.state).toBe('loaded')

    // 6. a second copy of the SDK in the extensions folder is a doctor problem; --fix re-links it
    rmSync(sdkLink)
    mkdirSync(sdkLink)
    const broken = await binary('plugins', 'doctor')
    expect(broken.code).toBe(1)
    expect(broken.stdout).toContain('is not the gateway\'s own copy')
    expect(broken.stderr).toContain('[CLI_ERR_PLUGIN_DOCTOR_PROBLEMS]')
    expect((await binary('plugins', 'doctor', '--fix')).code).toBe(0)

    // 7. uninstall removes it
    const removed = await cli('plugins', 'uninstall', 'tool:fixture')
    expect(removed.code).toBe(0)
    expect(lock().plugins).toEqual({})
    expect(existsSync(join(state, 'extensions', 'node_modules', 'openclaw-plugin-fixture'))).toBe(false)
    const after = JSON.parse((await binary('plugins', 'list', '--json')).stdout) as { id: string }[]
    expect(after.map((p) => p.id)).not.toContain('tool:fixture')
  }, 60_000)

  it('should refuse a plugin whose API range this core does not satisfy, before installing anything', async () => {
    const result = await cli('plugins', 'install', fixturePlugin({ apiVersion: '^9.0.0' }))
    expect(result.code).toBe(1)
    expect(result.stderr).toBe("error [CORE_ERR_PLUGIN_API_VERSION]: Plugin 'tool:fixture' needs plugin API ^9.0.0, but this core provides 2.0.0\n")
    expect(existsSync(join(state, 'extensions', 'node_modules', 'openclaw-plugin-fixture'))).toBe(false)
  }, 30_000)

  it('should refuse a package without a manifest', async () => {
    const result = await cli('plugins', 'install', fixturePlugin({ manifest: false }))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('[CLI_ERR_PLUGIN_NOT_A_PLUGIN]')
  }, 30_000)

  it('should refuse a plugin that takes a built-in plugin id', async () => {
    const result = await cli('plugins', 'install', fixturePlugin({ id: 'core:http' }))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("[CORE_ERR_PLUGIN_DUPLICATE]: Plugin 'core:http' is provided twice")
  }, 30_000)

  it('should refuse to uninstall a built-in plugin or an unknown one, and to enable an unknown one', async () => {
    expect((await cli('plugins', 'uninstall', 'core:http')).stderr).toContain('[CLI_ERR_PLUGIN_BUILT_IN]')
    expect((await cli('plugins', 'uninstall', 'tool:nope')).stderr).toContain('[CLI_ERR_PLUGIN_UNKNOWN]')
    const enable = await cli('plugins', 'enable', 'tool:nope')
    expect(enable.code).toBe(1)
    expect(enable.stderr).toContain("[CLI_ERR_PLUGIN_UNKNOWN]: No plugin 'tool:nope' (known: core:http")
  })

  it('should fail with npm\'s reason when the spec names nothing installable', async () => {
    const result = await cli('plugins', 'install', join(dir, 'missing.tgz'))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('[CLI_ERR_PLUGIN_NPM_FAILED]')
  }, 30_000)
})
