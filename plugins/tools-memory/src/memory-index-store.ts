import type { OwnerStore, SqlTransaction } from '@openclaw/plugin-sdk'
import type { IndexedChunk } from './indexer-protocol.js'
import { bm25Idf, CORPUS_STATS_TTL_MS, postgresBm25Sql, queryLexemes, type CorpusStats } from './postgres-bm25.js'
import { tokenize, tsvectorText } from './tokenize.js'

/** The SQL this store needs from the state store port. */
export type SqlPort = Pick<OwnerStore, 'dialect' | 'run' | 'get' | 'all' | 'exec' | 'transaction'>

export interface ChunkRow {
  readonly id: number
  readonly source: 'file' | 'key'
  readonly path: string
  readonly start_line: number
  readonly end_line: number
  readonly text: string
  readonly created_at: number
}

export interface KeyRow {
  readonly key: string
  readonly value: string
  readonly metadata: string | null
  readonly created_at: number
  readonly updated_at: number
}

/** pgvector's type, operator, function and operator class, qualified by the extension's schema. */
interface PgvectorNames {
  readonly dims: number
  readonly type: string
  readonly typeN: string
  readonly cosineDistance: string
  readonly dimsFn: string
  readonly cosineOps: string
}

function pgvectorNames(schema: string, dims: number): PgvectorNames {
  const q = `"${schema.replace(/"/g, '""')}"`
  return { dims, type: `${q}.vector`, typeN: `${q}.vector(${dims})`, cosineDistance: `OPERATOR(${q}.<=>)`, dimsFn: `${q}.vector_dims`, cosineOps: `${q}.vector_cosine_ops` }
}

/** One source's new chunks and their vectors (`file`: the file's hash and mtime, for the files table). */
export interface ReplaceInput {
  readonly agentId: string
  readonly source: 'file' | 'key'
  readonly path: string
  readonly chunks: readonly IndexedChunk[]
  readonly vectors: readonly (Float32Array | undefined)[]
  readonly model: string | undefined
  readonly now: number
  readonly file?: { readonly hash: string; readonly mtimeMs: number }
}

/** What replacing a source's chunks changed: ids whose vectors went away, chunks (by index) whose vectors are new. */
export interface ReplaceResult {
  readonly removed: number[]
  readonly added: { id: number; index: number }[]
}

/**
 * Writers of one source (a file or a key of an agent) take turns: on PostgreSQL an advisory lock for
 * the transaction, so replicas indexing the same file at once do not both insert its chunks: the
 * second sees the first's rows and keeps those whose hash it has (indexing is idempotent by content
 * hash). SQLite runs one write transaction at a time already.
 */
async function lockSource(tx: SqlTransaction, agentId: string, path: string): Promise<void> {
  if (tx.dialect !== 'postgres') return
  await tx.run("SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':tool:memory:' || ? || ':' || ?, 0))", [agentId, path])
}

/** A vector as pgvector's text input: `[0.1,0.2,…]`. */
const pgvectorText = (v: Float32Array) => `[${Array.from(v).join(',')}]`
const toBlob = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)
const fromBlob = (b: Uint8Array) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))

/**
 * A keyword query from free text, for the dialect's keyword index: every word quoted, joined with AND
 * (or OR): FTS5 `"a" AND "b"`, PostgreSQL tsquery `'a' & 'b'`. Undefined when there is no word.
 */
export function ftsQuery(text: string, join: 'AND' | 'OR' = 'AND', dialect: 'sqlite' | 'postgres' = 'sqlite'): string | undefined {
  const words = [...new Set(tokenize(text))].slice(0, 32)
  if (words.length === 0) return undefined
  // tokenize() keeps letters, digits and `_` only: nothing in a word needs escaping in either syntax.
  if (dialect === 'postgres') return words.map((w) => `'${w}'`).join(join === 'AND' ? ' & ' : ' | ')
  return words.map((w) => `"${w}"`).join(` ${join} `)
}

