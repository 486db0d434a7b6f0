import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import pg from 'pg'
import { createLogger } from '@openclaw/core'
import { Tokens, type Logger } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, createTestGateway, scriptedEmbedding, type ScriptedModelServer, type TestGateway } from '@openclaw/plugin-sdk/testing'
import OpenAI from 'openai'
import httpOpenAi from '@openclaw/plugin-http-openai'
import httpServer from '@openclaw/plugin-http-server'
import httpTools from '@openclaw/plugin-http-tools'
import providerOpenAi from '@openclaw/plugin-provider-openai'
import toolsMemory from '@openclaw/plugin-tools-memory'
import { createTestDatabase, type TestDatabase } from '../../scripts/test-database.js'

const TOKEN = 'memory-e2e-token-0123456789'

interface Hit { path: string; startLine: number; snippet: string; score: number; source: string; key?: string }
/** What `/tools/invoke` answers for the memory tools (fields read by these tests). */
interface Answer { ok: boolean; result?: { results: Hit[] } & Record<string, unknown>; error?: { type: string; message: string } }

type StoreKind = 'sqlite' | 'postgres'
const STORES: readonly StoreKind[] = ['sqlite', 'postgres']

// PostgreSQL: one database for this file, a schema of its own for each gateway (or pair of replicas).
let db: TestDatabase
/** Whether this server has pgvector (the embedded test server has not; see docs/memory.md). */
let pgvector = false
let schemas = 0
beforeAll(async () => {
  db = await createTestDatabase('memory_e2e')
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  pgvector = (await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).rowCount === 1
  await client.end()
}, 60_000)
afterAll(() => db?.drop())

/** The `storage` config of a gateway on `store`; the same `schema` makes replicas of one another. */
function storageConfig(store: StoreKind, schema = `memory_${++schemas}`): Record<string, unknown> {
  return store === 'postgres' ? { storage: { driver: 'postgres', postgres: { url: db.url, schema, poolSize: 4 } } } : {}
}

/** The backend `memory.status` names for a search setup on a store. */
function expectedBackend(store: StoreKind, vectors: boolean): string {
  if (store === 'sqlite') return vectors ? 'sqlite fts5 + usearch hnsw' : 'sqlite fts5 (keyword only)'
  return vectors && pgvector ? 'postgres tsvector + pgvector hnsw' : 'postgres tsvector (keyword only)'
}

let gateways: TestGateway[] = []
let models: ScriptedModelServer[] = []
afterEach(async () => {
  await Promise.all(gateways.map((g) => g.stop()))
  await Promise.all(models.map((m) => m.close()))
  gateways = []
  models = []
})

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oc-mem-ws-'))
  mkdirSync(join(dir, 'memory'))
  writeFileSync(join(dir, 'MEMORY.md'), '# Long-term memory\n\n## Infrastructure\nThe gateway host is a Raspberry Pi named bramble in the hallway closet.\n')
  writeFileSync(join(dir, 'memory', '2026-01-05.md'), '# 2026-01-05\n\n## Standup\nWe agreed to ship the invoice exporter on Friday.\n')
  return dir
}

async function startOn(ws: string, search: Record<string, unknown> = {}, extra: { model?: ScriptedModelServer; store?: StoreKind; schema?: string; logger?: Logger } = {}) {
  const store = extra.store ?? 'sqlite'
  const gw = await createTestGateway({
    realClock: true,
    ...(extra.logger ? { logger: extra.logger } : {}),
    store: store === 'postgres' ? 'config' : ':memory:',
    config: {
      ...storageConfig(store, extra.schema),
      gateway: { port: 0, auth: { mode: 'token', token: TOKEN } },
      agents: { defaults: { workspace: ws, ...(extra.model ? { model: 'openai/scripted-model' } : {}) } },
      memory: { search: { sync: { watchDebounceMs: 30 }, ...search } },
      ...(extra.model ? { models: { providers: { openai: { baseUrl: extra.model.baseUrl, apiKey: 'k' } } } } : {}),
    },
    plugins: [httpServer(), httpTools(), toolsMemory(), providerOpenAi()],
  })
  gateways.push(gw)
  const url = `${gw.services.resolve(Tokens.HttpServer).url}/tools/invoke`
  const invoke = async (name: string, args: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ name, args }) })
    // `/tools/invoke` answers OpenClaw's tool result: `{ content: [{ type: 'text', text }], details }`.
    const raw = (await res.json()) as { ok: boolean; result?: { details: Answer['result'] }; error?: Answer['error'] }
    return { status: res.status, body: { ok: raw.ok, ...(raw.result ? { result: raw.result.details } : {}), ...(raw.error ? { error: raw.error } : {}) } as Answer }
  }
  return { gw, invoke }
}

