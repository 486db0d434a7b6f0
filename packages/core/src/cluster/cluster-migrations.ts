/**
 * The tables of the cluster primitives (PostgreSQL only; a single SQLite gateway keeps this state in
 * memory). Owner `core:cluster`. Shipped migrations never change; add a new version instead.
 */
export const CLUSTER_OWNER = 'core:cluster'

export const CLUSTER_MIGRATIONS = [
  {
    version: 1,
    name: 'session turns, runs, spilled events',
    up: `
      CREATE TABLE core_session_turns (
        id BIGSERIAL PRIMARY KEY,
        session_key TEXT NOT NULL,
        replica_key BIGINT NOT NULL,
        enqueued_at BIGINT NOT NULL
      );
      CREATE INDEX core_session_turns_key ON core_session_turns (session_key, id);
      CREATE INDEX core_session_turns_replica ON core_session_turns (replica_key);
      CREATE TABLE core_cluster_runs (
        run_id TEXT PRIMARY KEY,
        idempotency_key TEXT UNIQUE,
        session_key TEXT NOT NULL,
        replica_key BIGINT NOT NULL,
        state TEXT NOT NULL,
        result TEXT,
        started_at BIGINT NOT NULL,
        finished_at BIGINT
      );
      CREATE INDEX core_cluster_runs_finished ON core_cluster_runs (finished_at);
      CREATE TABLE core_cluster_events (
        id BIGSERIAL PRIMARY KEY,
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
    `,
  },
] as const
