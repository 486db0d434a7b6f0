import type pg from 'pg'
import type { ClusterConnection } from './cluster-connection.js'
import { LIVE_REPLICAS_SQL } from './lock-keys.js'
import type { PgEventBus } from './pg-event-bus.js'

const RUN_DONE = 'run.done'
const RUN_ABORT = 'run.abort'

export type RunClaim<R> =
  /** This replica owns the run: execute it, then finish(). */
  | { readonly kind: 'owner' }
  /** The key ran already: answer with its result. */
  | { readonly kind: 'done'; readonly runId: string; readonly result: R }
  /** The key is running on a live replica: wait for `runId`. */
  | { readonly kind: 'running'; readonly runId: string }

export type RunLookup<R> =
  | { readonly state: 'unknown' }
  | { readonly state: 'running'; readonly local: boolean }
  | { readonly state: 'done'; readonly result: R }
  /** The replica running it died before it finished. */
  | { readonly state: 'lost' }

export interface PgRunRegistryOptions {
  /** How long a finished idempotency key answers with its result (a later claim runs again). */
  readonly idempotencyTtlMs: number
  /** Re-check a waited-for run this often even without a wake-up. */
  readonly pollMs?: number
}

interface RunRow {
  run_id: string
  state: string
  result: string | null
  live: boolean
  replica_key: string
}

/**
 * Runs across replicas (core_cluster_runs): an idempotency key is claimed when a run starts, so two
 * replicas given one key run once; any replica can wait for or abort a run executing on another
 * (NOTIFY wakes the waiter; the row is the truth). A run whose replica died is `lost`, and its key
 * may be claimed again.
 */
export class PgRunRegistry<R = unknown> {
  readonly #waiters = new Map<string, Set<() => void>>()
  readonly #abortHandlers = new Set<(runId: string) => void>()
  readonly #unsubscribe: Array<() => void> = []
  readonly #pollMs: number

  constructor(
    private readonly pool: pg.Pool,
    private readonly connection: ClusterConnection,
    private readonly bus: PgEventBus,
    private readonly options: PgRunRegistryOptions,
  ) {
    this.#pollMs = options.pollMs ?? 1000
  }

