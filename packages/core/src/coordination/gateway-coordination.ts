import type { Clock } from '../clock/clock.js'
import type { GatewayConfig } from '../config/config-schema.js'
import type { OwnerStore } from '../store/state-store.js'
import { InMemoryDeliveryInFlight, type DeliveryInFlight } from './delivery-in-flight.js'
import { SqlIdempotencyStore, type IdempotencyStore } from './idempotency-store.js'
import { InMemoryRunTracker, type RunTracker } from './run-tracker.js'
import { SessionQueue } from './session-queue.js'
import type { TurnQueue } from './turn-queue.js'
import { randomInt } from 'node:crypto'
import { SqlWorkQueue, type WorkQueue, type WorkQueueOptions } from './work-queue.js'

/**
 * What a gateway assumes about the other gateways on its database, one named service each. The
 * default ({@link singleProcessCoordination}) is right for SQLite, whose state directory one gateway
 * holds; a PostgreSQL deployment with several replicas replaces them.
 */
export interface GatewayCoordination {
  /** Turns of one session never overlap. */
  readonly turns: TurnQueue
  /** The same idempotency key never starts two runs. */
  readonly idempotency: IdempotencyStore
  /** Runs going on here: what `wait` and `abort` reach. */
  readonly runs: RunTracker
  /** Sends going on: one delivery key is never sent twice at once. */
  readonly deliveries: DeliveryInFlight
  /** Work rows (inbox, outbox) handed out with leases in the database. */
  workQueue<Row extends Record<string, unknown>>(options: WorkQueueOptions): WorkQueue<Row>
}

export interface CoordinationContext {
  /** The core's tables. */
  readonly store: OwnerStore
  readonly config: GatewayConfig
  readonly clock: Clock
  /** This gateway's id among the holders of claims (random per process). */
  readonly holder: string
  /**
   * True when this gateway is the only one on its database (it holds the state directory's lock, or
   * the store is a private `:memory:` one): claims of any other holder were left by a process that is gone.
   */
  readonly exclusive: boolean
}

export type CoordinationFactory = (context: CoordinationContext) => GatewayCoordination

/** One gateway per database: queues and trackers in memory, idempotency claims in `core_runs`. */
export const singleProcessCoordination: CoordinationFactory = ({ store, config, clock, holder, exclusive }) => {
  // The lease owner of this process's work-row claims (lease_owner is a BIGINT, as on PostgreSQL).
  const owner = randomInt(1, 2 ** 47)
  return {
    turns: new SessionQueue(config.session.maxQueue),
    idempotency: new SqlIdempotencyStore(store, clock, config.session.idempotencyTtlHours * 3_600_000, holder, exclusive),
    runs: new InMemoryRunTracker(),
    deliveries: new InMemoryDeliveryInFlight(),
    workQueue: <Row extends Record<string, unknown>>(options: WorkQueueOptions): WorkQueue<Row> => new SqlWorkQueue<Row>(store, options, owner, exclusive),
  }
}
