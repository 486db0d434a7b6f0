import type { OwnerStore } from '@openclaw/plugin-sdk'
import type { IndexedChunk } from './indexer-protocol.js'
import { tokenize } from './tokenize.js'

/** The SQL this store needs from the state store port. */
export type SqlPort = Pick<OwnerStore, 'run' | 'get' | 'all' | 'exec' | 'transaction'>

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

const toBlob = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)
const fromBlob = (b: Uint8Array) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))

/** An FTS5 query from free text: every word quoted, joined with AND (or OR); undefined when no word. */
export function ftsQuery(text: string, join: 'AND' | 'OR' = 'AND'): string | undefined {
  const words = [...new Set(tokenize(text))].slice(0, 32)
  return words.length > 0 ? words.map((w) => `"${w.replace(/"/g, '""')}"`).join(` ${join} `) : undefined
}

/**
 * The memory index in the plugin's own tables: files, chunks (text, line range, vector), the FTS5
 * keyword index, key/value memories and a little metadata, per agent. Every write that replaces a
 * file's chunks is one transaction, so a search sees a file's old chunks or its new ones.
 */
export class MemoryIndexStore {
  constructor(readonly db: SqlPort) {}

  async fileHashes(agentId: string): Promise<Map<string, string>> {
    const rows = this.db.all<{ path: string; hash: string }>('SELECT path, hash FROM memory_files WHERE agent_id = ?', [agentId])
    return new Map(rows.map((r) => [r.path, r.hash]))
  }

  /** Existing vectors of this agent by chunk hash and model: re-embedding an unchanged chunk is skipped. */
  async vectorsByHash(agentId: string, path: string, model: string): Promise<Map<string, Float32Array>> {
    const rows = this.db.all<{ hash: string; vector: Uint8Array }>('SELECT hash, vector FROM memory_chunks WHERE agent_id = ? AND path = ? AND model = ? AND vector IS NOT NULL', [agentId, path, model])
    return new Map(rows.map((r) => [r.hash, fromBlob(r.vector)]))
  }

  /** Replace one source's chunks (a file, or a key) in one transaction; returns the removed and added ids. */
  async replaceChunks(input: {
    agentId: string
    source: 'file' | 'key'
    path: string
    chunks: readonly IndexedChunk[]
    vectors: readonly (Float32Array | undefined)[]
    model: string | undefined
    now: number
    file?: { hash: string; mtimeMs: number }
  }): Promise<{ removed: number[]; added: number[] }> {
    return this.db.transaction(() => {
      const removed = this.#deleteChunks(input.agentId, input.path)
      const added: number[] = []
      input.chunks.forEach((c, i) => {
        const vector = input.vectors[i]
        const r = this.db.run(
          'INSERT INTO memory_chunks (agent_id, source, path, start_line, end_line, hash, text, model, vector, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [input.agentId, input.source, input.path, c.startLine, c.endLine, c.hash, c.text, vector ? input.model ?? null : null, vector ? toBlob(vector) : null, input.now],
        )
        const id = Number(r.lastInsertRowid)
        this.db.run('INSERT INTO memory_fts (rowid, text) VALUES (?, ?)', [id, c.indexText])
        added.push(id)
      })
      if (input.file) {
        this.db.run(
          `INSERT INTO memory_files (agent_id, path, hash, mtime_ms, chunks, indexed_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (agent_id, path) DO UPDATE SET hash = excluded.hash, mtime_ms = excluded.mtime_ms, chunks = excluded.chunks, indexed_at = excluded.indexed_at`,
          [input.agentId, input.path, input.file.hash, input.file.mtimeMs, input.chunks.length, input.now],
        )
      }
      return { removed, added }
    })
  }

  /** Forget a file (or a key's chunk): its chunks and its file row. */
  async removeSource(agentId: string, path: string): Promise<number[]> {
    return this.db.transaction(() => {
      const removed = this.#deleteChunks(agentId, path)
      this.db.run('DELETE FROM memory_files WHERE agent_id = ? AND path = ?', [agentId, path])
      return removed
    })
  }

