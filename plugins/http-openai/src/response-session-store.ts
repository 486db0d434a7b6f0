import type { Migration, OwnerStore } from '@openclaw/plugin-sdk'

/** Where a response happened: what `previous_response_id` continues. */
export interface ResponseSession {
  readonly responseId: string
  readonly sessionKey: string
  readonly agentId: string
  /** HMAC (per-install key) of the credential that created the response; only the same caller may continue it. */
  readonly subject: string
  /** Epoch milliseconds. */
  readonly createdAt: number
}

interface Row {
  response_id: string
  session_key: string
  agent_id: string
  subject: string
  created_at: number
}

const TABLE = 'http_openai_response_sessions'

/** This plugin's tables. Shipped migrations never change; add new ones at the end. */
export const RESPONSE_SESSION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'response sessions',
    up: {
      sqlite: `CREATE TABLE ${TABLE} (
        response_id TEXT PRIMARY KEY,
        session_key TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX ${TABLE}_created_at ON ${TABLE} (created_at);`,
      postgres: `CREATE TABLE ${TABLE} (
        response_id TEXT PRIMARY KEY,
        session_key TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX ${TABLE}_created_at ON ${TABLE} (created_at);`,
    },
  },
  {
    version: 2,
    // Version 1 stored a plain SHA-256 of the credential; those rows can no longer match (subjects are
    // HMACs now) and must not stay on disk.
    name: 'forget subjects stored as plain credential hashes',
    up: `DELETE FROM ${TABLE}`,
  },
]

/**
 * `resp_…` id → the session it ran in, in the state store: `previous_response_id` keeps working
 * across restarts, until the entry is older than the TTL.
 */
export class ResponseSessionStore {
  constructor(
    private readonly store: OwnerStore,
    private readonly options: { readonly ttlMs: number; readonly now: () => number },
  ) {}

  /** Create or update this plugin's tables. */
  migrate(): Promise<void> {
    return this.store.migrate(RESPONSE_SESSION_MIGRATIONS)
  }

  async save(entry: Omit<ResponseSession, 'createdAt'>): Promise<void> {
    await this.store.run(
      `INSERT INTO ${TABLE} (response_id, session_key, agent_id, subject, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (response_id) DO UPDATE SET session_key = excluded.session_key, agent_id = excluded.agent_id, subject = excluded.subject, created_at = excluded.created_at`,
      [entry.responseId, entry.sessionKey, entry.agentId, entry.subject, this.options.now()],
    )
  }

  /** The entry for `responseId`, unless it is unknown or expired. */
  async get(responseId: string): Promise<ResponseSession | undefined> {
    const row = await this.store.get<Row>(`SELECT * FROM ${TABLE} WHERE response_id = ? AND created_at > ?`, [responseId, this.options.now() - this.options.ttlMs])
    if (!row) return undefined
    return { responseId: row.response_id, sessionKey: row.session_key, agentId: row.agent_id, subject: row.subject, createdAt: row.created_at }
  }

  /** Delete expired entries; returns how many went. One replica calls it (see prune-response-sessions.ts). */
  async prune(): Promise<number> {
    return (await this.store.run(`DELETE FROM ${TABLE} WHERE created_at <= ?`, [this.options.now() - this.options.ttlMs])).changes
  }
}
