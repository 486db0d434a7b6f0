import type pg from 'pg'
import type { DeliveryInFlight } from '../coordination/delivery-in-flight.js'
import type { DeliveryOutcome } from '../plugins/plugin-api.js'
import type { ClusterConnection } from './cluster-connection.js'
import { LIVE_REPLICAS_SQL } from './lock-keys.js'

export interface PgDeliveryInFlightOptions {
  /** How long a claim lasts unless renewed (it is renewed every third of it while the send goes on). */
  readonly leaseMs?: number
  /** How often a send whose key another replica holds looks again. */
  readonly pollMs?: number
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())

/**
 * Sends going on across replicas: a send claims its delivery key in `core_cluster_deliveries` with a
 * lease before it runs, so two replicas never send one key at once. A key another replica holds is
 * waited for (then the outbox row says it was sent, and the send answers `duplicate`); a claim whose
 * replica died (its presence lock is gone) or whose lease ran out is taken over.
 */
export class PgDeliveryInFlight implements DeliveryInFlight {
  readonly #sends = new Map<string, Promise<DeliveryOutcome>>()
  readonly #leaseMs: number
  readonly #pollMs: number
  readonly #claimSql: string

  constructor(
    private readonly pool: pg.Pool,
    private readonly connection: ClusterConnection,
    options: PgDeliveryInFlightOptions = {},
  ) {
    this.#leaseMs = options.leaseMs ?? 30_000
    this.#pollMs = options.pollMs ?? 500
    this.#claimSql = `INSERT INTO core_cluster_deliveries AS d (delivery_key, replica_key, lease_until) VALUES ($1, $2, $3::bigint + $4::bigint)
      ON CONFLICT (delivery_key) DO UPDATE SET replica_key = excluded.replica_key, lease_until = excluded.lease_until
      WHERE d.lease_until < $3 OR d.replica_key NOT IN (${LIVE_REPLICAS_SQL})
      RETURNING delivery_key`
  }

  get(key: string): Promise<DeliveryOutcome> | undefined {
    return this.#sends.get(key)
  }

  track(key: string, work: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    const promise: Promise<DeliveryOutcome> = this.#claimed(key, work).finally(() => {
      if (this.#sends.get(key) === promise) this.#sends.delete(key)
    })
    this.#sends.set(key, promise)
    return promise
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.#sends.values()])
  }

  async #claimed(key: string, work: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    while (!(await this.#claim(key))) await sleep(this.#pollMs)
    const renew = setInterval(() => {
      void this.pool.query('UPDATE core_cluster_deliveries SET lease_until = $1 WHERE delivery_key = $2 AND replica_key = $3', [
        Date.now() + this.#leaseMs, key, this.connection.replicaKey,
      ]).catch(() => {})
    }, Math.max(100, Math.floor(this.#leaseMs / 3)))
    renew.unref()
    try {
      return await work()
    } finally {
      clearInterval(renew)
      await this.pool.query('DELETE FROM core_cluster_deliveries WHERE delivery_key = $1 AND replica_key = $2', [key, this.connection.replicaKey]).catch(() => {})
    }
  }

  async #claim(key: string): Promise<boolean> {
    const { rows } = await this.pool.query(this.#claimSql, [key, this.connection.replicaKey, Date.now(), this.#leaseMs])
    return rows.length === 1
  }
}
