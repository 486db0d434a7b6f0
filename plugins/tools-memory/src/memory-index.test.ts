import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import { createTestDatabase, type TestDatabase } from '../../../scripts/test-database.js'
import { createHashingEmbedder, type Embedder } from './embedder.js'
import { IndexerClient } from './indexer-client.js'
import { DEFAULT_SEARCH_SETTINGS, MemoryIndex } from './memory-index.js'
import { MemoryIndexStore } from './memory-index-store.js'
import { MEMORY_MIGRATIONS } from './memory-migrations.js'

// The memory index against both stores: the same tests on SQLite (FTS5 BM25, usearch) and on
// PostgreSQL (tsvector with a GIN index; pgvector where the server has it, see docs/memory.md).

type StoreKind = 'sqlite' | 'postgres'
const STORES: readonly StoreKind[] = ['sqlite', 'postgres']

let db: TestDatabase
let schemas = 0
let pgvector = false
beforeAll(async () => {
  db = await createTestDatabase('memory_index')
  const probe = await createTestGateway({ store: 'config', config: { storage: { driver: 'postgres', postgres: { url: db.url, schema: 'probe', poolSize: 1 } } } })
  pgvector = (await probe.store.forOwner('probe').all("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).length === 1
  await probe.stop()
}, 60_000)
afterAll(() => db?.drop())

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'oc-mem-index-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A memory index for `ws` on a fresh store of `kind` (a schema of its own on PostgreSQL). */
async function openIndex(kind: StoreKind, ws: string, embedder?: Embedder) {
  const gw: TestGateway = await createTestGateway({
    realClock: true,
    store: kind === 'postgres' ? 'config' : ':memory:',
    config: kind === 'postgres' ? { storage: { driver: 'postgres', postgres: { url: db.url, schema: `memory_index_${++schemas}`, poolSize: 4 } } } : {},
  })
  cleanups.push(() => gw.stop())
  const sql = gw.store.forOwner('tool:memory')
  await sql.migrate(MEMORY_MIGRATIONS)
  const store = new MemoryIndexStore(sql)
  if (embedder && kind === 'postgres' && pgvector) {
    await sql.loadExtension({ postgres: 'vector' })
    await store.enablePgvector(embedder.dims)
  }
  const worker = new IndexerClient()
  const annDir = mkdtempSync(join(tmpdir(), 'oc-mem-ann-'))
  // On PostgreSQL without pgvector the plugin searches keyword only: it gives the index no embedder.
  const searchEmbedder = kind === 'postgres' && !store.pgvector ? undefined : embedder
  const index = new MemoryIndex('main', { workspace: ws, extraPaths: [] }, store, worker, searchEmbedder, { ...DEFAULT_SEARCH_SETTINGS, temporalDecay: { enabled: false, halfLifeDays: 30 } }, annDir, gw.log)
  cleanups.push(async () => {
    await index.close()
    await worker.close()
    rmSync(annDir, { recursive: true, force: true })
  })
  await index.open()
  const chunksOf = (path: string) => sql.all<{ id: number; hash: string; text: string }>('SELECT id, hash, text FROM memory_chunks WHERE agent_id = ? AND path = ? ORDER BY id', ['main', path])
  const paths = async () => (await sql.all<{ path: string }>('SELECT DISTINCT path FROM memory_chunks ORDER BY path')).map((r) => r.path)
  return { gw, sql, store, index, chunksOf, paths }
}

const FILES = {
  'MEMORY.md': '# Long-term memory\n\n## Infrastructure\nThe gateway host is a Raspberry Pi at bramble.local in the hallway closet.\n',
  'memory/2026-01-05.md': '# 2026-01-05\n\n## Standup\nWe agreed to ship the invoice exporter on Friday.\n',
  'memory/projects/garden.md': '# Garden\n\n## Beds\nTomatoes go in the south bed; basil beside them.\n',
  'notes.md': '# Not memory\nThe invoice exporter is mentioned here too.\n',
  'memory/.drafts/hidden.md': '# Hidden\ninvoice exporter draft\n',
  'memory/readme.txt': 'invoice exporter, but not markdown\n',
}

describe.each(STORES)('MemoryIndex on %s', (kind) => {
  it('indexes MEMORY.md and memory/**/*.md, and nothing else in the workspace', async () => {
    const { index, paths } = await openIndex(kind, workspace(FILES))
    expect(await paths()).toEqual(['MEMORY.md', 'memory/2026-01-05.md', 'memory/projects/garden.md'])
    expect(await index.status()).toMatchObject({ files: 3, chunks: 3, keys: 0, vectors: 0, lastIndexAt: expect.any(Number), indexing: false })
    const found = await index.search('invoice exporter')
    expect(found.results.map((r) => r.path)).toEqual(['memory/2026-01-05.md'])
    expect(found.results[0]).toMatchObject({ startLine: 1, endLine: 4, source: 'memory', snippet: expect.stringContaining('Friday') })
  })

  it('reindexes by content hash: unchanged files are skipped, unchanged chunks keep their rows, a forced reindex doubles nothing', async () => {
    const ws = workspace(FILES)
    const { index, chunksOf, sql } = await openIndex(kind, ws)
    const before = await chunksOf('MEMORY.md')
    // A new mtime with the same content is no change.
    utimesSync(join(ws, 'MEMORY.md'), new Date(), new Date(Date.now() + 5000))
    expect(await index.sync()).toEqual({ indexed: 0, removed: 0, unchanged: 3 })
    writeFileSync(join(ws, 'memory/projects/garden.md'), '# Garden\n\n## Beds\nPeppers replace the tomatoes in the south bed.\n')
    expect(await index.sync()).toEqual({ indexed: 1, removed: 0, unchanged: 2 })
    expect((await chunksOf('memory/projects/garden.md')).map((c) => c.text)).toEqual([expect.stringContaining('Peppers')])
    expect((await index.search('basil')).results).toEqual([])
    expect((await index.search('peppers')).results[0]).toMatchObject({ path: 'memory/projects/garden.md' })
    expect(await index.sync({ force: true })).toEqual({ indexed: 3, removed: 0, unchanged: 0 })
    expect(await chunksOf('MEMORY.md')).toEqual(before)
    expect(await sql.all('SELECT path, hash FROM memory_chunks GROUP BY path, hash HAVING COUNT(*) > 1')).toEqual([])
  })

  it('drops a deleted file\'s chunks and its file row', async () => {
    const ws = workspace(FILES)
    const { index, chunksOf, sql, paths } = await openIndex(kind, ws)
    rmSync(join(ws, 'memory/2026-01-05.md'))
    expect(await index.sync()).toEqual({ indexed: 0, removed: 1, unchanged: 2 })
    expect(await chunksOf('memory/2026-01-05.md')).toEqual([])
    expect(await sql.all("SELECT path FROM memory_files WHERE path = 'memory/2026-01-05.md'")).toEqual([])
    expect(await paths()).toEqual(['MEMORY.md', 'memory/projects/garden.md'])
    expect((await index.search('invoice exporter')).results).toEqual([])
  })

  it('stores, replaces, finds and deletes keys, one chunk per key', async () => {
    const { index, chunksOf } = await openIndex(kind, workspace(FILES))
    const first = await index.storeKey('editor', 'The user prefers Helix', { from: 'test' })
    expect(first).toMatchObject({ key: 'editor', value: 'The user prefers Helix', metadata: { from: 'test' } })
    const second = await index.storeKey('editor', 'The user switched to Zed', undefined)
    expect(second.createdAt).toBe(first.createdAt)
    expect((await chunksOf('key:editor')).map((c) => c.text)).toEqual(['editor: The user switched to Zed'])
    expect((await index.search('helix')).results).toEqual([])
    expect((await index.search('zed editor')).results[0]).toMatchObject({ source: 'keys', key: 'editor', path: 'key:editor' })
    expect(await index.status()).toMatchObject({ keys: 1, chunks: 4 })
    expect(await index.deleteKey('editor')).toBe(true)
    expect(await index.deleteKey('editor')).toBe(false)
    expect(await chunksOf('key:editor')).toEqual([])
    expect((await index.search('zed')).results).toEqual([])
  })

  it('finds words inside dotted names, addresses and paths as the query splits them', async () => {
    const { index } = await openIndex(kind, workspace({
      'MEMORY.md': '# Hosts\nThe gateway host is bramble.local; alerts go to ops@example.org; config in /etc/openclaw/gw.json5 since 2026-01-05.\n',
    }))
    for (const query of ['bramble', 'bramble.local', 'example', 'ops@example.org', 'openclaw', 'json5', '2026-01-05']) {
      expect((await index.search(query)).results.map((r) => r.path), query).toEqual(['MEMORY.md'])
    }
  })
})

/** A fixture whose ranking depends on term frequency, document length and how rare a word is. */
const RANKING_FILES: Record<string, string> = {
  'MEMORY.md': '# Memory\n\n## People\nAlice runs the backup server. Bob owns the printer.\n',
  'memory/backups.md': '# Backups\n\n## Nightly\nThe backup job copies the backup volume to the backup server every night; backup logs rotate weekly.\n',
  'memory/server-room.md': '# Server room\n\n## Layout\nThe server rack holds the router, the switch, the NAS and an old server. The backup server sits at the bottom. Cooling is a portable unit; the door code is 4471.\n',
  'memory/printer.md': '# Printer\n\n## Toner\nThe printer takes HP 26A toner. Bob orders toner from the office supplier when the printer warns.\n',
  'memory/travel.md': '# Travel\n\n## Lisbon\nFlights to Lisbon leave Tuesday; the hotel is near the river. Alice books the hotel.\n',
  'memory/recipes.md': '# Recipes\n\n## Soup\nLentil soup: lentils, onion, carrot, cumin. Simmer forty minutes. Alice likes it with lemon.\n',
  'memory/car.md': '# Car\n\n## Service\nThe car is due for service in March; the garage is on Elm Street. Winter tyres are in the shed.\n',
  'memory/shed.md': '# Shed\n\n## Contents\nThe shed holds winter tyres, the lawnmower, garden tools and the spare key under the blue flowerpot.\n',
  'memory/network.md': '# Network\n\n## Wifi\nThe guest wifi is on the router in the server rack; the guest password is on the fridge.\n',
  'memory/long-log.md': `# Log\n\n## Misc\n${Array.from({ length: 60 }, (_, i) => `Entry ${i}: routine check of the house, nothing unusual noted today.`).join(' ')} The backup ran once.\n`,
}

const RANKING_QUERIES = ['backup', 'backup server', 'printer toner', 'alice hotel', 'winter tyres', 'lentil soup lemon', 'guest wifi password', 'server', 'shed key flowerpot', 'router switch', 'alice', 'bob printer', 'door code', 'tyres lawnmower']

describe('keyword ranking: PostgreSQL tsvector and SQLite FTS5 BM25', () => {
  it('give the same results in the same order, with the same BM25 scores, on the same fixture', async () => {
    const rank = async (kind: StoreKind) => {
      const { index, store } = await openIndex(kind, workspace(RANKING_FILES))
      const top: Record<string, string[]> = {}
      const scores: Record<string, number[]> = {}
      for (const q of RANKING_QUERIES) {
        top[q] = (await index.search(q, { maxResults: 3, minScore: 0 })).results.map((r) => r.path)
        scores[q] = (await store.keyword('main', q, 10)).map((k) => k.bm25)
      }
      return { top, scores }
    }
    const sqlite = await rank('sqlite')
    const postgres = await rank('postgres')
    expect(postgres.top).toEqual(sqlite.top)
    for (const q of RANKING_QUERIES) {
      expect(postgres.scores[q]!.length, q).toBe(sqlite.scores[q]!.length)
      postgres.scores[q]!.forEach((score, i) => expect(score, q).toBeCloseTo(sqlite.scores[q]![i]!, 4))
    }
  })

  it('PostgreSQL reads term frequencies off ts_rank exactly, from 1 to the 255 positions a tsvector keeps', async () => {
    const { sql } = await openIndex('postgres', workspace({}))
    const counts = [1, 2, 3, 4, 5, 7, 10, 16, 31, 50, 99, 100, 128, 200, 255, 256, 300]
    const rows = await sql.all<{ n: number; exact: number; derived: number }>(
      `SELECT n, (SELECT cardinality(u.positions) FROM unnest(t.tsv) u WHERE u.lexeme = 'zebra') AS exact,
              round(1 / (pi() ^ 2 / 6 - ts_rank('{1,1,1,1}', t.tsv, to_tsquery('simple', '''zebra''')) * pi() ^ 2 / 6) - 0.5) AS derived
       FROM (SELECT n, to_tsvector('simple', repeat('zebra okapi ', n)) AS tsv FROM unnest(?::int[]) AS n) t`,
      [counts],
    )
    expect(rows.map((r) => Number(r.derived))).toEqual(rows.map((r) => Number(r.exact)))
    expect(rows.map((r) => Number(r.exact))).toEqual(counts.map((n) => Math.min(n, 255)))
  })

  it('PostgreSQL answers keyword queries from the GIN index on the tsvector', async () => {
    const { sql } = await openIndex('postgres', workspace(RANKING_FILES))
    const plan = await sql.transaction(async (tx) => {
      // The fixture is small enough for a sequential scan; take that away to see the index is usable.
      await tx.exec('SET LOCAL enable_seqscan = off')
      return (await tx.all<{ 'QUERY PLAN': string }>("EXPLAIN SELECT id FROM memory_chunks WHERE tsv @@ to_tsquery('simple', ?)", ["'backup' & 'server'"])).map((r) => r['QUERY PLAN']).join('\n')
    })
    expect(plan).toContain('memory_chunks_tsv')
  })
})

describe.each(STORES)('vectors on %s', (kind) => {
  it('hybrid search with the local embedder where vectors can live (SQLite: usearch; PostgreSQL: pgvector), keyword only otherwise', async () => {
    const ws = workspace(RANKING_FILES)
    const { index, store, chunksOf } = await openIndex(kind, ws, createHashingEmbedder())
    const vectors = kind === 'sqlite' || pgvector
    expect(store.pgvector).toBe(kind === 'postgres' && pgvector)
    const before = await index.status()
    expect(before).toMatchObject({ files: 10, vectors: vectors ? before.chunks : 0, embeddingModel: vectors ? 'local/hashing-384' : undefined })
    const found = await index.search('lentil soup with lemon', { minScore: 0 })
    expect(found.mode).toBe(vectors ? 'hybrid' : 'keyword')
    expect(found.results[0]).toMatchObject({ path: 'memory/recipes.md' })
    if (!vectors) return
    // The vector leg alone finds the chunk (no word of the query in common with any other file's first words).
    const recipes = (await chunksOf('memory/recipes.md'))[0]!.id
    const [q] = await createHashingEmbedder().embed(['lentils onion carrot cumin'])
    if (kind === 'postgres') expect((await store.knn('main', 'local/hashing-384', q!, 3))[0]).toMatchObject({ id: recipes })
    // A deleted file's vectors go with it; an edited file's new chunk is found by its new words.
    rmSync(join(ws, 'memory/recipes.md'))
    writeFileSync(join(ws, 'memory/car.md'), '# Car\n\n## Service\nThe car goes to the garage for new brake pads in April.\n')
    expect(await index.sync()).toEqual({ indexed: 1, removed: 1, unchanged: 8 })
    if (kind === 'postgres') expect((await store.knn('main', 'local/hashing-384', q!, 10)).map((h) => h.id)).not.toContain(recipes)
    expect((await index.search('lentil soup with lemon', { minScore: 0 })).results.map((r) => r.path)).not.toContain('memory/recipes.md')
    expect((await index.search('brake pads', { minScore: 0 })).results[0]).toMatchObject({ path: 'memory/car.md' })
    expect(await index.status()).toMatchObject({ files: 9, chunks: before.chunks - 1, vectors: before.chunks - 1 })
  })
})
