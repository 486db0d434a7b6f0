import type { SqlQueries, SqlStore } from '../store/state-store.js'

/** A table of work rows (the outbox, the inbox) as a queue. */
export interface WorkQueueOptions {
  /** The table. It has `lease_owner BIGINT` and `lease_until BIGINT` columns, both NULL when free. */
  readonly table: string
  /** Its primary key column. */
  readonly key: string
  /** The column of the epoch ms from which a row is due. */
  readonly due: string
  /** Which rows are work at all (`state = 'pending'`), as SQL over the table's columns, unqualified. */
  readonly pending: string
  /** Columns that make a group (one chat, one session): only each group's first pending row, by `order`, is handed out. */
  readonly groupBy?: readonly string[]
  /** The column that orders rows within a group; `due` when left out. */
  readonly order?: string
  /** How long a claim lasts unless renewed. */
  readonly leaseMs: number
}

/**
 * Hands out due rows to one holder at a time, with a lease. A row stays claimed (and its group
 * blocked) until `complete()` frees it or the lease runs out; a holder that lost its claim cannot
 * complete it. On PostgreSQL a replica set uses a `FOR UPDATE SKIP LOCKED` implementation of the
 * same contract (the pg `PgLeaseQueue`), handed in through `GatewayCoordination.workQueue`.
 */
export interface WorkQueue<Row extends Record<string, unknown> = Record<string, unknown>> {
  /** Claim up to `limit` due rows. */
  claim(limit: number, now: number): Promise<Row[]>
  /** Extend the leases of rows still held; returns the keys still held. */
  renew(keys: readonly unknown[], now: number): Promise<unknown[]>
  /** Apply `set` (column → value) to a held row and free it. False when the claim was lost. */
  complete(key: unknown, set: Readonly<Record<string, unknown>>): Promise<boolean>
  /** Apply `set` to a held row and keep holding it. False when the claim was lost. */
  update(key: unknown, set: Readonly<Record<string, unknown>>): Promise<boolean>
  /**
   * Tell this queue's workers on the other replicas that rows were added (a wake-up, so they need not
   * wait for their next poll). One gateway: nothing to tell (its own workers are woken in process).
   */
  announce(): void
  /** Hear another replica's {@link announce}. The returned function stops hearing it. */
  onAnnounce(handler: () => void): () => void
}

const IDENT = /^[a-z_][a-z0-9_]*$/

function ident(name: string): string {
  if (!IDENT.test(name)) throw new RangeError(`not a plain SQL identifier: ${name}`)
  return name
}

/**
 * A {@link WorkQueue} in portable SQL over the store port, for one gateway per database (SQLite):
 * its writes are serialised, so a claim is an `UPDATE … WHERE key IN (SELECT … LIMIT n) RETURNING *`.
 * `owner` names this holder. With `exclusive` (this gateway holds the state directory), rows held by
 * any other owner belong to a process that is gone and are free at once; otherwise they wait for
 * their lease to run out.
 */
export class SqlWorkQueue<Row extends Record<string, unknown> = Record<string, unknown>> implements WorkQueue<Row> {
  readonly #claimSql: string
  readonly #t: string
  readonly #k: string

  constructor(
    private readonly db: SqlStore,
    private readonly options: WorkQueueOptions,
    private readonly owner: number,
    private readonly exclusive: boolean,
  ) {
    const t = (this.#t = ident(options.table))
    const k = (this.#k = ident(options.key))
    const due = ident(options.due)
    const order = ident(options.order ?? options.due)
    const free = exclusive
      ? '(w.lease_until IS NULL OR w.lease_until < ? OR w.lease_owner <> ?)'
      : '(w.lease_until IS NULL OR w.lease_until < ?)'
    const groupFirst = options.groupBy && options.groupBy.length > 0
      ? `AND NOT EXISTS (SELECT 1 FROM ${t} e WHERE ${options.groupBy.map((c) => `e.${ident(c)} = w.${ident(c)}`).join(' AND ')}
           AND (${options.pending}) AND (e.${order} < w.${order} OR (e.${order} = w.${order} AND e.${k} < w.${k})))`
      : ''
    this.#claimSql = `UPDATE ${t} SET lease_owner = ?, lease_until = ?
      WHERE ${k} IN (
        SELECT w.${k} FROM ${t} w
        WHERE (${options.pending}) AND w.${due} <= ? AND ${free} ${groupFirst}
        ORDER BY w.${due}, w.${k} LIMIT ?)
      RETURNING *`
  }

  async claim(limit: number, now: number): Promise<Row[]> {
    if (limit <= 0) return []
    const free = this.exclusive ? [now, this.owner] : [now]
    const rows = await this.db.all<Row>(this.#claimSql, [this.owner, now + this.options.leaseMs, now, ...free, limit])
    const due = this.options.due
    return rows.sort((a, b) => Number(a[due]) - Number(b[due]) || String(a[this.options.key]).localeCompare(String(b[this.options.key])))
  }

  async renew(keys: readonly unknown[], now: number): Promise<unknown[]> {
    const held: unknown[] = []
    for (const key of keys) {
      const { changes } = await this.db.run(`UPDATE ${this.#t} SET lease_until = ? WHERE ${this.#k} = ? AND lease_owner = ?`, [now + this.options.leaseMs, key, this.owner])
      if (changes === 1) held.push(key)
    }
    return held
  }

  async complete(key: unknown, set: Readonly<Record<string, unknown>>): Promise<boolean> {
    return completeRow(this.db, this.#t, this.#k, key, set, this.owner)
  }

  async update(key: unknown, set: Readonly<Record<string, unknown>>): Promise<boolean> {
    return completeRow(this.db, this.#t, this.#k, key, set, this.owner, { keep: true })
  }

  /** One gateway per database: no other replica to tell. */
  announce(): void {}

  onAnnounce(): () => void {
    return () => {}
  }
}

/**
 * `UPDATE … SET <set>, lease free WHERE key = ? AND lease_owner = ?`: true when the row was still held.
 * With `keep`, the lease stays (the holder goes on working on the row).
 */
export async function completeRow(db: SqlQueries, table: string, keyColumn: string, key: unknown, set: Readonly<Record<string, unknown>>, owner: number, options: { readonly keep?: boolean } = {}): Promise<boolean> {
  const columns = Object.keys(set).map(ident)
  const assignments = [...columns.map((c) => `${c} = ?`), ...(options.keep ? [] : ['lease_owner = NULL', 'lease_until = NULL'])].join(', ')
  const { changes } = await db.run(`UPDATE ${ident(table)} SET ${assignments} WHERE ${ident(keyColumn)} = ? AND lease_owner = ?`, [...columns.map((c) => set[c]), key, owner])
  return changes === 1
}
