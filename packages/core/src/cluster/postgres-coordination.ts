import type { CoordinationFactory } from '../coordination/gateway-coordination.js'
import { SqlIdempotencyStore } from '../coordination/idempotency-store.js'
import { LIVE_HOLDERS_SQL } from './lock-keys.js'
import type { PgCluster } from './pg-cluster.js'
import { PgDeliveryInFlight } from './pg-delivery-in-flight.js'
import { PgRunTracker } from './pg-run-tracker.js'

/** How often each replica looks for deliveries a replica that is gone left pending. */
const RESUME_EVERY_MS = 10_000

/**
 * The coordination of a replica among several on one PostgreSQL, built on its {@link PgCluster}:
 * turns queue per session across replicas, idempotency keys are claimed under this replica's name
 * (free again once it dies), `wait`/`abort` and run events reach runs on other replicas, and a
 * delivery key is claimed with a lease before it is sent.
 */
export function postgresCoordination(cluster: PgCluster): CoordinationFactory {
  return ({ store, config, clock }) => ({
    turns: cluster.sessions,
    idempotency: new SqlIdempotencyStore(store, clock, config.session.idempotencyTtlHours * 3_600_000, cluster.holder, false, LIVE_HOLDERS_SQL),
    runs: new PgRunTracker(cluster.bus, store, cluster.pollMs),
    deliveries: new PgDeliveryInFlight(cluster.store.pool, cluster.connection),
    resumeEveryMs: RESUME_EVERY_MS,
  })
}
