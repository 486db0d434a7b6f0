import type { PostgresStateStore } from '../store/postgres-state-store.js'
import type { ClusterHost, ClusterSingleton, SingletonStart } from './cluster.js'
import { ClusterConnection } from './cluster-connection.js'
import { CLUSTER_MIGRATIONS, CLUSTER_OWNER } from './cluster-migrations.js'
import { replicaHolder } from './lock-keys.js'
import { PgEventBus } from './pg-event-bus.js'
import { PgSessionQueue } from './pg-session-queue.js'
import { PgSingletons } from './pg-singletons.js'

export interface PgClusterOptions {
  /** The replicas' shared store (its pool, and its settings for the cluster connection). */
  readonly store: PostgresStateStore
  /** Cluster-wide limit of turns waiting behind a session's running one. */
  readonly maxWaitingPerSession: number
  /** The NOTIFY channel; differs per schema so that two clusters in one database stay apart. */
  readonly channel?: string
  readonly singletonRetryMs?: number
  readonly pollMs?: number
  /** Wait before reconnecting a lost cluster connection (default 1 s). */
  readonly reconnectMs?: number
  readonly onError?: (what: string, error: unknown) => void
  readonly onConnection?: (state: 'lost' | 'open', error?: unknown) => void
}

/**
 * One replica's membership in a cluster of gateways on one PostgreSQL: its cluster connection
 * (presence lock, LISTEN, singleton locks), the event bus, the cross-replica session queue and
 * singletons. {@link postgresCoordination} builds the gateway's coordination services on it.
 */
export class PgCluster implements ClusterHost {
  readonly mode = 'postgres' as const
  readonly store: PostgresStateStore
  readonly connection: ClusterConnection
  readonly bus: PgEventBus
  readonly sessions: PgSessionQueue
  readonly pollMs: number
  readonly #singletons: PgSingletons

  constructor(options: PgClusterOptions) {
    this.store = options.store
    this.pollMs = options.pollMs ?? 1000
    const pool = options.store.pool
    this.connection = new ClusterConnection({
      client: options.store.clientConfig,
      onState: options.onConnection,
      ...(options.reconnectMs !== undefined ? { reconnectMs: options.reconnectMs } : {}),
    })
    this.bus = new PgEventBus(pool, this.connection, options.channel ?? `openclaw_bus_${options.store.schema ?? 'public'}`.slice(0, 63))
    this.sessions = new PgSessionQueue(pool, this.connection, this.bus, { maxWaiting: options.maxWaitingPerSession, pollMs: this.pollMs })
    this.#singletons = new PgSingletons(this.connection, this.bus, {
      retryMs: options.singletonRetryMs,
      onError: (name, error) => options.onError?.(`singleton ${name}`, error),
    })
  }

  get replicaKey(): number {
    return this.connection.replicaKey
  }

  /** This replica's name in `holder` columns (`replica:<key>`); alive while its presence lock is held. */
  get holder(): string {
    return replicaHolder(this.connection.replicaKey)
  }

  /** Migrate the cluster's tables (once across replicas), connect, and start listening. */
  async start(): Promise<void> {
    await this.store.forOwner(CLUSTER_OWNER).migrate(CLUSTER_MIGRATIONS)
    await this.bus.start()
    this.sessions.start()
    this.#singletons.start()
    await this.connection.connect()
  }

  singleton(name: string, start: SingletonStart): ClusterSingleton {
    return this.#singletons.singleton(name, start)
  }

  stopSingletons(): Promise<void> {
    return this.#singletons.stopAll()
  }

  async stop(): Promise<void> {
    await this.#singletons.stopAll()
    this.sessions.stop()
    this.bus.stop()
    await this.connection.close()
  }
}