describe.each(STORES.flatMap((store) => [[`${store}, keyword only`, store, {}], [`${store}, hybrid (local embeddings)`, store, { provider: 'local' }]] as const))('memory tools, %s', (_name, store, search) => {
  const start = (ws: string, s: Record<string, unknown>, extra: { model?: ScriptedModelServer } = {}) => startOn(ws, s, { ...extra, store })

  it('memory_search over /tools/invoke finds the chunk that holds the answer', async () => {
    const { invoke } = await start(workspace(), search)
    const res = await invoke('memory_search', { query: 'gateway host raspberry' })
    expect(res.body.error).toBeUndefined()
    expect(res.status).toBe(200)
    expect(res.body.result!.results[0]).toMatchObject({ path: 'MEMORY.md', startLine: 1, source: 'memory' })
    expect(res.body.result!.results[0]!.snippet).toContain('bramble')
    expect(res.body.result!.results[0]!.score).toBeGreaterThan(0)
  })

  it('editing a file changes what search returns, and deleting it removes its chunks', async () => {
    const ws = workspace()
    const { invoke } = await start(ws, search)
    const find = async (q: string) => (await invoke('memory_search', { query: q })).body.result!.results
    expect(await find('invoice exporter')).toEqual([expect.objectContaining({ path: 'memory/2026-01-05.md' })])
    writeFileSync(join(ws, 'memory', '2026-01-05.md'), '# 2026-01-05\n\n## Standup\nThe invoice exporter slipped; the payroll importer ships first.\n')
    await vi.waitFor(async () => expect((await find('payroll importer'))[0]?.snippet).toContain('payroll importer'), { timeout: 5000, interval: 50 })
    rmSync(join(ws, 'memory', '2026-01-05.md'))
    await vi.waitFor(async () => expect(await find('invoice exporter payroll')).toEqual([]), { timeout: 5000, interval: 50 })
  })

  it('memory_get reads memory files and refuses ../, absolute paths and symlinks out, with a coded error', async () => {
    const ws = workspace()
    const outside = mkdtempSync(join(tmpdir(), 'oc-mem-out-'))
    writeFileSync(join(outside, 'secret.md'), 'top secret\n')
    symlinkSync(join(outside, 'secret.md'), join(ws, 'memory', 'link.md'))
    symlinkSync(outside, join(ws, 'memory', 'dir'))
    writeFileSync(join(ws, 'notes.md'), 'not memory\n')
    const { gw, invoke } = await start(ws, search)
    const ok = await invoke('memory_get', { path: 'MEMORY.md', from: 3, lines: 2 })
    expect(ok.body.result).toEqual({ status: 'ok', path: 'MEMORY.md', text: expect.stringContaining('## Infrastructure'), from: 3, lines: 2 })
    for (const path of ['../secret.md', 'memory/../../secret.md', join(outside, 'secret.md'), '/etc/passwd', 'memory/link.md', 'memory/dir/secret.md', 'notes.md']) {
      const refused = await gw.tools.invoke({ name: 'memory_get', args: { path }, via: 'http' })
      expect(refused.ok, path).toBe(false)
      expect(refused.error?.code, path).toBe('MEM_ERR_PATH_REFUSED')
      const http = await invoke('memory_get', { path })
      expect(http.body.ok).toBe(false)
      expect(http.body.error?.message).not.toContain('top secret')
    }
  })

  it('stores, searches and deletes keys', async () => {
    const { invoke } = await start(workspace(), search)
    const stored = await invoke('memory_store', { key: 'favourite-editor', value: 'The user prefers Helix with a dark theme', metadata: { from: 'test' } })
    expect(stored.body.result).toMatchObject({ key: 'favourite-editor', value: 'The user prefers Helix with a dark theme', metadata: { from: 'test' } })
    const found = await invoke('memory_search', { query: 'which editor helix' })
    expect(found.body.result!.results[0]).toMatchObject({ key: 'favourite-editor', source: 'keys', snippet: expect.stringContaining('Helix') })
    expect((await invoke('memory_delete', { key: 'favourite-editor' })).body.result).toEqual({ key: 'favourite-editor', deleted: true })
    expect((await invoke('memory_search', { query: 'helix editor' })).body.result!.results).toEqual([])
    expect((await invoke('memory_delete', { key: 'favourite-editor' })).body.result).toEqual({ key: 'favourite-editor', deleted: false })
    const bad = await invoke('memory_store', { key: '  ', value: 'x' })
    expect(bad.body.ok).toBe(false)
  })
})