const INSERT_CHUNK = {
  sqlite: `INSERT INTO memory_chunks (agent_id, source, path, start_line, end_line, hash, text, model, vector, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  postgres: `INSERT INTO memory_chunks (agent_id, source, path, start_line, end_line, hash, text, model, vector, created_at, tsv, tokens)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, to_tsvector('simple', ?), ?) RETURNING id`,
} as const

const SQLITE_KEYWORD_SQL = `SELECT f.rowid AS id, bm25(memory_fts) AS bm25 FROM memory_fts f JOIN memory_chunks c ON c.id = f.rowid
           WHERE memory_fts MATCH ? AND c.agent_id = ? ORDER BY bm25(memory_fts) LIMIT ?`

/**
 * The memory index in the plugin's own tables: files, chunks (text, line range, vector), the FTS5
 * keyword index, key/value memories and a little metadata, per agent. Every write that replaces a
 * file's chunks is one transaction, so a search sees a file's old chunks or its new ones.
 */
export class MemoryIndexStore {
  /** pgvector's names, qualified by the schema it lives in, once {@link enablePgvector} ran (PostgreSQL only). */
  #pgvector: PgvectorNames | undefined
  /** A cache, per replica: BM25's corpus statistics per agent (PostgreSQL; FTS5 keeps its own). */
  readonly #stats = new Map<string, { stats: CorpusStats; until: number }>()

  constructor(readonly db: SqlPort) {}

  /** What answers searches: the keyword index of this dialect, and the vector index when there is a model. */
  backendName(model: string | undefined): string {
    const keyword = this.db.dialect === 'postgres' ? 'postgres tsvector' : 'sqlite fts5'
    if (!model) return `${keyword} (keyword only)`
    return this.#pgvector !== undefined ? `${keyword} + pgvector hnsw` : `${keyword} + usearch hnsw`
  }

  get pgvector(): boolean {
    return this.#pgvector !== undefined
  }

  /**
   * PostgreSQL with the `vector` extension loaded: an `embedding vector` column beside the float32
   * BYTEA and an HNSW (cosine) index over the rows of `dims` dimensions. Vectors written from now on
   * fill it; rows written before get it from their BYTEA here. The extension lives in the schema it
   * was first created in (one per database), maybe not this store's: every name of it is qualified.
   * Replicas starting together add the column and the index under an advisory lock.
   */
  async enablePgvector(dims: number): Promise<void> {
    if (this.db.dialect !== 'postgres' || !Number.isInteger(dims)) return
    const ext = await this.db.get<{ schema: string }>("SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector'")
    if (!ext) return
    const names = pgvectorNames(ext.schema, dims)
    // The DDL takes an exclusive lock on the table even when there is nothing to add: skip it when
    // the column and the index are there (every start after the first), so replicas starting while
    // others serve do not stall their searches.
    const present = await this.db.get<{ col: boolean; idx: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'memory_chunks'::regclass AND attname = 'embedding' AND NOT attisdropped) AS col,
              to_regclass(?) IS NOT NULL AS idx`,
      [`memory_chunks_embedding_${dims}`],
    )
    if (!present?.col || !present.idx) await this.db.transaction(async (tx) => {
      await tx.run("SELECT pg_advisory_xact_lock(hashtextextended('openclaw:tool:memory:pgvector:' || current_schema(), 0))")
      await tx.exec(`
        ALTER TABLE memory_chunks ADD COLUMN IF NOT EXISTS embedding ${names.type};
        CREATE INDEX IF NOT EXISTS memory_chunks_embedding_${dims} ON memory_chunks
          USING hnsw ((embedding::${names.typeN}) ${names.cosineOps}) WHERE ${names.dimsFn}(embedding) = ${dims};
      `)
    })
    this.#pgvector = names
    const missing = await this.db.all<{ id: number; vector: Uint8Array }>('SELECT id, vector FROM memory_chunks WHERE vector IS NOT NULL AND embedding IS NULL')
    for (const row of missing) await this.db.run(`UPDATE memory_chunks SET embedding = ?::${names.type} WHERE id = ? AND embedding IS NULL`, [pgvectorText(fromBlob(row.vector)), row.id])
  }

  /** Nearest chunks by cosine through pgvector's HNSW index (PostgreSQL with {@link enablePgvector}). */
  async knn(agentId: string, model: string, query: Float32Array, k: number): Promise<{ id: number; similarity: number }[]> {
    const v = this.#pgvector
    if (v === undefined || query.length !== v.dims) return []
    const rows = await this.db.all<{ id: number; distance: number }>(
      `SELECT id, embedding::${v.typeN} ${v.cosineDistance} ?::${v.typeN} AS distance FROM memory_chunks
       WHERE agent_id = ? AND model = ? AND ${v.dimsFn}(embedding) = ${v.dims} ORDER BY 2 LIMIT ?`,
      [pgvectorText(query), agentId, model, k],
    )
    return rows.map((r) => ({ id: r.id, similarity: 1 - Number(r.distance) }))
  }

  async fileHashes(agentId: string): Promise<Map<string, string>> {
    const rows = await this.db.all<{ path: string; hash: string }>('SELECT path, hash FROM memory_files WHERE agent_id = ?', [agentId])
    return new Map(rows.map((r) => [r.path, r.hash]))
  }

  /** Existing vectors of this agent by chunk hash and model: re-embedding an unchanged chunk is skipped. */
  async vectorsByHash(agentId: string, path: string, model: string): Promise<Map<string, Float32Array>> {
    const rows = await this.db.all<{ hash: string; vector: Uint8Array }>('SELECT hash, vector FROM memory_chunks WHERE agent_id = ? AND path = ? AND model = ? AND vector IS NOT NULL', [agentId, path, model])
    return new Map(rows.map((r) => [r.hash, fromBlob(r.vector)]))
  }

  /**
   * Replace one source's chunks (a file, or a key) in one transaction, touching only what changed:
   * a chunk whose hash the source already has keeps its row, its keyword entry and its vector (its
   * line range is updated), so reindexing an unchanged or slightly edited file rewrites little and
   * the keyword index does not fill up with deleted entries. Returns the ids whose vectors went away
   * and the chunks (by index in `chunks`) whose vectors are new; a kept chunk whose vector changes
   * (another model) is in both.
   */
  async replaceChunks(input: ReplaceInput): Promise<ReplaceResult> {
    return this.db.transaction(async (tx) => {
      await lockSource(tx, input.agentId, input.path)
      return this.#replace(tx, input)
    })
  }

  async #replace(tx: SqlTransaction, input: ReplaceInput): Promise<ReplaceResult> {
    this.#stats.delete(input.agentId)
    const old = await tx.all<{ id: number; hash: string; start_line: number; end_line: number; model: string | null }>(
      'SELECT id, hash, start_line, end_line, model FROM memory_chunks WHERE agent_id = ? AND path = ? ORDER BY id', [input.agentId, input.path])
    const byHash = new Map<string, typeof old>()
    for (const row of old) byHash.set(row.hash, [...(byHash.get(row.hash) ?? []), row])
    const matched = input.chunks.map((c) => byHash.get(c.hash)?.shift())
    const kept = new Set(matched.flatMap((row) => (row ? [row.id] : [])))
    const removed: number[] = []
    const gone = old.filter((row) => !kept.has(row.id)).map((row) => row.id)
    await this.#deleteChunkIds(tx, gone)
    removed.push(...gone)
    const added: { id: number; index: number }[] = []
    for (const [index, c] of input.chunks.entries()) {
      const vector = input.vectors[index]
      const model = vector ? input.model ?? null : null
      const row = matched[index]
      if (row) {
        if (row.start_line !== c.startLine || row.end_line !== c.endLine) {
          await tx.run('UPDATE memory_chunks SET start_line = ?, end_line = ? WHERE id = ?', [c.startLine, c.endLine, row.id])
        }
        if (row.model !== model) {
          await tx.run('UPDATE memory_chunks SET model = ?, vector = ? WHERE id = ?', [model, vector ? toBlob(vector) : null, row.id])
          if (this.#pgvector) await tx.run(`UPDATE memory_chunks SET embedding = ?::${this.#pgvector.type} WHERE id = ?`, [vector ? pgvectorText(vector) : null, row.id])
          if (row.model !== null) removed.push(row.id)
          if (vector) added.push({ id: row.id, index })
        }
        continue
      }
      const params = [input.agentId, input.source, input.path, c.startLine, c.endLine, c.hash, c.text, model, vector ? toBlob(vector) : null, input.now]
      // PostgreSQL keeps the keyword index in the row (a tsvector); SQLite in the FTS5 table.
      const inserted = await tx.get<{ id: number }>(INSERT_CHUNK[tx.dialect], tx.dialect === 'postgres' ? [...params, tsvectorText(c.indexText), tokenize(c.indexText).length] : params)
      if (tx.dialect === 'sqlite') await tx.run('INSERT INTO memory_fts (rowid, text) VALUES (?, ?)', [inserted!.id, c.indexText])
      if (vector && this.#pgvector) await tx.run(`UPDATE memory_chunks SET embedding = ?::${this.#pgvector.type} WHERE id = ?`, [pgvectorText(vector), inserted!.id])
      if (vector) added.push({ id: inserted!.id, index })
    }
    if (input.file) {
      await tx.run(
        `INSERT INTO memory_files (agent_id, path, hash, mtime_ms, chunks, indexed_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (agent_id, path) DO UPDATE SET hash = excluded.hash, mtime_ms = excluded.mtime_ms, chunks = excluded.chunks, indexed_at = excluded.indexed_at`,
        // mtime_ms is a BIGINT: PostgreSQL refuses the fraction stat() gives.
        [input.agentId, input.path, input.file.hash, Math.floor(input.file.mtimeMs), input.chunks.length, input.now],
      )
    }
    return { removed, added }
  }

  /** Forget a file (or a key's chunk): its chunks and its file row. */
  async removeSource(agentId: string, path: string): Promise<number[]> {
    return this.db.transaction(async (tx) => {
      await lockSource(tx, agentId, path)
      return this.#removeSource(tx, agentId, path)
    })
  }

  async #removeSource(tx: SqlTransaction, agentId: string, path: string): Promise<number[]> {
    this.#stats.delete(agentId)
    const ids = (await tx.all<{ id: number }>('SELECT id FROM memory_chunks WHERE agent_id = ? AND path = ?', [agentId, path])).map((r) => r.id)
    await this.#deleteChunkIds(tx, ids)
    await tx.run('DELETE FROM memory_files WHERE agent_id = ? AND path = ?', [agentId, path])
    return ids
  }

  async #deleteChunkIds(tx: SqlTransaction, ids: readonly number[]): Promise<void> {
    for (const id of ids) {
      await tx.run('DELETE FROM memory_chunks WHERE id = ?', [id])
      if (tx.dialect === 'sqlite') await tx.run('DELETE FROM memory_fts WHERE rowid = ?', [id])
    }
  }

  /**
   * BM25 keyword candidates, best first (`bm25` negative, lower is better). Every word must match
   * (AND, as OpenClaw's builtin engine does); when no chunk has them all, any word may (OR).
   */
  async keyword(agentId: string, query: string, limit: number): Promise<{ id: number; bm25: number }[]> {
    const dialect = this.db.dialect
    const all = ftsQuery(query, 'AND', dialect)
    if (!all) return []
    if (dialect === 'postgres') return this.#postgresKeyword(agentId, query, all, limit)
    const run = (match: string) => this.db.all<{ id: number; bm25: number }>(SQLITE_KEYWORD_SQL, [match, agentId, limit])
    const found = await run(all)
    const any = ftsQuery(query, 'OR', dialect)
    return found.length > 0 || any === all ? found : run(any!)
  }

  /**
   * BM25 over the tsvector (postgres-bm25.ts): all words (AND), else any word (OR), first among the
   * words found in fewer than half the chunks. The others score 1e-6 in FTS5's formula: leaving them
   * out of the OR match changes no ranking among the chunks that match a rarer word, and spares
   * scoring every chunk for a word like "note". Only when no chunk has a rarer word do they count.
   */
  async #postgresKeyword(agentId: string, query: string, all: string, limit: number): Promise<{ id: number; bm25: number }[]> {
    const stats = await this.#corpusStats(agentId)
    const terms = queryLexemes(tokenize(query))
    const unknown = terms.filter((t) => !stats.containing.has(t))
    if (unknown.length > 0) {
      const counted = await this.db.all<{ term: string; n: number }>(
        "SELECT term, (SELECT COUNT(*) FROM memory_chunks WHERE agent_id = ? AND tsv @@ to_tsquery('simple', quote_literal(term))) AS n FROM unnest(?::text[]) AS term",
        [agentId, unknown],
      )
      for (const row of counted) stats.containing.set(row.term, Number(row.n))
    }
    const idf = terms.map((t) => bm25Idf(stats.chunks, stats.containing.get(t) ?? 0))
    const sql = postgresBm25Sql(terms.length)
    const run = (match: string) => this.db.all<{ id: number; bm25: number }>(sql, [...idf, stats.avgTokens, ...terms.map((t) => `'${t}'`), match, agentId, limit])
    const found = await run(all)
    if (found.length > 0) return found
    const anyOf = (words: readonly string[]) => words.map((t) => `'${t}'`).join(' | ')
    const rare = terms.filter((t, i) => idf[i]! > 1e-6 && (stats.containing.get(t) ?? 0) > 0)
    if (rare.length > 0 && rare.length < terms.length) {
      const some = await run(anyOf(rare))
      if (some.length > 0) return some
    }
    const any = anyOf(terms)
    return any === all ? found : run(any)
  }

  /** BM25's N, avgdl and n(t) for an agent (PostgreSQL), cached for {@link CORPUS_STATS_TTL_MS} and dropped when this store writes. */
  async #corpusStats(agentId: string): Promise<CorpusStats> {
    const cached = this.#stats.get(agentId)
    if (cached && cached.until > Date.now()) return cached.stats
    const row = await this.db.get<{ chunks: number; avg_tokens: number | null }>('SELECT COUNT(*) AS chunks, AVG(tokens) AS avg_tokens FROM memory_chunks WHERE agent_id = ?', [agentId])
    const stats = { chunks: Number(row?.chunks ?? 0), avgTokens: Number(row?.avg_tokens ?? 0), containing: new Map<string, number>() }
    this.#stats.set(agentId, { stats, until: Date.now() + CORPUS_STATS_TTL_MS })
    return stats
  }

  async chunks(ids: readonly number[]): Promise<Map<number, ChunkRow>> {
    if (ids.length === 0) return new Map()
    const rows = await this.db.all<ChunkRow>(
      `SELECT id, source, path, start_line, end_line, text, created_at FROM memory_chunks WHERE id IN (${ids.map(() => '?').join(', ')})`,
      [...ids],
    )
    return new Map(rows.map((r) => [r.id, r]))
  }

  /** Vectors of one model, `batch` rows at a time after `afterId` (rebuilding the ANN index). */
  async vectorPage(agentId: string, model: string, afterId: number, batch: number): Promise<{ id: number; vector: Float32Array }[]> {
    const rows = await this.db.all<{ id: number; vector: Uint8Array }>(
      'SELECT id, vector FROM memory_chunks WHERE agent_id = ? AND model = ? AND vector IS NOT NULL AND id > ? ORDER BY id LIMIT ?',
      [agentId, model, afterId, batch],
    )
    return rows.map((r) => ({ id: r.id, vector: fromBlob(r.vector) }))
  }

  /**
   * Store (or replace) a key/value memory and its one searchable chunk (at `path`) in one transaction,
   * so the key row and its chunk never disagree, even when replicas store the same key at once.
   */
  async storeKey(input: { agentId: string; key: string; value: string; metadata: unknown; path: string; chunk: IndexedChunk; vector: Float32Array | undefined; model: string | undefined; now: number }): Promise<{ row: KeyRow } & ReplaceResult> {
    const meta = input.metadata === undefined ? null : JSON.stringify(input.metadata)
    return this.db.transaction(async (tx) => {
      await lockSource(tx, input.agentId, input.path)
      const row = (await tx.get<KeyRow>(
        `INSERT INTO memory_keys (agent_id, key, value, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (agent_id, key) DO UPDATE SET value = excluded.value, metadata = excluded.metadata, updated_at = excluded.updated_at
         RETURNING key, value, metadata, created_at, updated_at`,
        [input.agentId, input.key, input.value, meta, input.now, input.now],
      ))!
      const replaced = await this.#replace(tx, { agentId: input.agentId, source: 'key', path: input.path, chunks: [input.chunk], vectors: [input.vector], model: input.model, now: row.created_at })
      return { row, ...replaced }
    })
  }

  async getKey(agentId: string, key: string): Promise<KeyRow | undefined> {
    return this.db.get<KeyRow>('SELECT key, value, metadata, created_at, updated_at FROM memory_keys WHERE agent_id = ? AND key = ?', [agentId, key])
  }

  /** Delete a key/value memory and its chunk (at `path`) in one transaction; `existed` says whether there was one. */
  async deleteKey(agentId: string, key: string, path: string): Promise<{ existed: boolean; removed: number[] }> {
    return this.db.transaction(async (tx) => {
      await lockSource(tx, agentId, path)
      const existed = (await tx.run('DELETE FROM memory_keys WHERE agent_id = ? AND key = ?', [agentId, key])).changes > 0
      return { existed, removed: await this.#removeSource(tx, agentId, path) }
    })
  }

  async meta(agentId: string, name: string): Promise<string | undefined> {
    return (await this.db.get<{ value: string }>('SELECT value FROM memory_meta WHERE agent_id = ? AND name = ?', [agentId, name]))?.value
  }

  async setMeta(agentId: string, name: string, value: string): Promise<void> {
    await this.db.run('INSERT INTO memory_meta (agent_id, name, value) VALUES (?, ?, ?) ON CONFLICT (agent_id, name) DO UPDATE SET value = excluded.value', [agentId, name, value])
  }

  async counts(agentId: string): Promise<{ files: number; chunks: number; keys: number; vectors: number }> {
    const row = await this.db.get<{ files: number; chunks: number; keys: number; vectors: number }>(
      `SELECT (SELECT COUNT(*) FROM memory_files WHERE agent_id = ?) AS files,
              (SELECT COUNT(*) FROM memory_chunks WHERE agent_id = ?) AS chunks,
              (SELECT COUNT(*) FROM memory_keys WHERE agent_id = ?) AS keys,
              (SELECT COUNT(*) FROM memory_chunks WHERE agent_id = ? AND vector IS NOT NULL) AS vectors`,
      [agentId, agentId, agentId, agentId],
    )
    return { files: Number(row?.files ?? 0), chunks: Number(row?.chunks ?? 0), keys: Number(row?.keys ?? 0), vectors: Number(row?.vectors ?? 0) }
  }
}
