import { randomInt } from 'node:crypto'
import pg from 'pg'
import { LockClass } from './lock-keys.js'

export type NotificationHandler = (payload: string) => void

export interface ClusterConnectionOptions {
  /** How to reach the database (the pool's settings: URL, search_path). */
  readonly client: pg.ClientConfig
  /** Wait before reconnecting after the connection was lost. */
  readonly reconnectMs?: number
  /** Told when the connection is lost (its session locks with it) and when it is back. */
  readonly onState?: (state: 'lost' | 'open', error?: unknown) => void
}

/**
 * One replica's dedicated connection to PostgreSQL. It holds the replica's presence lock for as long
 * as it lives (so other replicas see at once when this one dies), LISTENs for cross-replica
 * notifications, and holds the session-level locks of singletons. Lost, it reconnects.
 */
export class ClusterConnection {
  /** This replica's key in claim rows; its presence lock is `(PRESENCE, replicaKey)`. */
  readonly replicaKey = randomInt(1, 2 ** 31 - 1)
  readonly #options: ClusterConnectionOptions
  readonly #channels = new Map<string, Set<NotificationHandler>>()
  readonly #lostHandlers = new Set<() => void>()
  #client: pg.Client | undefined
  #opening: Promise<void> | undefined
  #closed = false
  #reconnectTimer: NodeJS.Timeout | undefined

  constructor(options: ClusterConnectionOptions) {
    this.#options = options
  }

  get open(): boolean {
    return this.#client !== undefined
  }

  /** Connect, take the presence lock and LISTEN on every channel subscribed so far. */
  connect(): Promise<void> {
    this.#opening ??= this.#connect().finally(() => {
      this.#opening = undefined
    })
    return this.#opening
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#options.client)
    client.on('error', (error) => this.#lost(client, error))
    client.on('end', () => this.#lost(client))
    client.on('notification', (message) => {
      for (const handler of this.#channels.get(message.channel) ?? []) handler(message.payload ?? '')
    })
    await client.connect()
    try {
      await client.query('SELECT pg_advisory_lock($1::int, $2::int)', [LockClass.PRESENCE, this.replicaKey])
      for (const channel of this.#channels.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`)
    } catch (error) {
      await client.end().catch(() => {})
      throw error
    }
    this.#client = client
    this.#options.onState?.('open')
  }

  #lost(client: pg.Client, error?: unknown): void {
    if (this.#client !== client) return
    this.#client = undefined
    client.end().catch(() => {})
    this.#options.onState?.('lost', error)
    for (const handler of this.#lostHandlers) handler()
    if (this.#closed) return
    const retry = () => {
      this.#reconnectTimer = undefined
      if (this.#closed) return
      this.connect().catch(() => {
        this.#reconnectTimer = setTimeout(retry, this.#options.reconnectMs ?? 1000)
      })
    }
    this.#reconnectTimer = setTimeout(retry, this.#options.reconnectMs ?? 1000)
  }

  /** Called when the connection (and every session lock held on it) is lost. */
  onLost(handler: () => void): () => void {
    this.#lostHandlers.add(handler)
    return () => this.#lostHandlers.delete(handler)
  }

  /** Receive NOTIFYs on `channel`. The returned function unsubscribes. */
  async listen(channel: string, handler: NotificationHandler): Promise<() => void> {
    let handlers = this.#channels.get(channel)
    if (!handlers) {
      handlers = new Set()
      this.#channels.set(channel, handlers)
      if (this.#client) await this.#client.query(`LISTEN ${quoteIdent(channel)}`)
    }
    handlers.add(handler)
    return () => {
      handlers.delete(handler)
    }
  }

  /** Try a session-level advisory lock on this connection; it is held until unlocked or the connection ends. */
  async tryLock(classId: number, name: string): Promise<boolean> {
    const client = this.#client
    if (!client) return false
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS ok', [classId, name])
    return rows[0]?.ok === true
  }

  async unlock(classId: number, name: string): Promise<void> {
    await this.#client?.query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [classId, name])
  }

  async close(): Promise<void> {
    this.#closed = true
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer)
    await this.#opening?.catch(() => {})
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => {})
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}
