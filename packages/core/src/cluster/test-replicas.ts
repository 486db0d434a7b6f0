// Test support (not exported): N replicas' PgClusters, each with its own store (pool), on one database.
import { PostgresStateStore } from '../store/postgres-state-store.js'
import { PgCluster, type PgClusterOptions } from './pg-cluster.js'

export interface TestReplica {
  readonly store: PostgresStateStore
  readonly cluster: PgCluster
  /** Stop as if the process died: the cluster connection ends, nothing is released. */
  die(): Promise<void>
  stop(): Promise<void>
}

export async function startReplicas(url: string, count: number, options: Partial<Omit<PgClusterOptions, 'store'>> = {}): Promise<TestReplica[]> {
  const replicas: TestReplica[] = []
  for (let i = 0; i < count; i++) {
    const store = await PostgresStateStore.open({ url, poolSize: 8 })
    const cluster = new PgCluster({ store, maxWaitingPerSession: 8, pollMs: 200, singletonRetryMs: 200, ...options })
    await cluster.start()
    let stopped = false
    replicas.push({
      store,
      cluster,
      die: async () => {
        if (stopped) return
        stopped = true
        await cluster.connection.close()
        await store.close()
      },
      stop: async () => {
        if (stopped) return
        stopped = true
        await cluster.stop()
        await store.close()
      },
    })
  }
  return replicas
}