  start(): void {
    if (this.#unsubscribe.length > 0) return
    this.#unsubscribe.push(
      this.bus.subscribe(RUN_DONE, (runId) => {
        if (typeof runId === 'string') for (const wake of this.#waiters.get(runId) ?? []) wake()
      }),
      this.bus.subscribe(RUN_ABORT, (runId) => {
        if (typeof runId === 'string') for (const handler of this.#abortHandlers) handler(runId)
      }),
    )
  }

  stop(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe()
  }

  /**
   * Record a run that starts now. With an idempotency key, the key is claimed first: a key that
   * finished within the TTL answers `done`, one running on a live replica `running`; a key whose run
   * was lost with its replica (or expired) is taken over by this run.
   */
  async claim(runId: string, sessionKey: string, idempotencyKey?: string): Promise<RunClaim<R>> {
    const now = Date.now()
    if (idempotencyKey === undefined) {
      await this.pool.query(
        `INSERT INTO core_cluster_runs (run_id, idempotency_key, session_key, replica_key, state, started_at) VALUES ($1, NULL, $2, $3, 'running', $4)`,
        [runId, sessionKey, this.connection.replicaKey, now])
      return { kind: 'owner' }
    }
    const { rows } = await this.pool.query<{ run_id: string }>(
      `INSERT INTO core_cluster_runs AS r (run_id, idempotency_key, session_key, replica_key, state, started_at)
       VALUES ($1, $2, $3, $4, 'running', $5)
       ON CONFLICT (idempotency_key) DO UPDATE SET run_id = excluded.run_id, session_key = excluded.session_key,
         replica_key = excluded.replica_key, state = 'running', result = NULL, started_at = excluded.started_at, finished_at = NULL
       WHERE (r.state = 'running' AND r.replica_key NOT IN (${LIVE_REPLICAS_SQL})) OR (r.state = 'done' AND r.finished_at < $6)
       RETURNING run_id`,
      [runId, idempotencyKey, sessionKey, this.connection.replicaKey, now, now - this.options.idempotencyTtlMs])
    if (rows[0]?.run_id === runId) return { kind: 'owner' }
    const existing = await this.pool.query<{ run_id: string; state: string; result: string | null }>(
      'SELECT run_id, state, result FROM core_cluster_runs WHERE idempotency_key = $1', [idempotencyKey])
    const row = existing.rows[0]
    if (!row) return this.claim(runId, sessionKey, idempotencyKey) // expired and pruned between the two statements
    if (row.state === 'done' && row.result !== null) return { kind: 'done', runId: row.run_id, result: JSON.parse(row.result) as R }
    return { kind: 'running', runId: row.run_id }
  }

  /** Store a run's result and wake whoever waits for it, on any replica. */
  async finish(runId: string, result: R): Promise<void> {
    await this.pool.query(`UPDATE core_cluster_runs SET state = 'done', result = $2, finished_at = $3 WHERE run_id = $1`, [
      runId, JSON.stringify(result), Date.now(),
    ])
    await this.bus.publish(RUN_DONE, runId)
  }

  async lookup(runId: string): Promise<RunLookup<R>> {
    const { rows } = await this.pool.query<RunRow>(
      `SELECT run_id, state, result, replica_key, replica_key IN (${LIVE_REPLICAS_SQL}) AS live FROM core_cluster_runs WHERE run_id = $1`, [runId])
    const row = rows[0]
    if (!row) return { state: 'unknown' }
    if (row.state === 'done' && row.result !== null) return { state: 'done', result: JSON.parse(row.result) as R }
    if (!row.live) return { state: 'lost' }
    return { state: 'running', local: Number(row.replica_key) === this.connection.replicaKey }
  }

  /** Wait until a run finishes anywhere, it is lost, or `timeoutMs` passes (then its state then). */
  async wait(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<RunLookup<R>> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      let wake!: () => void
      const woken = new Promise<void>((resolve) => {
        wake = resolve
      })
      let waiters = this.#waiters.get(runId)
      if (!waiters) {
        waiters = new Set()
        this.#waiters.set(runId, waiters)
      }
      waiters.add(wake)
      try {
        const found = await this.lookup(runId)
        const left = deadline - Date.now()
        if (found.state !== 'running' || left <= 0 || signal?.aborted) return found
        let timer: NodeJS.Timeout | undefined
        const onAbort = () => wake()
        signal?.addEventListener('abort', onAbort, { once: true })
        await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(left, this.#pollMs))))])
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
      } finally {
        waiters.delete(wake)
        if (waiters.size === 0 && this.#waiters.get(runId) === waiters) this.#waiters.delete(runId)
      }
    }
  }

  /** Ask the replica running `runId` to abort it. Resolves with whether the run was running on a live replica. */
  async abort(runId: string): Promise<boolean> {
    const found = await this.lookup(runId)
    if (found.state !== 'running') return false
    await this.bus.publish(RUN_ABORT, runId)
    return true
  }

  /** Called with each run id some replica asked to abort; the handler aborts it if it runs here. */
  onAbort(handler: (runId: string) => void): () => void {
    this.#abortHandlers.add(handler)
    return () => this.#abortHandlers.delete(handler)
  }

  /** Drop finished runs older than the idempotency TTL, and runs lost with their replica as long ago. */
  async prune(): Promise<number> {
    const { rowCount } = await this.pool.query(`DELETE FROM core_cluster_runs WHERE (state = 'done' AND finished_at < $1)
      OR (state = 'running' AND started_at < $1 AND replica_key NOT IN (${LIVE_REPLICAS_SQL}))`, [
      Date.now() - this.options.idempotencyTtlMs,
    ])
    return rowCount ?? 0
  }
}
