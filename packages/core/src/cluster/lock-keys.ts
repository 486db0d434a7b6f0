/**
 * Advisory lock namespaces (the first int of PostgreSQL's two-int advisory lock form), so that the
 * locks the cluster takes never collide with each other or with a plugin's own.
 */
export const LockClass = {
  /** Held by each replica for its life, on its cluster connection: `(PRESENCE, replicaKey)`. */
  PRESENCE: 0x4f430001,
  /** Taken in the migration transaction: `(MIGRATIONS, hashtext(schema))`. */
  MIGRATIONS: 0x4f430002,
  /** Taken while a turn is queued for a session: `(SESSION_QUEUE, hashtext(sessionKey))`. */
  SESSION_QUEUE: 0x4f430003,
  /** Held by the replica that runs a singleton: `(SINGLETON, hashtext(name))`. */
  SINGLETON: 0x4f430004,
} as const

/**
 * The replicas alive now: those whose presence lock is held. A replica that dies loses its
 * connection, so its lock, at once; rows it claimed name it by `replica_key` and become free.
 */
export const LIVE_REPLICAS_SQL = `SELECT l.objid::bigint FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid = ${LockClass.PRESENCE}
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`

/** This replica's name as a claim holder (`holder` columns of portable tables such as core_runs). */
export function replicaHolder(replicaKey: number): string {
  return `replica:${replicaKey}`
}

/** The holder names ({@link replicaHolder}) of the replicas alive now. */
export const LIVE_HOLDERS_SQL = `SELECT 'replica:' || l.objid::text FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid = ${LockClass.PRESENCE}
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`
