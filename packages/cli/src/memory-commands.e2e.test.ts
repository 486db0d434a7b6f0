import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureIo } from './capture-io.js'
import { runCli } from './run-cli.js'

// `openclaw memory status|index|search` and the memory lines of `openclaw status`, against a REAL
// gateway (`openclaw gateway` in a child process with its default plugins, tool:memory among them).

const BIN = fileURLToPath(new URL('./bin.ts', import.meta.url))
const TOKEN = 'e2e-memory-token-0123456789'
const LISTENING = /listening on http:\/\/(127\.0\.0\.1:\d+)/

let dir: string
let workspace: string
let gateway: ChildProcess
let url: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-memory-e2e-'))
  workspace = join(dir, 'workspace')
  mkdirSync(join(workspace, 'memory'), { recursive: true })
  writeFileSync(join(workspace, 'MEMORY.md'), '# Memory\n\n## Home\nThe spare key is under the blue flowerpot by the shed.\n')
  const configPath = join(dir, 'openclaw.json')
  // No watcher: the new file below is found by `memory index`, not by the watcher.
  writeFileSync(configPath, JSON.stringify({ gateway: { auth: { token: TOKEN } }, memory: { search: { sync: { watch: false } } } }))
  const env = { ...process.env }
  for (const name of Object.keys(env)) if (name.startsWith('OPENCLAW_')) delete env[name]
  gateway = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, 'gateway', '--port', '0', '--state-dir', dir, '--config', configPath], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  gateway.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
  url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => reject(new Error(`no "listening" line; stdout: ${stdout} stderr: ${log}`)), 15_000)
    gateway.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = LISTENING.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolve(`ws://${match[1]}`)
      }
    })
    gateway.once('exit', (code) => reject(new Error(`the gateway exited with ${code}; stderr: ${log}`)))
  })
}, 30_000)

afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    const exited = new Promise((resolve) => gateway.once('exit', resolve))
    gateway.kill('SIGTERM')
    await exited
  }
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const remote = (...args: string[]) => ['node', 'openclaw', ...args, '--url', url, '--token', TOKEN]

async function run(...args: string[]) {
  const { io, stdout, stderr } = captureIo()
  const code = await runCli(remote(...args), io)
  return { code, stdout: stdout(), stderr: stderr() }
}

describe('openclaw memory', () => {
  it('search finds the chunk that holds the answer; status names chunks, backend and embeddings', async () => {
    const found = await run('memory', 'search', 'spare key flowerpot')
    expect(found.stderr).toBe('')
    expect(found.code).toBe(0)
    expect(found.stdout).toMatch(/^SCORE +PATH +SNIPPET\n\d\.\d{3} +MEMORY\.md:1-4 +# Memory .*blue flowerpot/)

    const status = await run('memory', 'status')
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/^Memory \(agent main\): 1 files, 1 chunks, 0 keys, 0 vectors\n/)
    expect(status.stdout).toContain('  backend     sqlite fts5 (keyword only)\n')
    expect(status.stdout).toContain('  embeddings  none (keyword search only)\n')
    expect(status.stdout).toContain(`  workspace   ${workspace}\n`)
    expect(JSON.parse((await run('memory', 'status', '--json')).stdout)).toMatchObject({ agentId: 'main', files: 1, chunks: 1, lastIndexAt: expect.any(Number) })
  })

  it('index picks up a new file, and search then finds it (--json, --max-results)', async () => {
    writeFileSync(join(workspace, 'memory', '2026-03-02.md'), '# 2026-03-02\n\nThe plumber comes on Thursday to fix the boiler.\n')
    expect((await run('memory', 'search', 'plumber boiler')).stdout).toBe('No matches.\n')
    const indexed = await run('memory', 'index')
    expect(indexed.code).toBe(0)
    expect(indexed.stdout).toMatch(/^Indexed 1 files, removed 0, 1 unchanged\.\nMemory \(agent main\): 2 files, 2 chunks/)
    const found = JSON.parse((await run('memory', 'search', 'plumber boiler', '--json', '--max-results', '1')).stdout) as { results: { path: string; snippet: string }[] }
    expect(found.results).toEqual([expect.objectContaining({ path: 'memory/2026-03-02.md', snippet: expect.stringContaining('plumber') })])
    expect((await run('memory', 'index', '--force')).stdout).toMatch(/^Indexed 2 files, removed 0, 0 unchanged\./)
  })

  it('status shows the memory lines; bad arguments are usage errors', async () => {
    const status = await run('status')
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/\n {2}tool:memory +started +1\.0\.0\n/)
    expect(status.stdout).toMatch(/\nMemory \(agent main\): \d+ files, \d+ chunks, 0 keys, 0 vectors\n/)
    expect(JSON.parse((await run('status', '--json')).stdout)).toMatchObject({ memory: { agentId: 'main', backend: 'sqlite fts5 (keyword only)' } })

    const bad = await run('memory', 'search', 'x', '--min-score', '2')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('expected a number from 0 to 1')
    const unknownAgent = await run('memory', 'status', '--agent', 'nobody')
    expect(unknownAgent.code).toBe(1)
  })
})
