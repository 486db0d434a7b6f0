import type { Migration, OwnerStore } from '@openclaw/plugin-sdk'

const TABLE = 'http_hooks_wake_events'

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'wake events waiting for the next heartbeat',
    up: `CREATE TABLE ${TABLE} (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      agent_id TEXT NOT NULL,
      session_key TEXT NOT NULL,
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`,
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

  migrate(): void {
    this.store.migrate(MIGRATIONS)
  }

  /** Record a wake event; beyond `maxPerSession` waiting for its session, the oldest go. Returns how many went. */
  record(event: Omit<WakeEvent, 'id'>, maxPerSession: number): number {
    this.store.run(`INSERT INTO ${TABLE} (agent_id, session_key, text, created_at) VALUES (?, ?, ?, ?)`, [
      event.agentId, event.sessionKey, event.text, event.createdAt,
    ])
    // Bounded: with no heartbeat to take them yet, they would pile up for ever.
    return this.store.run(
      `DELETE FROM ${TABLE} WHERE session_key = ? AND id NOT IN (SELECT id FROM ${TABLE} WHERE session_key = ? ORDER BY id DESC LIMIT ?)`,
      [event.sessionKey, event.sessionKey, maxPerSession],
    ).changes
  }

  pending(sessionKey?: string): WakeEvent[] {
    const rows = sessionKey === undefined
      ? this.store.all<Record<string, unknown>>(`SELECT * FROM ${TABLE} ORDER BY id`)
      : this.store.all<Record<string, unknown>>(`SELECT * FROM ${TABLE} WHERE session_key = ? ORDER BY id`, [sessionKey])
    return rows.map((r) => ({ id: Number(r.id), agentId: String(r.agent_id), sessionKey: String(r.session_key), text: String(r.text), createdAt: Number(r.created_at) }))
  }
}
