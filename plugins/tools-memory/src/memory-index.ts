import { watch, type FSWatcher } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { Logger } from '@openclaw/plugin-sdk'
import type { Embedder } from './embedder.js'
import { mergeHybrid, mmrOrder, recencyDecay, RANKING_DEFAULTS, type RankingOptions } from './hybrid-ranking.js'
import type { IndexerClient } from './indexer-client.js'
import type { FileResult, IndexedChunk } from './indexer-protocol.js'
import { buildAnnInChild } from './ann-builder.js'
import { contentHash } from './content-hash.js'
import { listMemoryFiles } from './memory-files.js'
import type { MemoryIndexStore } from './memory-index-store.js'
import { isWorkspaceMemoryPath, type MemoryRoots } from './memory-paths.js'
import { DELTA_LIMIT, VectorIndex } from './vector-index.js'

export interface MemorySearchSettings {
  readonly maxResults: number
  readonly minScore: number
  readonly ranking: RankingOptions
  readonly candidateMultiplier: number
  readonly mmr: { readonly enabled: boolean; readonly lambda: number }
  readonly temporalDecay: { readonly enabled: boolean; readonly halfLifeDays: number }
  readonly chunking: { readonly tokens: number; readonly overlap: number }
  readonly watchDebounceMs: number
}

export interface MemorySearchResult {
  readonly path: string
  readonly startLine: number
  readonly endLine: number
  readonly score: number
  readonly snippet: string
  /** `memory` for files, `keys` for stored key/value memories. */
  readonly source: 'memory' | 'keys'
  readonly key?: string
  readonly createdAt: number
}

export interface MemoryStatus {
  readonly agentId: string
  readonly workspace: string
  readonly files: number
  readonly chunks: number
  readonly keys: number
  readonly vectors: number
  readonly lastIndexAt: number | undefined
  readonly embeddingModel: string | undefined
  readonly backend: string
  readonly indexing: boolean
  /** Why search is keyword only, when it is (no embedding model configured, or no pgvector on PostgreSQL). */
  readonly vectorsOff?: string
}

const SNIPPET_CHARS = 700
const KEY_PATH = (key: string) => `key:${key}`

/**
 * One agent's memory: keeps the index in step with the files (content hashes, a watcher, a worker
 * that chunks and embeds), answers hybrid searches, stores key/value memories. Index writes run
 * one job at a time; searches never wait for them and see the last complete state of each file.
 */
export class MemoryIndex {
  readonly #vectors: VectorIndex | undefined
  #queue: Promise<unknown> = Promise.resolve()
  #indexing = 0
  #watcher: FSWatcher | undefined
  #debounce: NodeJS.Timeout | undefined
  #annGeneration = 0
  #closed = false

  constructor(
    readonly agentId: string,
    readonly roots: MemoryRoots,
    private readonly store: MemoryIndexStore,
    private readonly worker: IndexerClient,
    private readonly embedder: Embedder | undefined,
    private readonly settings: MemorySearchSettings,
    private readonly annDir: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    // On PostgreSQL with pgvector the store answers vector searches; otherwise the usearch snapshot does.
    this.#vectors = embedder && !store.pgvector ? new VectorIndex(embedder.dims) : undefined
  }

  get backend(): string {
    return this.store.backendName(this.embedder?.model)
  }

