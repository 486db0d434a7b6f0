// bench/memory: the memory index at 100,000 chunks x 384 dimensions (hashing-trick embeddings, no model).
// Measures a full index (chunks/s; event-loop delay while it runs), then search p50/p99 for keyword-only,
// vector-only and hybrid through the plugin's MemoryIndex, and the vector backends the choice was made
// between (exact JS scan, sqlite-vec bit[384] prefilter + float rescoring, usearch HNSW) with recall@k.
// Run: pnpm build && pnpm bench:memory   (CHUNKS=20000 for a quicker run)
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import * as sqliteVec from 'sqlite-vec'
import { SqliteStateStore, createSilentLogger } from '@openclaw/core'
import {
  DEFAULT_SEARCH_SETTINGS, IndexerClient, MEMORY_MIGRATIONS, MemoryIndex, MemoryIndexStore, VectorIndex,
  createHashingEmbedder, hashingEmbed, ANN_CONFIG,
} from '@openclaw/plugin-tools-memory'
import { makeCorpus } from './corpus.mjs'

const CHUNKS = Number(process.env.CHUNKS ?? 100_000)
const QUERIES = Number(process.env.QUERIES ?? 400)
const K = 24 // maxResults 6 x candidateMultiplier 4
const D = 384
const NOTES_PER_FILE = 50

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] }
const ms = (x) => x.toFixed(2)
const rows = []
const row = (what, p50, p99, extra = '') => rows.push([what, p50, p99, extra])

// 1. The corpus, as daily-note files in a workspace: one note per chunk (a heading starts a chunk).
const { chunks, queries } = makeCorpus({ count: CHUNKS, queries: QUERIES })
const ws = mkdtempSync(join(tmpdir(), 'oc-bench-memory-'))
mkdirSync(join(ws, 'memory'))
for (let f = 0; f * NOTES_PER_FILE < chunks.length; f++) {
  const notes = chunks.slice(f * NOTES_PER_FILE, (f + 1) * NOTES_PER_FILE)
  writeFileSync(join(ws, 'memory', `2026-${String(1 + (f % 12)).padStart(2, '0')}-${String(1 + (f % 28)).padStart(2, '0')}-part${f}.md`), notes.map((n) => n.text).join('\n\n') + '\n')
}

// 2. A full index through the plugin's MemoryIndex on the real SQLite store, event loop watched.
const store = SqliteStateStore.open(join(ws, 'state.db'))
const owner = store.forOwner('tool:memory')
await owner.migrate(MEMORY_MIGRATIONS)
const indexStore = new MemoryIndexStore(owner)
const worker = new IndexerClient()
const embedder = createHashingEmbedder()
const log = createSilentLogger()
const hybrid = new MemoryIndex('main', { workspace: ws, extraPaths: [] }, indexStore, worker, embedder, DEFAULT_SEARCH_SETTINGS, join(ws, 'ann'), log)
// Stalls: every gap of 100 ms or more between timer ticks, with when it happened (ms since the index started).
const stalls = []
const watchStalls = () => {
  let last = performance.now()
  const timer = setInterval(() => { const now = performance.now(); if (now - last >= 100) stalls.push([Math.round(last - t0), Math.round(now - last)]); last = now }, 10)
  return () => clearInterval(timer)
}
const loop = monitorEventLoopDelay({ resolution: 1 })
loop.enable()
let t0 = performance.now()
const unwatch = watchStalls()
await hybrid.open()
unwatch()
const indexMs = performance.now() - t0
loop.disable()
const status = await hybrid.status()
console.log(`indexed ${status.chunks} chunks from ${status.files} files in ${(indexMs / 1000).toFixed(1)} s`)

// A search while a reindex runs answers from the last complete index. Every file is edited (a line
// appended: its last chunk changes), so the reindex does real work; a forced reindex of unchanged
// files keeps every chunk and writes almost nothing.
const files = readdirSync(join(ws, 'memory'))
for (const [i, f] of files.entries()) appendFileSync(join(ws, 'memory', f), `\n- edited in pass ${i}: the reindex sees this line\n`)
const during = []
t0 = performance.now()
const reindex = hybrid.sync()
const loop2 = monitorEventLoopDelay({ resolution: 1 })
loop2.enable()
let stop = false
reindex.finally(() => { stop = true })
for (let i = 0; !stop; i++) {
  const s = performance.now()
  await hybrid.search(queries[i % queries.length].text)
  during.push(performance.now() - s)
  await new Promise((r) => setTimeout(r, 5))
}
const reindexStats = await reindex
const reindexMs = performance.now() - t0
loop2.disable()

