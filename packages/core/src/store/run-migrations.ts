import { CORE_ERR_STORE_DIALECT, CORE_ERR_STORE_MIGRATION } from '../errors/codes.js'
import type { Migration, SqlQueries, SqlStore, SqlTransaction } from './state-store.js'

/** Serialises migrations of one owner across processes, inside the migration's transaction. */
export type MigrationLock = (tx: SqlTransaction, owner: string) => Promise<void>

/** The highest migration version applied for `owner` (0 when none). */
export async function migrationVersion(db: SqlQueries, owner: string): Promise<number> {
  const row = await db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM _migrations WHERE owner = ?', [owner])
  return Number(row?.v ?? 0)
}

async function apply(tx: SqlTransaction, owner: string, migration: Migration): Promise<void> {
  const { up } = migration
  if (typeof up === 'function') return up(tx, tx.dialect)
  const sql = typeof up === 'string' ? up : up[tx.dialect]
  if (sql === undefined) throw new CORE_ERR_STORE_DIALECT(`Migration ${owner}#${migration.version} (${migration.name})`, tx.dialect)
  await tx.exec(sql)
}

/**
 * Apply `owner`'s migrations that have not run, in version order, each in its own transaction with
 * its bookkeeping row. Each one checks again inside its transaction, so two processes migrating at
 * once apply it once (with `lock` where the database needs one to see the other's work).
 */
export async function runMigrations(store: SqlStore, owner: string, migrations: readonly Migration[], lock?: MigrationLock): Promise<void> {
  const applied = await migrationVersion(store, owner)
  const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > applied)
  for (const migration of pending) {
    try {
      await store.transaction(async (tx) => {
        if (lock) await lock(tx, owner)
        if (await tx.get('SELECT version FROM _migrations WHERE owner = ? AND version = ?', [owner, migration.version])) return
        await apply(tx, owner, migration)
        await tx.run('INSERT INTO _migrations (owner, version, name, applied_at) VALUES (?, ?, ?, ?)', [owner, migration.version, migration.name, Date.now()])
      })
    } catch (err) {
      throw new CORE_ERR_STORE_MIGRATION(owner, migration.version, migration.name, { cause: err })
    }
  }
}
