import type { Clock } from '../clock/clock.js'
import { runFenceSql, type RunFence } from '../coordination/idempotency-store.js'
import { CORE_ERR_RUN_SUPERSEDED } from '../errors/codes.js'
import type { SqlQueries, SqlStore, SqlTransaction } from '../store/state-store.js'
import type { HistoryOptions, ListSessionsOptions, Page, SessionInfo, TranscriptEntry } from '../types/sessions.js'

interface SessionRow {
  key: string
  agent_id: string
  created_at: number
  updated_at: number
  message_count: number
  origin: string | null
  last_route: string | null
  started_at: number | null
  interacted_at: number | null
}

interface TranscriptRow {
  seq: number
  at: number
  run_id: string | null
  role: TranscriptEntry['role']
  data: string
}

/** A transcript entry before it has its place: the store assigns `seq` and `at`. */
export type NewTranscriptEntry = TranscriptEntry extends infer E ? (E extends TranscriptEntry ? Omit<E, 'seq' | 'at'> : never) : never

const DEFAULT_PAGE = 50
const MAX_PAGE = 500

function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(1, Math.floor(limit ?? DEFAULT_PAGE)), MAX_PAGE)
}

function toInfo(row: SessionRow): SessionInfo {
  return {
    key: row.key,
    agentId: row.agent_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messageCount: row.message_count,
    startedAt: Number(row.started_at ?? row.created_at),
    ...(row.interacted_at !== null && row.interacted_at !== undefined ? { lastInteractionAt: Number(row.interacted_at) } : {}),
    ...(row.origin ? { origin: JSON.parse(row.origin) as SessionInfo['origin'] } : {}),
    ...(row.last_route ? { lastRoute: JSON.parse(row.last_route) as SessionInfo['lastRoute'] } : {}),
  }
}

function toEntry(row: TranscriptRow): TranscriptEntry {
  const data = JSON.parse(row.data) as Record<string, unknown>
  return { ...data, seq: row.seq, at: row.at, role: row.role, ...(row.run_id ? { runId: row.run_id } : {}) } as TranscriptEntry
}

// The per-turn statements, written once: raw SQL through the store's statement cache.
const SELECT_SESSION = 'SELECT * FROM core_sessions WHERE key = ?'
const ENSURE_SESSION =
  'INSERT INTO core_sessions (key, agent_id, created_at, updated_at, origin, next_seq, message_count, transcript_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING'
/** Reserves the sequence numbers of the entries about to be appended, and counts them (and their size) in. */
const RESERVE_SEQ =
  'UPDATE core_sessions SET next_seq = next_seq + ?, message_count = message_count + ?, transcript_bytes = transcript_bytes + ?, updated_at = ? WHERE key = ? RETURNING next_seq'
const INSERT_ENTRY = 'INSERT INTO core_transcript (session_key, seq, at, run_id, role, data) VALUES (?, ?, ?, ?, ?, ?)'
const SELECT_TRANSCRIPT = 'SELECT seq, at, run_id, role, data FROM core_transcript WHERE session_key = ? ORDER BY seq'

/** Sessions and their transcripts, in the core's tables of the state store. */
export class SessionStore {
  constructor(
    private readonly db: SqlStore,
    private readonly clock: Clock,
  ) {}

  async get(key: string): Promise<SessionInfo | undefined> {
    const row = await this.db.get<SessionRow>(SELECT_SESSION, [key])
    return row ? toInfo(row) : undefined
  }

  /**
   * Create the session if it does not exist; record its origin the first time. True when it was
   * created. `messages`: the entries the caller appends right after, counted in the new row.
   */
  ensure(key: string, agentId: string, origin?: SessionInfo['origin'], messages = 0): Promise<boolean> {
    return SessionStore.#ensure(this.db, this.clock.now(), key, agentId, origin, messages, 0)
  }