// 3. Searches through MemoryIndex: keyword only (no embedder), hybrid; vector only = ANN + chunk rows.
const keywordOnly = new MemoryIndex('main', { workspace: ws, extraPaths: [] }, indexStore, worker, undefined, DEFAULT_SEARCH_SETTINGS, join(ws, 'ann'), log)
const measure = async (fn) => {
  for (let i = 0; i < 20; i++) await fn(queries[i % queries.length])
  const lat = []
  for (const q of queries) { const s = performance.now(); await fn(q); lat.push(performance.now() - s) }
  return lat
}
const kw = await measure((q) => keywordOnly.search(q.text))
const vectorIndex = new VectorIndex(D)
vectorIndex.swap(join(ws, 'ann', `main-${await indexStore.meta('main', 'ann_generation')}.usearch`))
const vec = await measure(async (q) => indexStore.chunks(vectorIndex.search(hashingEmbed(q.text), K).map((h) => h.id)))
const hy = await measure((q) => hybrid.search(q.text))
row('keyword only (FTS5 BM25)', ms(pct(kw, 0.5)), ms(pct(kw, 0.99)))
row('vector only (usearch HNSW i8)', ms(pct(vec, 0.5)), ms(pct(vec, 0.99)))
row('hybrid (weighted + decay + MMR)', ms(pct(hy, 0.5)), ms(pct(hy, 0.99)), 'target p50 <= 10, p99 <= 30')
row('hybrid during the reindex of edited files', ms(pct(during, 0.5)), ms(pct(during, 0.99)), `${during.length} searches`)

// 4. The vector backends compared, on the stored vectors, with recall@24 against the exact answer.
const all = []
for (let after = 0; ;) { const page = await indexStore.vectorPage('main', embedder.model, after, 10_000); if (!page.length) break; all.push(...page); after = page.at(-1).id }
const flat = new Float32Array(all.length * D)
all.forEach((r, i) => flat.set(r.vector, i * D))
const ids = all.map((r) => r.id)
const qv = queries.map((q) => hashingEmbed(q.text))
const exact = (q) => {
  const sc = new Float32Array(ids.length)
  for (let i = 0; i < ids.length; i++) { let s = 0; const o = i * D; for (let d = 0; d < D; d++) s += q[d] * flat[o + d]; sc[i] = s }
  return [...sc.keys()].sort((a, b) => sc[b] - sc[a]).slice(0, K).map((i) => ids[i])
}
const sample = qv.slice(0, 100)
const truth = sample.map(exact)
const compare = (name, fn) => {
  const lat = []
  let hit = 0
  sample.forEach((q, i) => { const s = performance.now(); const got = fn(q); lat.push(performance.now() - s); const want = new Set(truth[i]); hit += got.filter((x) => want.has(x)).length })
  row(name, ms(pct(lat, 0.5)), ms(pct(lat, 0.99)), `recall@${K} ${(hit / (K * sample.length)).toFixed(3)}`)
}
compare('  exact scan in JS (float32)', exact)
const db = new Database(':memory:')
sqliteVec.load(db)
db.exec('CREATE VIRTUAL TABLE vb USING vec0(embedding bit[384]); CREATE TABLE vf (id INTEGER PRIMARY KEY, v BLOB)')
const insB = db.prepare('INSERT INTO vb (rowid, embedding) VALUES (?, vec_quantize_binary(?))')
const insF = db.prepare('INSERT INTO vf (id, v) VALUES (?, ?)')
db.transaction(() => all.forEach((r) => { const b = Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength); insB.run(BigInt(r.id), b); insF.run(r.id, b) }))()
const knn = db.prepare('SELECT rowid FROM vb WHERE embedding MATCH vec_quantize_binary(?) AND k = ?')
const getF = db.prepare('SELECT id, v FROM vf WHERE id IN (SELECT value FROM json_each(?))')
for (const pre of [100, 400]) {
  compare(`  sqlite-vec bit[384] top ${pre} + rescore`, (q) => {
    const cand = knn.all(Buffer.from(q.buffer), pre).map((r) => Number(r.rowid))
    return getF.all(JSON.stringify(cand)).map((r) => { const v = new Float32Array(r.v.buffer, r.v.byteOffset, D); let s = 0; for (let d = 0; d < D; d++) s += q[d] * v[d]; return [r.id, s] })
      .sort((a, b) => b[1] - a[1]).slice(0, K).map((x) => x[0])
  })
}
compare(`  usearch HNSW ${ANN_CONFIG.quantization} (M ${ANN_CONFIG.connectivity}, ef ${ANN_CONFIG.expansion_search})`, (q) => vectorIndex.search(q, K).map((h) => h.id))

await hybrid.close()
await worker.close()
await store.close()

const h = (hist) => `p50 ${ms(hist.percentile(50) / 1e6)} ms, p99 ${ms(hist.percentile(99) / 1e6)} ms, max ${ms(hist.max / 1e6)} ms`
console.log(`\nbench/memory: ${status.chunks} chunks x ${D} dims (hashing trick), ${queries.length} queries, Node ${process.version}\n`)
console.log(`indexing: ${Math.round(status.chunks / (indexMs / 1000))} chunks/s (full index incl. ANN build, ${(indexMs / 1000).toFixed(1)} s)`)
console.log(`event-loop delay during the full index: ${h(loop)}   (target p99 < 20 ms)`)
console.log(`event-loop delay during the reindex of ${reindexStats.indexed} edited files (${(reindexMs / 1000).toFixed(1)} s, searching every 5 ms): ${h(loop2)}`)
console.log(`stalls >= 100 ms during the full index [at ms, length ms]: ${JSON.stringify(stalls)}\n`)
const widths = [40, 10, 10]
console.log(`${'search (ms)'.padEnd(widths[0])}${'p50'.padStart(widths[1])}${'p99'.padStart(widths[2])}  notes`)
for (const [w, a, b, n] of rows) console.log(`${w.padEnd(widths[0])}${String(a).padStart(widths[1])}${String(b).padStart(widths[2])}  ${n}`)
