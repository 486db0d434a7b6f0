/**
 * Starts a singleton's work on the replica that leads it. The signal aborts when leadership is lost;
 * the returned function (if any) stops the work.
 */
export type SingletonStart = (signal: AbortSignal) => Promise<(() => Promise<void> | void) | void>

export interface ClusterSingleton {
  readonly name: string
  /** Whether this replica runs it now. */
  isLeader(): boolean
  /** Stop running it here (and let another replica take it over). */
  stop(): Promise<void>
}

/** What a plugin sees of the cluster (`api.cluster`). */
export interface Cluster {
  /** 'single' on SQLite (one gateway); 'postgres' when replicas share a PostgreSQL database. */
  readonly mode: 'single' | 'postgres'
  /**
   * Run `start` on exactly one replica at a time, with failover: when that replica dies or stops,
   * another one starts it. Names are cluster-wide (say `channel:telegram:<bot id>`).
   */
  singleton(name: string, start: SingletonStart): ClusterSingleton
}

/** What the gateway holds: the cluster, and a way to stop every singleton running here before plugins stop. */
export interface ClusterHost extends Cluster {
  stopSingletons(): Promise<void>
}
