import type { Migration, OwnerStore } from '@openclaw/plugin-sdk'

const TABLE = 'http_hooks_wake_events'

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'wake events waiting for the next heartbeat',
    up: {
      sqlite: `CREATE TABLE ${TABLE} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        agent_id TEXT NOT NULL,
        session_key TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at INTEGER NOT NULL
      )`,
      postgres: `CREATE TABLE ${TABLE} (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agent_id TEXT NOT NULL,
        session_key TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
    },
  },
]

export interface WakeEvent {
  readonly id: number
  readonly agentId: string
  readonly sessionKey: string
  readonly text: string
  readonly createdAt: number
}

/**
 * `/wake` calls with `mode: next-heartbeat`, kept until a heartbeat takes them. There is no heartbeat
 * in the gateway yet: they are only recorded (and readable with {@link WakeEventStore.pending}).
 */
export class WakeEventStore {
  constructor(private readonly store: OwnerStore) {}

  migrate(): Promise<void> {
    return this.store.migrate(MIGRATIONS)
  }

  /** Record a wake event; beyond `maxPerSession` waiting for its session, the oldest go. Returns how many went. */
  async record(event: Omit<WakeEvent, 'id'>, maxPerSession: number): Promise<number> {
    return this.store.transaction(async (tx) => {
      await tx.run(`INSERT INTO ${TABLE} (agent_id, session_key, text, created_at) VALUES (?, ?, ?, ?)`, [
        event.agentId, event.sessionKey, event.text, event.createdAt,
      ])
      // Bounded: with no heartbeat to take them yet, they would pile up for ever.
      const { changes } = await tx.run(
        `DELETE FROM ${TABLE} WHERE session_key = ? AND id NOT IN (SELECT id FROM ${TABLE} WHERE session_key = ? ORDER BY id DESC LIMIT ?)`,
        [event.sessionKey, event.sessionKey, maxPerSession],
      )
      return changes
    })
  }

  async pending(sessionKey?: string): Promise<WakeEvent[]> {
    const rows = sessionKey === undefined
      ? await this.store.all<Record<string, unknown>>(`SELECT * FROM ${TABLE} ORDER BY id`)
      : await this.store.all<Record<string, unknown>>(`SELECT * FROM ${TABLE} WHERE session_key = ? ORDER BY id`, [sessionKey])
    return rows.map((r) => ({ id: Number(r.id), agentId: String(r.agent_id), sessionKey: String(r.session_key), text: String(r.text), createdAt: Number(r.created_at) }))
  }
}
