import type { Migration } from '../store/state-store.js'

/**
 * The core's tables. Shipped migrations never change; add a new version instead. Version 1 was
 * written for SQLite; its PostgreSQL text is the same schema with epoch milliseconds as BIGINT.
 * Later versions are portable SQL.
 */
export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, transcripts, runs, outbox',
    up: {
      sqlite: `
      CREATE TABLE core_sessions (
        key TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        message_count INTEGER NOT NULL DEFAULT 0,
        next_seq INTEGER NOT NULL DEFAULT 1,
        origin TEXT,
        last_route TEXT
      );
      CREATE INDEX core_sessions_agent ON core_sessions (agent_id, key);
      CREATE TABLE core_transcript (
        session_key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        run_id TEXT,
        role TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (session_key, seq)
      ) WITHOUT ROWID;
      CREATE TABLE core_runs (
        idempotency_key TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        session_key TEXT NOT NULL,
        status TEXT NOT NULL,
        result TEXT NOT NULL,
        finished_at INTEGER NOT NULL
      );
      CREATE INDEX core_runs_finished ON core_runs (finished_at);
      CREATE INDEX core_runs_run ON core_runs (run_id);
      CREATE TABLE core_outbox (
        delivery_key TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        target TEXT NOT NULL,
        message TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        receipt TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX core_outbox_due ON core_outbox (state, next_attempt_at);
      CREATE TABLE core_inbound_seen (
        channel TEXT NOT NULL,
        message_id TEXT NOT NULL,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (channel, message_id)
      ) WITHOUT ROWID;
    `,
      postgres: `
      CREATE TABLE core_sessions (
        key TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        message_count INTEGER NOT NULL DEFAULT 0,
        next_seq INTEGER NOT NULL DEFAULT 1,
        origin TEXT,
        last_route TEXT
      );
      CREATE INDEX core_sessions_agent ON core_sessions (agent_id, key);
      CREATE TABLE core_transcript (
        session_key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at BIGINT NOT NULL,
        run_id TEXT,
        role TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (session_key, seq)
      );
      CREATE TABLE core_runs (
        idempotency_key TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        session_key TEXT NOT NULL,
        status TEXT NOT NULL,
        result TEXT NOT NULL,
        finished_at BIGINT NOT NULL
      );
      CREATE INDEX core_runs_finished ON core_runs (finished_at);
      CREATE INDEX core_runs_run ON core_runs (run_id);
      CREATE TABLE core_outbox (
        delivery_key TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        target TEXT NOT NULL,
        message TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        last_error TEXT,
        receipt TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE INDEX core_outbox_due ON core_outbox (state, next_attempt_at);
      CREATE TABLE core_inbound_seen (
        channel TEXT NOT NULL,
        message_id TEXT NOT NULL,
        seen_at BIGINT NOT NULL,
        PRIMARY KEY (channel, message_id)
      );
    `,
    },
  },
  {
    version: 2,
    name: 'transcript size per session',
    // Portable SQL: BIGINT, a correlated subquery for the sizes already stored.
    up: `
      ALTER TABLE core_sessions ADD COLUMN transcript_bytes BIGINT NOT NULL DEFAULT 0;
      UPDATE core_sessions SET transcript_bytes = (
        SELECT COALESCE(SUM(LENGTH(data)), 0) FROM core_transcript WHERE core_transcript.session_key = core_sessions.key
      );
    `,
  },
  {
    version: 3,
    name: 'idempotency keys claimed when a run starts',
    // core_runs held finished runs only (result and finished_at NOT NULL); a run now claims its key
    // when it starts, under a holder and until a lease ends. Rebuilt, since SQLite cannot drop NOT NULL.
    // No index on finished_at any more: every turn writes the row twice (claim, finish), and only the
    // hourly prune scans by it.
    up: `
      CREATE TABLE core_runs_v2 (
        idempotency_key TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        session_key TEXT NOT NULL,
        status TEXT NOT NULL,
        holder TEXT,
        started_at BIGINT NOT NULL,
        lease_until BIGINT,
        finished_at BIGINT,
        result TEXT
      );
      INSERT INTO core_runs_v2 (idempotency_key, run_id, session_key, status, started_at, finished_at, result)
        SELECT idempotency_key, run_id, session_key, status, finished_at, finished_at, result FROM core_runs;
      DROP TABLE core_runs;
      ALTER TABLE core_runs_v2 RENAME TO core_runs;
      CREATE INDEX core_runs_run ON core_runs (run_id);
    `,
  },
  {
    version: 4,
    name: 'channels: durable inbox, outbox leases and per-chat order, pairing',
    // Work rows carry `lease_owner`/`lease_until` (NULL when free): claimed in the database, never
    // in a map, so a lease queue (FOR UPDATE SKIP LOCKED on PostgreSQL) hands them out.
    up: `
      CREATE TABLE core_inbox (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        account_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        session_key TEXT NOT NULL,
        event TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        due_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        lease_owner BIGINT,
        lease_until BIGINT
      );
      CREATE UNIQUE INDEX core_inbox_event ON core_inbox (channel, account_id, event_id);
      CREATE INDEX core_inbox_due ON core_inbox (state, due_at);
      CREATE INDEX core_inbox_session ON core_inbox (session_key, state, id);
      CREATE INDEX core_inbox_updated ON core_inbox (updated_at);
      ALTER TABLE core_outbox ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
      ALTER TABLE core_outbox ADD COLUMN ord TEXT NOT NULL DEFAULT '';
      ALTER TABLE core_outbox ADD COLUMN lease_owner BIGINT;
      ALTER TABLE core_outbox ADD COLUMN lease_until BIGINT;
      CREATE INDEX core_outbox_chat ON core_outbox (channel, account_id, target, state, ord);
      UPDATE core_outbox SET state = 'dead' WHERE state = 'failed';
      UPDATE core_outbox SET ord = CAST(created_at AS TEXT) WHERE ord = '';
      CREATE TABLE core_pairing (
        channel TEXT NOT NULL,
        account_id TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        sender_name TEXT,
        code TEXT,
        state TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT,
        approved_at BIGINT,
        PRIMARY KEY (channel, account_id, sender_id)
      );
      CREATE INDEX core_pairing_code ON core_pairing (channel, code);
    `,
  },
  {
    version: 5,
    name: 'outbox: when the current send began (a send cut off by a crash is in doubt)',
    // Set just before a channel's send() (for channels whose sends are not idempotent), cleared when
    // the row settles or is put back: a row claimed with it set was being sent when its holder died.
    up: `
      ALTER TABLE core_outbox ADD COLUMN sending_since BIGINT;
    `,
  },
  {
    version: 6,
    name: 'sessions: when the transcript started and the last user interaction (the reset policy), the last keyed reset',
    // `started_at`: set by a reset (NULL: the session's `created_at`); `interacted_at`: the last channel
    // message while a reset policy looks at it (NULL: none recorded); `reset_key`: the inbox row whose
    // trigger or policy reset the session last, so a redo of that row does not reset it again.
    up: `
      ALTER TABLE core_sessions ADD COLUMN started_at BIGINT;
      ALTER TABLE core_sessions ADD COLUMN interacted_at BIGINT;
      ALTER TABLE core_sessions ADD COLUMN reset_key TEXT;
    `,
  },
  {
    version: 7,
    name: 'inbox: inbound batching (the leading row a batched row was run with)',
    // `batch_of`: on a row absorbed into a batch (state `batched`), the leading row's id; on the leading
    // row itself, its own id once its members are recorded (a redo re-reads exactly those members).
    up: `
      ALTER TABLE core_inbox ADD COLUMN batch_of TEXT;
      CREATE INDEX core_inbox_batch ON core_inbox (batch_of) WHERE batch_of IS NOT NULL;
    `,
  },
]
