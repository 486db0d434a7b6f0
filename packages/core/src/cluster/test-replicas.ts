// Test support (not exported): N replicas' PgClusters, each with its own pool, on one database.
import pg from 'pg'
import { PgCluster, type PgClusterOptions } from './pg-cluster.js'

export interface TestReplica {
  readonly pool: pg.Pool
  readonly cluster: PgCluster
  /** Stop as if the process died: the cluster connection ends, nothing is released. */
  die(): Promise<void>
  stop(): Promise<void>
}

export async function startReplicas(url: string, count: number, options: Partial<PgClusterOptions> = {}): Promise<TestReplica[]> {
  const replicas: TestReplica[] = []
  for (let i = 0; i < count; i++) {
    const pool = new pg.Pool({ connectionString: url, max: 8 })
    pool.on('error', () => {}) // an idle client ended by the server (the database dropped)
    const cluster = new PgCluster({
      pool, client: { connectionString: url }, maxWaitingPerSession: 8, idempotencyTtlMs: 60_000, pollMs: 200, singletonRetryMs: 200, ...options,
    })
    await cluster.start()
    let stopped = false
    replicas.push({
      pool,
      cluster,
      die: async () => {
        if (stopped) return
        stopped = true
        await cluster.connection.close()
        await pool.end()
      },
      stop: async () => {
        if (stopped) return
        stopped = true
        await cluster.stop()
        await pool.end()
      },
    })
  }
  return replicas
}
