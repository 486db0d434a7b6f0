import type { Migration } from '../store/state-store.js'

/**
 * The tables of the cluster primitives (PostgreSQL only; a single SQLite gateway keeps this state in
 * memory). Owner `core:cluster`. Shipped migrations never change; add a new version instead.
 */
export const CLUSTER_OWNER = 'core:cluster'

export const CLUSTER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'session turns, delivery claims, spilled events',
    up: {
      postgres: `
      CREATE TABLE core_session_turns (
        id BIGSERIAL PRIMARY KEY,
        session_key TEXT NOT NULL,
        replica_key BIGINT NOT NULL,
        enqueued_at BIGINT NOT NULL
      );
      CREATE INDEX core_session_turns_key ON core_session_turns (session_key, id);
      CREATE INDEX core_session_turns_replica ON core_session_turns (replica_key);
      CREATE TABLE core_cluster_deliveries (
        delivery_key TEXT PRIMARY KEY,
        replica_key BIGINT NOT NULL,
        lease_until BIGINT NOT NULL
      );
      CREATE TABLE core_cluster_events (
        id BIGSERIAL PRIMARY KEY,
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
    `,
    },
  },
]