describe.each(STORES)('memory tools from an agent, on %s', (store) => {
  it('the scripted model calls memory_search and gets the chunk that holds the answer', async () => {
    const model = await createScriptedModelServer()
    models.push(model)
    model.reply({ toolCalls: [{ name: 'memory_search', arguments: { query: 'where is the gateway host' } }] })
    model.reply({ text: 'It is in the hallway closet.' })
    const { gw } = await startOn(workspace(), { provider: 'local' }, { model, store })
    const result = await gw.agent.run({ message: 'Where is the gateway host?' })
    expect(result.status).toBe('ok')
    const call = result.toolCalls.find((c) => c.name === 'memory_search')
    expect(call?.result?.ok).toBe(true)
    expect((call?.result?.output as { results: Hit[] }).results[0]).toMatchObject({ path: 'MEMORY.md', snippet: expect.stringContaining('hallway closet') })
    const second = model.requests.filter((r) => r.format === 'openai')[1]!.body as { messages: { role: string; content: string }[] }
    expect(second.messages.find((m) => m.role === 'tool')?.content).toContain('bramble')
  })
})

describe.each(STORES)('memory with embeddings from a provider plugin (provider:openai on the scripted model server), on %s', (store) => {
  it('searches hybrid with the provider\'s vectors, and POST /v1/embeddings without x-openclaw-model uses the same setup', async () => {
    const model = await createScriptedModelServer()
    models.push(model)
    const gw = await createTestGateway({
      realClock: true,
      store: store === 'postgres' ? 'config' : ':memory:',
      config: {
        ...storageConfig(store),
        gateway: { port: 0, auth: { mode: 'token', token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } },
        agents: { defaults: { workspace: workspace() } },
        memory: { search: { provider: 'openai', model: 'text-embedding-3-small', dimensions: 64 } },
        models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'sk-embed', maxRetries: 0 } } },
      },
      plugins: [httpServer(), httpTools(), httpOpenAi(), toolsMemory(), providerOpenAi()],
    })
    gateways.push(gw)
    const url = gw.services.resolve(Tokens.HttpServer).url
    const found = await gw.tools.invoke({ name: 'memory_search', args: { query: 'raspberry pi gateway host' }, via: 'http' })
    expect(found.ok).toBe(true)
    const answer = found.output as { results: Hit[]; mode: string; backend: string }
    const vectors = store === 'sqlite' || pgvector
    expect(answer.mode).toBe(vectors ? 'hybrid' : 'keyword')
    expect(answer.backend).toBe(expectedBackend(store, true))
    expect(answer.results[0]).toMatchObject({ path: 'MEMORY.md', snippet: expect.stringContaining('bramble') })
    const calls = model.requests.filter((r) => r.path === '/v1/embeddings')
    // Without pgvector on PostgreSQL nothing is embedded for search; POST /v1/embeddings still works.
    expect(calls.length).toBeGreaterThanOrEqual(vectors ? 2 : 0)
    if (vectors) expect(calls[0]!.body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 64 })
    if (vectors) expect(calls[0]!.headers.authorization).toBe('Bearer sk-embed')

    const client = new OpenAI({ apiKey: TOKEN, baseURL: `${url}/v1`, maxRetries: 0 })
    const res = await client.embeddings.create({ model: 'openclaw', input: ['gateway host'] })
    expect(res.data[0]!.embedding).toHaveLength(64)
    const expected = scriptedEmbedding('gateway host', 64)
    expect(res.data[0]!.embedding.every((x, i) => Math.abs(x - expected[i]!) < 1e-6)).toBe(true)
  })
})

