import type pg from 'pg'
import type { ClusterHost, ClusterSingleton, SingletonStart } from './cluster.js'
import { ClusterConnection } from './cluster-connection.js'
import { CLUSTER_MIGRATIONS, CLUSTER_OWNER } from './cluster-migrations.js'
import { PgEventBus } from './pg-event-bus.js'
import { migratePostgres } from './pg-migrate.js'
import { PgRunRegistry } from './pg-run-registry.js'
import { PgSessionQueue } from './pg-session-queue.js'
import { PgSingletons } from './pg-singletons.js'

export interface PgClusterOptions {
  readonly pool: pg.Pool
  /** How the cluster connection reaches the database (the pool's settings). */
  readonly client: pg.ClientConfig
  /** Cluster-wide limit of turns waiting behind a session's running one. */
  readonly maxWaitingPerSession: number
  readonly idempotencyTtlMs: number
  /** The NOTIFY channel; differs per schema so that two clusters in one database stay apart. */
  readonly channel?: string
  readonly singletonRetryMs?: number
  readonly pollMs?: number
  readonly onError?: (what: string, error: unknown) => void
  readonly onConnection?: (state: 'lost' | 'open', error?: unknown) => void
}

/**
 * One replica's membership in a cluster of gateways on one PostgreSQL: its cluster connection
 * (presence lock, LISTEN, singleton locks), the event bus, the cross-replica session queue, the
 * run registry (idempotency claims, wait and abort anywhere) and singletons.
 */
export class PgCluster implements ClusterHost {
  readonly mode = 'postgres' as const
  readonly connection: ClusterConnection
  readonly bus: PgEventBus
  readonly sessions: PgSessionQueue
  readonly runs: PgRunRegistry
  readonly #singletons: PgSingletons
  readonly #pool: pg.Pool

  constructor(options: PgClusterOptions) {
    this.#pool = options.pool
    this.connection = new ClusterConnection({ client: options.client, onState: options.onConnection })
    this.bus = new PgEventBus(options.pool, this.connection, options.channel)
    this.sessions = new PgSessionQueue(options.pool, this.connection, this.bus, { maxWaiting: options.maxWaitingPerSession, pollMs: options.pollMs })
    this.runs = new PgRunRegistry(options.pool, this.connection, this.bus, { idempotencyTtlMs: options.idempotencyTtlMs, pollMs: options.pollMs })
    this.#singletons = new PgSingletons(this.connection, this.bus, {
      retryMs: options.singletonRetryMs,
      onError: (name, error) => options.onError?.(`singleton ${name}`, error),
    })
  }

  get replicaKey(): number {
    return this.connection.replicaKey
  }

  /** Migrate the cluster's tables (once across replicas), connect, and start listening. */
  async start(): Promise<void> {
    await migratePostgres(this.#pool, CLUSTER_OWNER, CLUSTER_MIGRATIONS)
    await this.bus.start()
    this.sessions.start()
    this.runs.start()
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
    this.runs.stop()
    this.sessions.stop()
    this.bus.stop()
    await this.connection.close()
  }
}
