import { completeRow, type WorkQueue, type WorkQueueOptions } from '../coordination/work-queue.js'
import type { PostgresStateStore } from '../store/postgres-state-store.js'
import type { ClusterConnection } from './cluster-connection.js'
import { quoteIdent } from './cluster-connection.js'
import { LIVE_REPLICAS_SQL } from './lock-keys.js'
import type { PgEventBus } from './pg-event-bus.js'

/** The options of a {@link WorkQueue}: the table, its key, due and pending rows, groups, the lease. */
export type PgLeaseQueueOptions = WorkQueueOptions

/**
 * Hands out due rows of a work table (the outbox, an inbox) to one replica at a time: claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease. A claim whose lease ran out, or whose replica died (its
 * presence lock is gone), is handed out again; a replica that lost its claim cannot complete it.
 * New rows are announced on the event bus (topic `work:<table>`), so the other replicas' idle workers
 * look at once instead of at their next poll; a burst of announcements is one NOTIFY at a time.
 */
export class PgLeaseQueue<Row extends Record<string, unknown> = Record<string, unknown>> implements WorkQueue<Row> {
  readonly #t: string
  readonly #k: string
  readonly #claimSql: string
  readonly #topic: string
  /** A NOTIFY is on its way; `#again`: announced meanwhile, so one more follows it. */
  #announcing = false
  #again = false

  constructor(
    private readonly store: PostgresStateStore,
    private readonly connection: ClusterConnection,
    private readonly options: PgLeaseQueueOptions,
    /** Where new rows are announced; without it, other replicas find them at their next poll. */
    private readonly bus?: PgEventBus,
  ) {
    this.#topic = `work:${options.table}`
    this.#t = quoteIdent(options.table)
    this.#k = quoteIdent(options.key)
    const due = quoteIdent(options.due)
    const order = quoteIdent(options.order ?? options.due)
    const free = `(w.lease_until IS NULL OR w.lease_until < $1 OR w.lease_owner NOT IN (${LIVE_REPLICAS_SQL}))`
    const groupFirst = options.groupBy && options.groupBy.length > 0
      ? `AND NOT EXISTS (SELECT 1 FROM ${this.#t} e WHERE ${options.groupBy.map((c) => `e.${quoteIdent(c)} = w.${quoteIdent(c)}`).join(' AND ')}
           AND (${options.pending}) AND (e.${order}, e.${this.#k}) < (w.${order}, w.${this.#k}))`
      : ''
    this.#claimSql = `WITH claimed AS (UPDATE ${this.#t} SET lease_owner = $2, lease_until = $1::bigint + $3::bigint
      WHERE ${this.#k} IN (
        SELECT w.${this.#k} FROM ${this.#t} w
        WHERE (${options.pending}) AND w.${due} <= $1 AND ${free} ${groupFirst}
        ORDER BY w.${due}, w.${this.#k} LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING *)
      SELECT * FROM claimed ORDER BY ${due}, ${this.#k}`
  }

  /** Claim up to `limit` due rows for this replica. */
  async claim(limit: number, now = Date.now()): Promise<Row[]> {
    const { rows } = await this.store.pool.query<Row>(this.#claimSql, [now, this.connection.replicaKey, this.options.leaseMs, limit])
    return rows
  }

  /** Extend the leases of rows this replica still holds; returns the keys it still holds. */
  async renew(keys: readonly unknown[], now = Date.now()): Promise<unknown[]> {
    if (keys.length === 0) return []
    const { rows } = await this.store.pool.query<{ k: unknown }>(
      `UPDATE ${this.#t} SET lease_until = $1::bigint + $2::bigint WHERE ${this.#k} = ANY($3) AND lease_owner = $4 RETURNING ${this.#k} AS k`,
      [now, this.options.leaseMs, keys, this.connection.replicaKey])
    return rows.map((row) => row.k)
  }

  /** Apply `set` (column → value) to a row this replica still holds and free it. False when the claim was lost. */
  complete(key: unknown, set: Readonly<Record<string, unknown>>): Promise<boolean> {
    return completeRow(this.store, this.options.table, this.options.key, key, set, this.connection.replicaKey)
  }

  /** Apply `set` to a row this replica still holds, keeping the claim. False when the claim was lost. */
  update(key: unknown, set: Readonly<Record<string, unknown>>): Promise<boolean> {
    return completeRow(this.store, this.options.table, this.options.key, key, set, this.connection.replicaKey, { keep: true })
  }

  announce(): void {
    const bus = this.bus
    if (!bus) return
    if (this.#announcing) {
      this.#again = true
      return
    }
    this.#announcing = true
    const send = (): void => {
      this.#again = false
      // Lost (the database is away): the others poll anyway.
      bus.publish(this.#topic, null).catch(() => {}).finally(() => {
        if (this.#again) send()
        else this.#announcing = false
      })
    }
    send()
  }

  onAnnounce(handler: () => void): () => void {
    if (!this.bus) return () => {}
    const self = this.connection.replicaKey
    // This replica's own announcements: its workers were woken in process already.
    return this.bus.subscribe(this.#topic, (_data, from) => {
      if (from !== self) handler()
    })
  }
}
