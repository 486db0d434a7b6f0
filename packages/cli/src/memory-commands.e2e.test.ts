import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../scripts/test-database.js'
import { captureIo } from './capture-io.js'
import { runCli } from './run-cli.js'
import { spawnGateway } from './spawn-gateway.js'

// `openclaw memory status|index|search` and the memory lines of `openclaw status`, against a REAL
// gateway (`openclaw gateway` in a child process with its default plugins, tool:memory among them).

const TOKEN = 'e2e-memory-token-0123456789'

interface RunningGateway {
  readonly dir: string
  readonly workspace: string
  readonly url: string
  stop(): Promise<void>
}

/** `openclaw gateway` in a child process with `config` (plus the token), a workspace with one memory file. */
async function startGateway(config: Record<string, unknown>): Promise<RunningGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-memory-e2e-'))
  const workspace = join(dir, 'workspace')
  mkdirSync(join(workspace, 'memory'), { recursive: true })
  writeFileSync(join(workspace, 'MEMORY.md'), '# Memory\n\n## Home\nThe spare key is under the blue flowerpot by the shed.\n')
  const configPath = join(dir, 'openclaw.json')
  writeFileSync(configPath, JSON.stringify({ gateway: { auth: { token: TOKEN } }, ...config }))
  try {
    const gateway = await spawnGateway({ stateDir: dir, configPath, timeoutMs: 20_000 })
    const stop = async () => {
      await gateway.kill('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    }
    return { dir, workspace, url: gateway.url, stop }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

let gateway: RunningGateway | undefined
let workspace: string
let url: string

beforeAll(async () => {
  // No watcher: the new file below is found by `memory index`, not by the watcher.
  gateway = await startGateway({ memory: { search: { sync: { watch: false } } } })
  workspace = gateway.workspace
  url = gateway.url
}, 30_000)

afterAll(() => gateway?.stop())

async function runOn(target: string, ...args: string[]) {
  const { io, stdout, stderr } = captureIo()
  const code = await runCli(['node', 'openclaw', ...args, '--url', target, '--token', TOKEN], io)
  return { code, stdout: stdout(), stderr: stderr() }
}
const run = (...args: string[]) => runOn(url, ...args)

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
    expect(status.stdout).toContain('  embeddings  none (keyword search only: memory.search.provider is "none")\n')
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

describe('openclaw memory on PostgreSQL (storage.driver postgres)', () => {
  let database: TestDatabase
  let pgGateway: RunningGateway | undefined
  let pgvector = false
  beforeAll(async () => {
    database = await createTestDatabase('cli_memory')
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    pgvector = (await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).rowCount === 1
    await client.end()
    // An embedding model is configured: without pgvector the vectors have nowhere to live.
    pgGateway = await startGateway({ storage: { driver: 'postgres', postgres: { url: database.url } }, memory: { search: { provider: 'local', sync: { watch: false } } } })
  }, 40_000)
  afterAll(async () => {
    await pgGateway?.stop()
    await database?.drop()
  })

  it('status names the tsvector backend and says why vectors are off; search answers from the keyword index', async () => {
    const target = pgGateway!.url
    const found = await runOn(target, 'memory', 'search', 'spare key flowerpot')
    expect(found.stderr).toBe('')
    expect(found.stdout).toMatch(/^SCORE +PATH +SNIPPET\n\d\.\d{3} +MEMORY\.md:1-4 +# Memory .*blue flowerpot/)
    const status = await runOn(target, 'memory', 'status')
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/^Memory \(agent main\): 1 files, 1 chunks, 0 keys, \d+ vectors\n/)
    if (pgvector) {
      expect(status.stdout).toContain('  backend     postgres tsvector + pgvector hnsw\n')
      expect(status.stdout).toContain('  embeddings  local/hashing-384\n')
    } else {
      expect(status.stdout).toContain('  backend     postgres tsvector (keyword only)\n')
      expect(status.stdout).toContain('  embeddings  none (keyword search only: the PostgreSQL server has no pgvector extension (no "vector" in pg_available_extensions), so the ')
      expect(JSON.parse((await runOn(target, 'memory', 'status', '--json')).stdout)).toMatchObject({ backend: 'postgres tsvector (keyword only)', vectors: 0, vectorsOff: expect.stringContaining('pgvector') })
    }
  })
})
