import type { Migration } from '../store/state-store.js'
import { LIVE_REPLICAS_SQL, LockClass } from './lock-keys.js'

/**
 * The tables of the cluster primitives (PostgreSQL only; a single SQLite gateway keeps this state in
 * memory). Owner `core:cluster`. Shipped migrations never change; add a new version instead.
 */
export const CLUSTER_OWNER = 'core:cluster'

export const CLUSTER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'session turns, spilled events',
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
      CREATE TABLE core_cluster_events (
        id BIGSERIAL PRIMARY KEY,
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      -- A turn's ticket in one round trip: under the session's lock, drop the tickets of dead replicas
      -- (only when there are tickets at all), count those ahead, and take one unless too many wait.
      -- id is NULL when refused (ahead > max waiting).
      CREATE FUNCTION core_session_enqueue(p_key TEXT, p_replica BIGINT, p_max INTEGER, p_now BIGINT)
        RETURNS TABLE (id BIGINT, ahead INTEGER) LANGUAGE plpgsql AS $fn$
      DECLARE
        n INTEGER;
        new_id BIGINT;
      BEGIN
        PERFORM pg_advisory_xact_lock(${LockClass.SESSION_QUEUE}, hashtext(p_key));
        SELECT count(*) INTO n FROM core_session_turns t WHERE t.session_key = p_key;
        IF n > 0 THEN
          DELETE FROM core_session_turns t WHERE t.session_key = p_key AND t.replica_key NOT IN (${LIVE_REPLICAS_SQL});
          SELECT count(*) INTO n FROM core_session_turns t WHERE t.session_key = p_key;
        END IF;
        IF n > p_max THEN
          RETURN QUERY SELECT NULL::BIGINT, n;
          RETURN;
        END IF;
        INSERT INTO core_session_turns AS t (session_key, replica_key, enqueued_at) VALUES (p_key, p_replica, p_now) RETURNING t.id INTO new_id;
        RETURN QUERY SELECT new_id, n;
      END
      $fn$;
    `,
    },
  },
]