  #deleteChunks(agentId: string, path: string): number[] {
    const ids = this.db.all<{ id: number }>('SELECT id FROM memory_chunks WHERE agent_id = ? AND path = ?', [agentId, path]).map((r) => r.id)
    for (const id of ids) this.db.run('DELETE FROM memory_fts WHERE rowid = ?', [id])
    this.db.run('DELETE FROM memory_chunks WHERE agent_id = ? AND path = ?', [agentId, path])
    return ids
  }

  /**
   * BM25 keyword candidates, best first (`bm25` negative, lower is better). Every word must match
   * (AND, as OpenClaw's builtin engine does); when no chunk has them all, any word may (OR). AND
   * keeps the scored set small: OR over common words scores most of the corpus.
   */
  async keyword(agentId: string, query: string, limit: number): Promise<{ id: number; bm25: number }[]> {
    const run = (match: string) => this.db.all<{ id: number; bm25: number }>(
      `SELECT f.rowid AS id, bm25(memory_fts) AS bm25 FROM memory_fts f JOIN memory_chunks c ON c.id = f.rowid
       WHERE memory_fts MATCH ? AND c.agent_id = ? ORDER BY bm25(memory_fts) LIMIT ?`,
      [match, agentId, limit],
    )
    const all = ftsQuery(query, 'AND')
    if (!all) return []
    const found = run(all)
    const any = ftsQuery(query, 'OR')
    return found.length > 0 || any === all ? found : run(any!)
  }

  async chunks(ids: readonly number[]): Promise<Map<number, ChunkRow>> {
    if (ids.length === 0) return new Map()
    const rows = this.db.all<ChunkRow>(
      `SELECT id, source, path, start_line, end_line, text, created_at FROM memory_chunks WHERE id IN (${ids.map(() => '?').join(', ')})`,
      [...ids],
    )
    return new Map(rows.map((r) => [r.id, r]))
  }

  /** Vectors of one model, `batch` rows at a time after `afterId` (rebuilding the ANN index). */
  async vectorPage(agentId: string, model: string, afterId: number, batch: number): Promise<{ id: number; vector: Float32Array }[]> {
    return this.db
      .all<{ id: number; vector: Uint8Array }>('SELECT id, vector FROM memory_chunks WHERE agent_id = ? AND model = ? AND vector IS NOT NULL AND id > ? ORDER BY id LIMIT ?', [agentId, model, afterId, batch])
      .map((r) => ({ id: r.id, vector: fromBlob(r.vector) }))
  }

  async putKey(agentId: string, key: string, value: string, metadata: unknown, now: number): Promise<KeyRow> {
    const meta = metadata === undefined ? null : JSON.stringify(metadata)
    this.db.run(
      `INSERT INTO memory_keys (agent_id, key, value, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (agent_id, key) DO UPDATE SET value = excluded.value, metadata = excluded.metadata, updated_at = excluded.updated_at`,
      [agentId, key, value, meta, now, now],
    )
    return (await this.getKey(agentId, key))!
  }

  async getKey(agentId: string, key: string): Promise<KeyRow | undefined> {
    return this.db.get<KeyRow>('SELECT key, value, metadata, created_at, updated_at FROM memory_keys WHERE agent_id = ? AND key = ?', [agentId, key])
  }

  async deleteKey(agentId: string, key: string): Promise<boolean> {
    return this.db.run('DELETE FROM memory_keys WHERE agent_id = ? AND key = ?', [agentId, key]).changes > 0
  }

  async meta(agentId: string, name: string): Promise<string | undefined> {
    return this.db.get<{ value: string }>('SELECT value FROM memory_meta WHERE agent_id = ? AND name = ?', [agentId, name])?.value
  }

  async setMeta(agentId: string, name: string, value: string): Promise<void> {
    this.db.run('INSERT INTO memory_meta (agent_id, name, value) VALUES (?, ?, ?) ON CONFLICT (agent_id, name) DO UPDATE SET value = excluded.value', [agentId, name, value])
  }

  async counts(agentId: string): Promise<{ files: number; chunks: number; keys: number; vectors: number }> {
    const one = (sql: string) => this.db.get<{ n: number }>(sql, [agentId])?.n ?? 0
    return {
      files: one('SELECT COUNT(*) AS n FROM memory_files WHERE agent_id = ?'),
      chunks: one('SELECT COUNT(*) AS n FROM memory_chunks WHERE agent_id = ?'),
      keys: one('SELECT COUNT(*) AS n FROM memory_keys WHERE agent_id = ?'),
      vectors: one('SELECT COUNT(*) AS n FROM memory_chunks WHERE agent_id = ? AND vector IS NOT NULL'),
    }
  }
}