  static async #ensure(
    db: SqlQueries, now: number, key: string, agentId: string, origin: SessionInfo['origin'] | undefined, messages: number, bytes: number,
  ): Promise<boolean> {
    const { changes } = await db.run(ENSURE_SESSION, [key, agentId, now, now, origin ? JSON.stringify(origin) : null, messages + 1, messages, bytes])
    return changes > 0
  }

  async setLastRoute(key: string, route: NonNullable<SessionInfo['lastRoute']>): Promise<void> {
    await this.db.run('UPDATE core_sessions SET last_route = ? WHERE key = ?', [JSON.stringify(route), key])
  }

  /**
   * Append entries to a transcript atomically, in order. With `create`, the session is created first
   * if it does not exist, in the same transaction (one commit per turn start). True when this call
   * created the session: its transcript is then exactly `entries`. `fence`: the write happens only
   * while the run still holds its idempotency key ({@link RunFence}; none where nothing can take it
   * over: `IdempotencyStore.fence`). `also`: more writes that commit
   * with the entries or not at all (a run's result under its idempotency key, with its last entry).
   */
  async append(
    key: string,
    entries: readonly NewTranscriptEntry[],
    create?: { agentId: string; origin?: SessionInfo['origin'] },
    options: { readonly fence?: RunFence | undefined; readonly also?: ((tx: SqlTransaction) => Promise<void>) | undefined } = {},
  ): Promise<boolean> {
    const { fence, also } = options
    if (entries.length === 0 && !create && !also) return false
    const now = this.clock.now()
    if (entries.length === 0 && !also) return SessionStore.#ensure(this.db, now, key, create!.agentId, create!.origin, 0, 0)
    // Serialised before the transaction: their size (for session.maxTranscriptBytes and
    // maxTotalTranscriptBytes, transcript-limits.ts) is counted in by the same statement that reserves them.
    const rows = entries.map((entry) => {
      const { role, runId, ...data } = entry as NewTranscriptEntry & { runId?: string }
      return { role, runId: runId ?? null, json: JSON.stringify(data) }
    })
    const bytes = rows.reduce((sum, row) => sum + Buffer.byteLength(row.json), 0)
    return this.db.transaction(async (tx) => {
      // The run fence (a keyed run on PostgreSQL replicas, or on a shared SQLite store; one gateway alone
      // on its database has none: SqlIdempotencyStore.fence says why).
      if (fence && !(await tx.get(runFenceSql(tx.dialect), [fence.idempotencyKey, fence.runId]))) throw new CORE_ERR_RUN_SUPERSEDED(fence.runId)
      let created = false
      let seq = 1
      if (rows.length > 0) {
        // Reserve the sequence numbers first: one statement instead of a read and a write. Only when
        // the session is not there yet does it take a second one, to create it with the entries counted in.
        const row = await tx.get<{ next_seq: number }>(RESERVE_SEQ, [entries.length, entries.length, bytes, now, key])
        if (row !== undefined) seq = row.next_seq - entries.length
        else if (create) {
          created = await SessionStore.#ensure(tx, now, key, create.agentId, create.origin, entries.length, bytes)
          // Created by a concurrent writer in between (another replica): reserve on its row after all.
          if (!created) seq = (await tx.get<{ next_seq: number }>(RESERVE_SEQ, [entries.length, entries.length, bytes, now, key]))!.next_seq - entries.length
        } else {
          // No session: it was deleted while a run was still writing to it. Its entries would be rows of
          // no session, shown by history but beyond reset and delete; they go with the session instead.
          if (also) await also(tx)
          return false
        }
      } else if (create) created = await SessionStore.#ensure(tx, now, key, create.agentId, create.origin, 0, 0)
      for (const row of rows) await tx.run(INSERT_ENTRY, [key, seq++, now, row.runId, row.role, row.json])
      if (also) await also(tx)
      return created
    })
  }

  /**
   * Remove what one run wrote to a session's transcript (a run cut off by its replica's death, about
   * to run again under its idempotency key), keeping the session's counts right. How many entries went.
   */
  async dropRun(key: string, runId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<{ data: string }>('SELECT data FROM core_transcript WHERE session_key = ? AND run_id = ?', [key, runId])
      if (rows.length === 0) return 0
      const bytes = rows.reduce((sum, row) => sum + Buffer.byteLength(row.data), 0)
      await tx.run('DELETE FROM core_transcript WHERE session_key = ? AND run_id = ?', [key, runId])
      await tx.run('UPDATE core_sessions SET message_count = message_count - ?, transcript_bytes = transcript_bytes - ? WHERE key = ?', [rows.length, bytes, key])
      return rows.length
    })
  }

  /** Bytes of transcript a session holds (0 when it does not exist). */
  async transcriptBytes(key: string): Promise<number> {
    return Number((await this.db.get<{ b: number | null }>('SELECT transcript_bytes AS b FROM core_sessions WHERE key = ?', [key]))?.b ?? 0)
  }

  /** Bytes of transcript all sessions hold together. */
  async totalTranscriptBytes(): Promise<number> {
    return Number((await this.db.get<{ b: number | null }>('SELECT SUM(transcript_bytes) AS b FROM core_sessions'))?.b ?? 0)
  }

  /** The whole transcript in order, for building a model request. */
  async transcript(key: string): Promise<TranscriptEntry[]> {
    return (await this.db.all<TranscriptRow>(SELECT_TRANSCRIPT, [key])).map(toEntry)
  }

  async history(key: string, options: HistoryOptions = {}): Promise<Page<TranscriptEntry>> {
    const limit = pageSize(options.limit)
    const desc = options.order === 'desc'
    const after = options.cursor !== undefined ? Number(options.cursor) : desc ? Number.MAX_SAFE_INTEGER : 0
    const rows = await this.db.all<TranscriptRow>(
      `SELECT seq, at, run_id, role, data FROM core_transcript WHERE session_key = ? AND seq ${desc ? '<' : '>'} ? ORDER BY seq ${desc ? 'DESC' : 'ASC'} LIMIT ?`,
      [key, Number.isFinite(after) ? after : 0, limit + 1],
    )
    const items = rows.slice(0, limit).map(toEntry)
    return rows.length > limit ? { items, nextCursor: String(items[items.length - 1]!.seq) } : { items }
  }

  async list(options: ListSessionsOptions = {}): Promise<Page<SessionInfo>> {
    const limit = pageSize(options.limit)
    const where: string[] = ['key > ?']
    const params: unknown[] = [options.cursor ?? '']
    if (options.agentId) {
      where.push('agent_id = ?')
      params.push(options.agentId)
    }
    if (options.prefix) {
      // A range on the key (uses the index), then the exact prefix test (portable: no blob literals).
      const prefix = options.prefix.toLowerCase()
      where.push('key >= ? AND substr(key, 1, ?) = ?')
      params.push(prefix, [...prefix].length, prefix)
    }
    const rows = await this.db.all<SessionRow>(`SELECT * FROM core_sessions WHERE ${where.join(' AND ')} ORDER BY key LIMIT ?`, [...params, limit + 1])
    const items = rows.slice(0, limit).map(toInfo)
    return rows.length > limit ? { items, nextCursor: items[items.length - 1]!.key } : { items }
  }

  /** Clear the transcript, keep the session (`sessions.reset`): it starts again now. */
  reset(key: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const now = this.clock.now()
      const { changes } = await tx.run('UPDATE core_sessions SET message_count = 0, transcript_bytes = 0, updated_at = ?, started_at = ? WHERE key = ?', [now, now, key])
      await tx.run('DELETE FROM core_transcript WHERE session_key = ?', [key])
      return changes > 0
    })
  }

  /**
   * {@link reset}, once per `resetKey` (an inbox row's): a redo of the same work after a crash finds
   * the session already reset by it and leaves it (with the turn that ran after the reset) alone. A
   * session that does not exist yet is created empty under the key, so the run that follows cannot
   * be wiped by a redo either. True when this call reset (or created) the session.
   */
  resetOnce(key: string, agentId: string, resetKey: string, origin?: SessionInfo['origin']): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const now = this.clock.now()
      const { changes } = await tx.run(
        'INSERT INTO core_sessions (key, agent_id, created_at, updated_at, origin, next_seq, message_count, transcript_bytes, started_at, reset_key) ' +
          'VALUES (?, ?, ?, ?, ?, 1, 0, 0, ?, ?) ON CONFLICT (key) DO UPDATE SET message_count = 0, transcript_bytes = 0, ' +
          'updated_at = excluded.updated_at, started_at = excluded.started_at, reset_key = excluded.reset_key ' +
          'WHERE core_sessions.reset_key IS NULL OR core_sessions.reset_key <> excluded.reset_key',
        [key, agentId, now, now, origin ? JSON.stringify(origin) : null, now, resetKey],
      )
      if (changes === 0) return false
      await tx.run('DELETE FROM core_transcript WHERE session_key = ?', [key])
      return true
    })
  }

  /** Record a user interaction now (the reset policy's idle clock); nothing when the session does not exist yet. */
  async touch(key: string): Promise<void> {
    await this.db.run('UPDATE core_sessions SET interacted_at = ? WHERE key = ?', [this.clock.now(), key])
  }

  delete(key: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM core_transcript WHERE session_key = ?', [key])
      return (await tx.run('DELETE FROM core_sessions WHERE key = ?', [key])).changes > 0
    })
  }
}
