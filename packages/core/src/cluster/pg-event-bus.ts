import type pg from 'pg'
import type { ClusterConnection } from './cluster-connection.js'

/** NOTIFY payloads are limited to 8000 bytes; larger events travel through core_cluster_events. */
const INLINE_LIMIT = 7000

export interface BusEnvelope {
  /** The publishing replica's key. */
  readonly from: number
  readonly topic: string
  readonly data: unknown
}

export type BusHandler = (data: unknown, from: number) => void

interface Wire {
  r: number
  t: string
  d?: unknown
  ref?: string
}

/**
 * Cross-replica events on LISTEN/NOTIFY: one PostgreSQL channel per cluster, topics inside it.
 * Every replica, the publisher included, receives each event once, in publish order per publisher.
 * Delivery is at most once: a replica whose connection is down misses what was sent meanwhile, so
 * an event is a wake-up, and the database row it refers to is the truth.
 */
export class PgEventBus {
  readonly #topics = new Map<string, Set<BusHandler>>()
  #unlisten: (() => void) | undefined
  /** Receipts are handled one after another, so a spilled event does not overtake the next one. */
  #chain: Promise<void> = Promise.resolve()

  constructor(
    private readonly pool: pg.Pool,
    private readonly connection: ClusterConnection,
    /** The PostgreSQL channel; one per cluster (database and schema). */
    readonly channel = 'openclaw_bus',
  ) {}

  async start(): Promise<void> {
    this.#unlisten ??= await this.connection.listen(this.channel, (payload) => {
      this.#chain = this.#chain.then(() => this.#receive(payload)).catch(() => {})
    })
  }

  stop(): void {
    this.#unlisten?.()
    this.#unlisten = undefined
  }

  subscribe(topic: string, handler: BusHandler): () => void {
    let handlers = this.#topics.get(topic)
    if (!handlers) {
      handlers = new Set()
      this.#topics.set(topic, handlers)
    }
    handlers.add(handler)
    return () => {
      handlers.delete(handler)
      if (handlers.size === 0 && this.#topics.get(topic) === handlers) this.#topics.delete(topic)
    }
  }

  async publish(topic: string, data: unknown, db: Pick<pg.Pool, 'query'> = this.pool): Promise<void> {
    const wire: Wire = { r: this.connection.replicaKey, t: topic, d: data }
    let payload = JSON.stringify(wire)
    if (Buffer.byteLength(payload) > INLINE_LIMIT) {
      const { rows } = await db.query<{ id: string }>('INSERT INTO core_cluster_events (payload, created_at) VALUES ($1, $2) RETURNING id', [
        JSON.stringify(data), Date.now(),
      ])
      payload = JSON.stringify({ r: wire.r, t: topic, ref: rows[0]!.id } satisfies Wire)
    }
    await db.query('SELECT pg_notify($1, $2)', [this.channel, payload])
  }

  /** Drop spilled events older than `maxAgeMs` (they were delivered long ago, or never will be). */
  async prune(maxAgeMs: number): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM core_cluster_events WHERE created_at < $1', [Date.now() - maxAgeMs])
    return rowCount ?? 0
  }

  async #receive(payload: string): Promise<void> {
    let wire: Wire
    try {
      wire = JSON.parse(payload) as Wire
    } catch {
      return
    }
    const handlers = this.#topics.get(wire.t)
    if (!handlers || handlers.size === 0) return
    let data = wire.d
    if (wire.ref !== undefined) {
      const { rows } = await this.pool.query<{ payload: string }>('SELECT payload FROM core_cluster_events WHERE id = $1', [wire.ref])
      if (!rows[0]) return
      data = JSON.parse(rows[0].payload)
    }
    for (const handler of [...handlers]) handler(data, wire.r)
  }
}