describe.each([['keyword only', {}], ['local embeddings', { provider: 'local' }]] as const)('memory on PostgreSQL replicas, %s', (_name, search) => {
  /** Rows of the shared index that are there more than once: (path, chunk hash) pairs and key rows. */
  async function duplicates(gw: TestGateway): Promise<unknown[]> {
    const db = gw.store.forOwner('tool:memory')
    return [
      ...(await db.all('SELECT agent_id, path, hash, COUNT(*) AS n FROM memory_chunks GROUP BY agent_id, path, hash HAVING COUNT(*) > 1')),
      ...(await db.all("SELECT agent_id, path, COUNT(*) AS n FROM memory_chunks WHERE source = 'key' GROUP BY agent_id, path HAVING COUNT(*) > 1")),
    ]
  }
  const rpc = (gw: TestGateway, method: string, params: unknown) =>
    gw.registry.rpcMethods.get(method)!.handler(params, {} as never) as Promise<Record<string, unknown>>

  it('two gateways on one database indexing one workspace keep one copy of each chunk, through edits, deletes, forced reindexes and keys', async () => {
    const ws = workspace()
    for (let i = 0; i < 60; i++) writeFileSync(join(ws, 'memory', `note-${i}.md`), `# Note ${i}\n\n## Topic\nReplica note ${i} is about the word zebra${i}.\n`)
    const schema = `memory_replicas_${++schemas}`
    // Both start at once: both index the same 62 files into the same tables.
    const [a, b] = await Promise.all([startOn(ws, search, { store: 'postgres', schema }), startOn(ws, search, { store: 'postgres', schema })])
    expect((await rpc(a.gw, 'memory.status', {})).backend).toBe(expectedBackend('postgres', 'provider' in search))
    for (const r of [a, b]) expect((await r.invoke('memory_search', { query: 'zebra17' })).body.result!.results[0]).toMatchObject({ path: 'memory/note-17.md' })
    expect(await duplicates(a.gw)).toEqual([])
    expect(await rpc(a.gw, 'memory.status', {})).toMatchObject({ files: 62, chunks: 62 })

    // Forced reindexes on both at once: every file again, nothing doubled.
    await Promise.all([rpc(a.gw, 'memory.index', { force: true }), rpc(b.gw, 'memory.index', { force: true })])
    expect(await duplicates(a.gw)).toEqual([])
    expect(await rpc(b.gw, 'memory.status', {})).toMatchObject({ files: 62, chunks: 62 })

    // An edit and a delete: both watchers reindex; each replica's search sees the change.
    for (let i = 0; i < 10; i++) writeFileSync(join(ws, 'memory', `note-${i}.md`), `# Note ${i}\n\n## Topic\nReplica note ${i} is now about the word okapi${i}.\n`)
    rmSync(join(ws, 'memory', 'note-59.md'))
    for (const r of [a, b]) {
      await vi.waitFor(async () => {
        expect((await r.invoke('memory_search', { query: 'okapi9' })).body.result!.results[0]).toMatchObject({ path: 'memory/note-9.md' })
        expect((await r.invoke('memory_search', { query: 'zebra59' })).body.result!.results).toEqual([])
      }, { timeout: 10_000, interval: 100 })
    }
    await Promise.all([rpc(a.gw, 'memory.index', {}), rpc(b.gw, 'memory.index', {})])
    expect(await duplicates(a.gw)).toEqual([])
    expect(await rpc(a.gw, 'memory.status', {})).toMatchObject({ files: 61, chunks: 61 })

    // The same key stored on both at once: one key row, one chunk, the value of one of them.
    await Promise.all([a.invoke('memory_store', { key: 'wifi', value: 'The guest wifi password is on the fridge' }), b.invoke('memory_store', { key: 'wifi', value: 'The guest wifi password is in the drawer' })])
    expect(await duplicates(a.gw)).toEqual([])
    const key = await a.gw.store.forOwner('tool:memory').all<{ value: string }>("SELECT value FROM memory_keys WHERE key = 'wifi'")
    const chunk = await a.gw.store.forOwner('tool:memory').all<{ text: string }>("SELECT text FROM memory_chunks WHERE path = 'key:wifi'")
    expect(chunk).toEqual([{ text: `wifi: ${key[0]!.value}` }])
    expect((await b.invoke('memory_delete', { key: 'wifi' })).body.result).toEqual({ key: 'wifi', deleted: true })
    expect((await a.invoke('memory_search', { query: 'guest wifi' })).body.result!.results).toEqual([])
  }, 60_000)
})

