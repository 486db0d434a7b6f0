import { InMemoryDeliveryInFlight } from '../coordination/delivery-in-flight.js'
import type { CoordinationFactory } from '../coordination/gateway-coordination.js'
import type { WorkQueue, WorkQueueOptions } from '../coordination/work-queue.js'
import { SqlIdempotencyStore } from '../coordination/idempotency-store.js'
import { LIVE_HOLDERS_SQL } from './lock-keys.js'
import type { PgCluster } from './pg-cluster.js'
import { PgLeaseQueue } from './pg-lease-queue.js'
import { PgRunTracker } from './pg-run-tracker.js'

/**
 * The coordination of a replica among several on one PostgreSQL, built on its {@link PgCluster}:
 * turns queue per session across replicas, idempotency keys are claimed under this replica's name
 * (free again once it dies), `wait`/`abort` and run events reach runs on other replicas, and work rows (outbox,
 * inbox) are handed out with `FOR UPDATE SKIP LOCKED` and a lease that a dead replica's claims lose at once
 * (new rows are announced on the event bus, so every replica's idle workers look at once).
 */
export function postgresCoordination(cluster: PgCluster): CoordinationFactory {
  return ({ store, config, clock }) => ({
    turns: cluster.sessions,
    idempotency: new SqlIdempotencyStore(store, clock, config.session.idempotencyTtlHours * 3_600_000, cluster.holder, false, LIVE_HOLDERS_SQL),
    runs: new PgRunTracker(cluster.bus, store, cluster.pollMs),
    deliveries: new InMemoryDeliveryInFlight(),
    workQueue: <Row extends Record<string, unknown>>(options: WorkQueueOptions): WorkQueue<Row> => new PgLeaseQueue<Row>(cluster.store, cluster.connection, options, cluster.bus),
  })
}