  #enqueue<T>(job: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(async () => {
      this.#indexing++
      try {
        return await job()
      } finally {
        this.#indexing--
      }
    })
    this.#queue = next.catch(() => {})
    return next
  }

  /** Load the persisted ANN snapshot if it matches the store, else rebuild it; then index what changed. */
  async open(): Promise<void> {
    if (this.#vectors && this.embedder) {
      const generation = Number((await this.store.meta(this.agentId, 'ann_generation')) ?? 0)
      const file = this.#annFile(generation)
      const valid = (await this.store.meta(this.agentId, 'ann_model')) === this.embedder.model && generation > 0
      if (valid) {
        this.#annGeneration = generation
        this.#vectors.swap(file)
      } else await this.#enqueue(() => this.#rebuildAnn())
    }
    await this.sync()
  }

  #annFile(generation: number): string {
    return join(this.annDir, `${this.agentId}-${generation}.usearch`)
  }

  /** Bring the index in step with the files: new and changed files are (re)indexed, deleted ones dropped. */
  sync(options: { force?: boolean } = {}): Promise<{ indexed: number; removed: number; unchanged: number }> {
    return this.#enqueue(async () => {
      const files = await listMemoryFiles(this.roots)
      const known = await this.store.fileHashes(this.agentId)
      const stats = { indexed: 0, removed: 0, unchanged: 0 }
      // Vectors added or dropped: a bulk index rebuilds the ANN snapshot only when there are any.
      const vectorChanges = { count: 0 }
      const present = new Set(files.map((f) => f.display))
      for (const path of known.keys()) {
        if (!present.has(path)) {
          this.#dropVectors(await this.store.removeSource(this.agentId, path))
          stats.removed++
        }
      }
      const hashingDims = this.embedder?.kind === 'hashing' ? this.embedder.dims : 0
      // A bulk (re)index does not grow the exact delta: the ANN index is rebuilt once at the end.
      const bulk = files.length > 64
      await this.worker.chunk(
        files.map((f) => ({ ...f, ...(options.force ? {} : { knownHash: known.get(f.display) }) })),
        { tokens: this.settings.chunking.tokens, overlap: this.settings.chunking.overlap, hashingDims },
        async (results) => {
          for (const result of results) {
            vectorChanges.count += await this.#apply(result, bulk, stats)
            await yieldToLoop()
          }
        },
      )
      if (stats.indexed + stats.removed > 0) await this.store.setMeta(this.agentId, 'last_index_at', String(this.now()))
      if (this.#vectors && (this.#vectors.needsRebuild() || (bulk && vectorChanges.count > 0))) await this.#rebuildAnn()
      return stats
    })
  }

  /** Apply one file's result; returns how many vectors were added or dropped. */
  async #apply(result: FileResult, bulk: boolean, stats: { indexed: number; removed: number; unchanged: number }): Promise<number> {
    if (result.status === 'unchanged') {
      stats.unchanged++
      return 0
    }
    if (result.status === 'missing') {
      const removed = await this.store.removeSource(this.agentId, result.display)
      this.#dropVectors(removed)
      stats.removed++
      return removed.length
    }
    const vectors = await this.#vectorsFor(result.display, result.chunks, result.vectors)
    const { removed, added } = await this.store.replaceChunks({
      agentId: this.agentId, source: 'file', path: result.display, chunks: result.chunks, vectors, model: this.embedder?.model, now: this.now(),
      file: { hash: result.hash, mtimeMs: result.mtimeMs },
    })
    this.#dropVectors(removed)
    if (!bulk) for (const { id, index } of added) this.#vectors?.add(id, vectors[index]!)
    stats.indexed++
    return this.embedder ? removed.length + added.length : 0
  }

  /** Vectors for a file's chunks: from the worker (local model), else reused by chunk hash or fetched in one batch. */
  async #vectorsFor(path: string, chunks: readonly IndexedChunk[], fromWorker: Float32Array | undefined): Promise<(Float32Array | undefined)[]> {
    const embedder = this.embedder
    if (!embedder) return chunks.map(() => undefined)
    if (fromWorker) return chunks.map((_, i) => fromWorker.subarray(i * embedder.dims, (i + 1) * embedder.dims))
    const cached = await this.store.vectorsByHash(this.agentId, path, embedder.model)
    const missing = chunks.filter((c) => !cached.has(c.hash))
    if (missing.length > 0) {
      try {
        const fresh = await embedder.embed(missing.map((c) => c.indexText))
        missing.forEach((c, i) => cached.set(c.hash, fresh[i]!))
      } catch (err) {
        this.log.warn({ err, path }, 'embedding failed; the file is indexed for keyword search only')
      }
    }
    return chunks.map((c) => cached.get(c.hash))
  }

  #dropVectors(ids: readonly number[]): void {
    for (const id of ids) this.#vectors?.remove(id)
  }

  /** Rebuild the ANN snapshot from the stored vectors in the worker, then map it in. */
  async #rebuildAnn(): Promise<void> {
    const embedder = this.embedder
    if (!embedder || !this.#vectors) return
    const store = this.store
    const agentId = this.agentId
    async function* pages() {
      for (let after = 0; ; ) {
        const page = await store.vectorPage(agentId, embedder!.model, after, 2048)
        if (page.length === 0) return
        yield page
        after = page.at(-1)!.id
        await yieldToLoop()
      }
    }
    await mkdir(this.annDir, { recursive: true })
    const generation = this.#annGeneration + 1
    const file = this.#annFile(generation)
    await buildAnnInChild(embedder.dims, pages(), file)
    this.#vectors.swap(file)
    const old = this.#annFile(this.#annGeneration)
    this.#annGeneration = generation
    await this.store.setMeta(this.agentId, 'ann_generation', String(generation))
    await this.store.setMeta(this.agentId, 'ann_model', embedder.model)
    if (generation > 1) await rm(old, { force: true })
  }

  /** Hybrid search: BM25 and vector legs, weighted merge (or RRF), recency decay, MMR, minScore. */
  async search(query: string, options: { maxResults?: number; minScore?: number } = {}): Promise<{ results: MemorySearchResult[]; mode: 'hybrid' | 'keyword' | 'vector' }> {
    const s = this.settings
    const maxResults = options.maxResults ?? s.maxResults
    const minScore = options.minScore ?? s.minScore
    const candidates = Math.max(maxResults * s.candidateMultiplier, maxResults)
    const keyword = await this.store.keyword(this.agentId, query, candidates)
    let vector: { id: number; vectorScore: number }[] = []
    if (this.embedder && (this.#vectors || this.store.pgvector)) {
      try {
        const [q] = await this.embedder.embed([query])
        const hits = this.#vectors ? this.#vectors.search(q!, candidates) : await this.store.knn(this.agentId, this.embedder.model, q!, candidates)
        vector = hits.map((h) => ({ id: h.id, vectorScore: h.similarity }))
      } catch (err) {
        this.log.warn({ err }, 'query embedding failed; keyword results only')
      }
    }
    const mode = keyword.length > 0 && vector.length > 0 ? 'hybrid' : vector.length > 0 ? 'vector' : 'keyword'
    const merged = mergeHybrid(keyword, vector, s.ranking)
    const rows = await this.store.chunks([...merged.keys()])
    const now = this.now()
    const scored = [...merged]
      .flatMap(([id, relevance]) => {
        const row = rows.get(id)
        if (!row) return []
        const decay = s.temporalDecay.enabled && row.source === 'file' ? recencyDecay(row.path, now, s.temporalDecay.halfLifeDays) : 1
        return [{ row, score: relevance * decay, text: row.text }]
      })
      .sort((a, b) => b.score - a.score)
    const keywordIds = new Set(keyword.map((k) => k.id))
    // minScore keeps keyword matches when every ranked result falls below it (OpenClaw's rule).
    let kept = scored.filter((c) => c.score >= minScore)
    if (kept.length === 0) kept = scored.filter((c) => keywordIds.has(c.row.id))
    const ordered = s.mmr.enabled && mode === 'hybrid' ? mmrOrder(kept, s.mmr.lambda, maxResults) : kept.slice(0, maxResults)
    return {
      mode,
      results: ordered.map(({ row, score }) => ({
        path: row.path,
        startLine: row.start_line,
        endLine: row.end_line,
        score: Math.round(score * 10_000) / 10_000,
        snippet: row.text.length > SNIPPET_CHARS ? `${row.text.slice(0, SNIPPET_CHARS)}…` : row.text,
        source: row.source === 'key' ? 'keys' : 'memory',
        ...(row.source === 'key' ? { key: row.path.slice(4) } : {}),
        createdAt: row.created_at,
      })),
    }
  }

  /** Store (or replace) a key/value memory; it is searchable at once. */
  storeKey(key: string, value: string, metadata: unknown): Promise<{ key: string; value: string; metadata: unknown; createdAt: number; updatedAt: number }> {
    return this.#enqueue(async () => {
      const text = `${key}: ${value}`
      const chunk: IndexedChunk = { startLine: 1, endLine: 1, text, indexText: text, hash: contentHash(text) }
      const [vector] = this.embedder ? await this.embedder.embed([text]).catch(() => [undefined]) : [undefined]
      const { row, removed, added } = await this.store.storeKey({ agentId: this.agentId, key, value, metadata, path: KEY_PATH(key), chunk, vector, model: this.embedder?.model, now: this.now() })
      this.#dropVectors(removed)
      if (vector) for (const { id } of added) this.#vectors?.add(id, vector)
      return { key: row.key, value: row.value, metadata: row.metadata === null ? undefined : JSON.parse(row.metadata), createdAt: row.created_at, updatedAt: row.updated_at }
    })
  }

  deleteKey(key: string): Promise<boolean> {
    return this.#enqueue(async () => {
      const { existed, removed } = await this.store.deleteKey(this.agentId, key, KEY_PATH(key))
      this.#dropVectors(removed)
      return existed
    })
  }

  async status(): Promise<MemoryStatus> {
    const counts = await this.store.counts(this.agentId)
    const last = await this.store.meta(this.agentId, 'last_index_at')
    return {
      agentId: this.agentId, workspace: this.roots.workspace, ...counts,
      lastIndexAt: last === undefined ? undefined : Number(last),
      embeddingModel: this.embedder?.model, backend: this.backend, indexing: this.#indexing > 0,
    }
  }

  /** Watch the workspace's memory files and the extra paths; changes reindex after `watchDebounceMs`. */
  watch(): void {
    if (this.#watcher || this.#closed) return
    const onChange = (root: string) => (_event: string, name: string | Buffer | null) => {
      const rel = name ? relative(this.roots.workspace, join(root, String(name))).split(sep).join('/') : ''
      if (root === this.roots.workspace && name && !isWorkspaceMemoryPath(rel) && rel !== 'memory') return
      clearTimeout(this.#debounce)
      this.#debounce = setTimeout(() => {
        this.sync().catch((err: unknown) => this.log.warn({ err }, 'memory reindex after a change failed'))
      }, this.settings.watchDebounceMs)
      this.#debounce.unref()
    }
    try {
      this.#watcher = watch(this.roots.workspace, { recursive: true, persistent: false }, onChange(this.roots.workspace))
      this.#watcher.on('error', (err) => this.log.warn({ err }, 'memory file watcher failed; searches still work, run `openclaw memory index` after changes'))
      for (const extra of this.roots.extraPaths) {
        const w = watch(extra, { recursive: true, persistent: false }, onChange(extra))
        w.on('error', () => w.close())
        this.#extraWatchers.push(w)
      }
    } catch (err) {
      this.log.warn({ err }, 'memory file watcher could not start; run `openclaw memory index` after changes')
    }
  }

  readonly #extraWatchers: FSWatcher[] = []

  /** Wait for queued index jobs. */
  async idle(): Promise<void> {
    await this.#queue
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#debounce)
    this.#watcher?.close()
    for (const w of this.#extraWatchers) w.close()
    await this.#queue
  }
}

export const DEFAULT_SEARCH_SETTINGS: MemorySearchSettings = {
  maxResults: 6,
  minScore: 0.35,
  ranking: { mode: 'weighted', vectorWeight: RANKING_DEFAULTS.vectorWeight, textWeight: RANKING_DEFAULTS.textWeight, rrfK: RANKING_DEFAULTS.rrfK },
  candidateMultiplier: RANKING_DEFAULTS.candidateMultiplier,
  mmr: { enabled: true, lambda: RANKING_DEFAULTS.mmrLambda },
  temporalDecay: { enabled: true, halfLifeDays: RANKING_DEFAULTS.halfLifeDays },
  chunking: { tokens: 400, overlap: 80 },
  watchDebounceMs: 1500,
}
export { DELTA_LIMIT }