describe('memory on PostgreSQL with an embedding model configured', () => {
  it('says once where vectors live: without pgvector (CI) one warning says why search is keyword only, memory.status says it and hybrid search falls back to keyword results; with pgvector it is hybrid', async () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } })
    const { gw, invoke } = await startOn(workspace(), { provider: 'local' }, { store: 'postgres', logger })
    const found = await invoke('memory_search', { query: 'gateway host raspberry' })
    expect(found.body.ok).toBe(true)
    expect(found.body.result!.results[0]).toMatchObject({ path: 'MEMORY.md', snippet: expect.stringContaining('bramble') })
    const status = await gw.registry.rpcMethods.get('memory.status')!.handler({}, {} as never) as Record<string, unknown>
    const said = lines.map((line) => JSON.parse(line) as { msg: string; level: number }).filter((l) => l.msg.startsWith('memory search:'))
    if (pgvector) {
      // A server with pgvector (OPENCLAW_TEST_PG_URL, see docs/memory.md): hybrid through its HNSW index.
      expect(found.body.result!.mode).toBe('hybrid')
      expect(status).toMatchObject({ backend: 'postgres tsvector + pgvector hnsw', embeddingModel: 'local/hashing-384', vectors: 2 })
      expect(status.vectorsOff).toBeUndefined()
      expect(said.map((l) => l.msg)).toEqual(['memory search: hybrid (postgres tsvector + pgvector hnsw), embeddings from local/hashing-384'])
      return
    }
    expect(found.body.result!.mode).toBe('keyword')
    expect(found.body.result!.backend).toBe('postgres tsvector (keyword only)')
    expect(status).toMatchObject({ backend: 'postgres tsvector (keyword only)', vectors: 0, vectorsOff: expect.stringContaining('no pgvector extension') })
    expect(status.embeddingModel).toBeUndefined()
    // Exactly one line, a warning, that names the cause and the way out.
    expect(said).toHaveLength(1)
    expect(said[0]!.level).toBe(40)
    expect(said[0]!.msg).toBe('memory search: keyword only (postgres tsvector (keyword only)): the PostgreSQL server has no pgvector extension (no "vector" in pg_available_extensions), so the local/hashing-384 vectors have nowhere to live; install pgvector for hybrid search (docs/memory.md)')
  })
})
