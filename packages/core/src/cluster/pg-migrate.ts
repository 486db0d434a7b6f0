import type pg from 'pg'
import { CORE_ERR_STORE_MIGRATION } from '../errors/codes.js'
import { LockClass } from './lock-keys.js'

export interface PgMigration {
  readonly version: number
  readonly name: string
  readonly up: string | ((client: pg.PoolClient) => Promise<void>)
}

/**
 * Apply an owner's pending migrations on PostgreSQL, once, however many replicas start at the same
 * moment: the whole check-and-apply runs in one transaction that first takes the migration advisory
 * lock of this schema, so a second replica waits, then sees the versions the first one applied.
 * Returns the versions this call applied.
 */
export async function migratePostgres(pool: pg.Pool, owner: string, migrations: readonly PgMigration[]): Promise<number[]> {
  const client = await pool.connect()
  const applied: number[] = []
  let current: PgMigration | undefined
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext(current_schema()))', [LockClass.MIGRATIONS])
    await client.query(`CREATE TABLE IF NOT EXISTS _migrations (
      owner TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (owner, version))`)
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM _migrations WHERE owner = $1', [owner])
    const done = rows[0]?.v ?? 0
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= done) continue
      current = migration
      if (typeof migration.up === 'string') await client.query(migration.up)
      else await migration.up(client)
      await client.query('INSERT INTO _migrations (owner, version, name, applied_at) VALUES ($1, $2, $3, $4)', [
        owner, migration.version, migration.name, Date.now(),
      ])
      applied.push(migration.version)
    }
    await client.query('COMMIT')
    return applied
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    if (current) throw new CORE_ERR_STORE_MIGRATION(owner, current.version, current.name, { cause: error })
    throw error
  } finally {
    client.release()
  }
}
