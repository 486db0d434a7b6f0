import type pg from 'pg'
import type { TurnQueue } from '../coordination/turn-queue.js'
import { CORE_ERR_SESSION_BUSY } from '../errors/codes.js'
import type { ClusterConnection } from './cluster-connection.js'
import { LIVE_REPLICAS_SQL } from './lock-keys.js'
import type { PgEventBus } from './pg-event-bus.js'

const TURN_DONE = 'session.turn-done'

export interface PgSessionQueueOptions {
  /** Turns that may wait behind the running one, counted across all replicas. */
  readonly maxWaiting: number
  /** Re-check a waiting turn this often even without a wake-up (a lost NOTIFY, a dead holder). */
  readonly pollMs?: number
}

/**
 * The per-session turn queue across replicas. A turn takes a ticket (a row in core_session_turns,
 * in arrival order) and runs when no live ticket is ahead of it, so turns of one session never
 * overlap whichever replica received them. Tickets name their replica: a replica that dies loses its
 * presence lock at once, and its tickets stop counting (and are deleted by the next one to look).
 * More than `maxWaiting` live tickets behind the running one and a new turn is refused with
 * `CORE_ERR_SESSION_BUSY`: the limit is cluster-wide.
 */
export class PgSessionQueue implements TurnQueue {
  readonly #waiters = new Map<string, Set<() => void>>()
  /** Turns running or waiting here, per session (what {@link depth} counts). */
  readonly #local = new Map<string, number>()
  readonly #pollMs: number
  #unsubscribe: (() => void) | undefined

  constructor(
    private readonly pool: pg.Pool,
    private readonly connection: ClusterConnection,
    private readonly bus: PgEventBus,
    private readonly options: PgSessionQueueOptions,
  ) {
    this.#pollMs = options.pollMs ?? 1000
  }

  start(): void {
    this.#unsubscribe ??= this.bus.subscribe(TURN_DONE, (key) => {
      if (typeof key === 'string') this.#wake(key)
    })
  }

  stop(): void {
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    this.#local.set(key, (this.#local.get(key) ?? 0) + 1)
    try {
      const { id, ahead } = await this.#enqueue(key)
      try {
        if (ahead > 0) await this.#waitTurn(key, id)
        return await task()
      } finally {
        // The database gone for a moment: try once more later rather than fail a turn that ran.
        await this.#release(key, id).catch(() => setTimeout(() => void this.#release(key, id).catch(() => {}), 1000).unref())
      }
    } finally {
      const left = this.#local.get(key)! - 1
      if (left === 0) this.#local.delete(key)
      else this.#local.set(key, left)
    }
  }

  /** Turns running or waiting for a session on this replica. */
  depth(key: string): number {
    return this.#local.get(key) ?? 0
  }

  /** Turns running or waiting for a session, on every live replica. */
  async clusterDepth(key: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM core_session_turns WHERE session_key = $1 AND replica_key IN (${LIVE_REPLICAS_SQL})`, [key])
    return Number(rows[0]?.n ?? 0)
  }

  async #enqueue(key: string): Promise<{ id: string; ahead: number }> {
    // One round trip (core_session_enqueue): the busy count and the insert are one step under the session's lock.
    const { rows } = await this.pool.query<{ id: string | null; ahead: number }>('SELECT id, ahead FROM core_session_enqueue($1, $2, $3, $4)', [
      key, this.connection.replicaKey, this.options.maxWaiting, Date.now(),
    ])
    const row = rows[0]!
    if (row.id === null) throw new CORE_ERR_SESSION_BUSY(key, this.options.maxWaiting)
    return { id: row.id, ahead: row.ahead }
  }

  async #waitTurn(key: string, id: string): Promise<void> {
    for (;;) {
      // Subscribe before looking, so a release between the look and the wait is not missed.
      let wake!: () => void
      const woken = new Promise<void>((resolve) => {
        wake = resolve
      })
      let waiters = this.#waiters.get(key)
      if (!waiters) {
        waiters = new Set()
        this.#waiters.set(key, waiters)
      }
      waiters.add(wake)
      try {
        if (await this.#isFirst(key, id)) return
        let timer: NodeJS.Timeout | undefined
        await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#pollMs)))])
        clearTimeout(timer)
      } finally {
        waiters.delete(wake)
        if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key)
      }
    }
  }

  async #isFirst(key: string, id: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ id: string; live: boolean }>(
      `SELECT id, replica_key IN (${LIVE_REPLICAS_SQL}) AS live FROM core_session_turns
        WHERE session_key = $1 AND id < $2 ORDER BY id`, [key, id])
    const dead = rows.filter((row) => !row.live).map((row) => row.id)
    if (dead.length > 0) await this.pool.query('DELETE FROM core_session_turns WHERE id = ANY($1::bigint[])', [dead])
    return dead.length === rows.length
  }

  async #release(key: string, id: string): Promise<void> {
    const { rows } = await this.pool.query<{ waiting: boolean }>(
      `WITH gone AS (DELETE FROM core_session_turns WHERE id = $1)
       SELECT EXISTS (SELECT 1 FROM core_session_turns WHERE session_key = $2 AND id <> $1) AS waiting`, [id, key])
    if (rows[0]?.waiting) await this.bus.publish(TURN_DONE, key)
  }

  #wake(key: string): void {
    for (const wake of this.#waiters.get(key) ?? []) wake()
  }
}
