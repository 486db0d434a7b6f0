// bench/memory/postgres.mjs: keyword search on PostgreSQL (tsvector + GIN, BM25 as FTS5's) beside
// SQLite (FTS5), on the same synthetic corpus through the plugin's MemoryIndex: index time, search
// p50/p99, and whether both stores return the same results in the same order.
// Run: pnpm build && pnpm bench:memory:postgres   (CHUNKS=100000 for the full corpus; default 20,000)
// PostgreSQL: OPENCLAW_DATABASE_URL when set, else an embedded PostgreSQL 18 (bench/lib/postgres.mjs).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { PostgresStateStore, SqliteStateStore, createSilentLogger } from '@openclaw/core'
import { DEFAULT_SEARCH_SETTINGS, IndexerClient, MEMORY_MIGRATIONS, MemoryIndex, MemoryIndexStore } from '@openclaw/plugin-tools-memory'
import { startBenchPostgres } from '../lib/postgres.mjs'
import { makeCorpus } from './corpus.mjs'

const CHUNKS = Number(process.env.CHUNKS ?? 20_000)
const QUERIES = Number(process.env.QUERIES ?? 400)
const NOTES_PER_FILE = 50

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] }

const { chunks, queries } = makeCorpus({ count: CHUNKS, queries: QUERIES })
const ws = mkdtempSync(join(tmpdir(), 'oc-bench-memory-pg-'))
mkdirSync(join(ws, 'memory'))
for (let f = 0; f * NOTES_PER_FILE < chunks.length; f++) {
  writeFileSync(join(ws, 'memory', `part${f}.md`), chunks.slice(f * NOTES_PER_FILE, (f + 1) * NOTES_PER_FILE).map((n) => n.text).join('\n\n') + '\n')
}

const postgres = await startBenchPostgres()
const results = {}
try {
  for (const kind of ['sqlite', 'postgres']) {
    const store = kind === 'postgres'
      ? await PostgresStateStore.open({ url: await postgres.newDatabase(), poolSize: 4 })
      : SqliteStateStore.open(join(ws, 'state.db'))
    const owner = store.forOwner('tool:memory')
    await owner.migrate(MEMORY_MIGRATIONS)
    const worker = new IndexerClient()
    const index = new MemoryIndex('main', { workspace: ws, extraPaths: [] }, new MemoryIndexStore(owner), worker, undefined, DEFAULT_SEARCH_SETTINGS, join(ws, 'ann'), createSilentLogger())
    let t0 = performance.now()
    await index.open()
    const indexMs = performance.now() - t0
    const times = []
    const tops = []
    for (const q of queries) {
      t0 = performance.now()
      const found = await index.search(q.text)
      times.push(performance.now() - t0)
      tops.push(found.results.map((r) => `${r.path}:${r.startLine}`).join(','))
    }
    results[kind] = { indexMs, times, tops }
    await index.close()
    await worker.close()
    await store.close()
  }
} finally {
  await postgres.stop()
  rmSync(ws, { recursive: true, force: true })
}

const { sqlite, postgres: pg } = results
console.log(`${CHUNKS} chunks, ${QUERIES} queries (keyword only); PostgreSQL: ${postgres.label}`)
console.log('store                          index (s)     p50 (ms)     p99 (ms)')
for (const [name, r] of [['SQLite FTS5 BM25', sqlite], ['PostgreSQL tsvector BM25', pg]]) {
  console.log(`${name.padEnd(30)} ${(r.indexMs / 1000).toFixed(1).padStart(9)} ${pct(r.times, 0.5).toFixed(2).padStart(12)} ${pct(r.times, 0.99).toFixed(2).padStart(12)}`)
}
const same = sqlite.tops.filter((t, i) => t === pg.tops[i]).length
const sameFirst = sqlite.tops.filter((t, i) => t.split(',')[0] === pg.tops[i].split(',')[0]).length
console.log(`same results in the same order: ${same} of ${QUERIES} queries; same first result: ${sameFirst} of ${QUERIES}`)
