import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { isCodedError } from '../errors/create-error.js'
import { migratePostgres, type PgMigration } from './pg-migrate.js'

const MIGRATIONS: PgMigration[] = [
  { version: 1, name: 'log', up: 'CREATE TABLE t_log (n INTEGER NOT NULL); INSERT INTO t_log VALUES (1);' },
  { version: 2, name: 'second', up: async (client) => void (await client.query('INSERT INTO t_log VALUES (2)')) },
]

describe('migratePostgres', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase('migrate')
  })
  afterAll(() => db.drop())

  it('runs an owner\'s migrations once when six replicas start at the same moment', async () => {
    const pools = Array.from({ length: 6 }, () => new pg.Pool({ connectionString: db.url, max: 1 }))
    try {
      const applied = await Promise.all(pools.map((pool) => migratePostgres(pool, 'plugin:a', MIGRATIONS)))
      expect(applied.filter((versions) => versions.length > 0)).toEqual([[1, 2]])
      const { rows } = await pools[0]!.query<{ n: number }>('SELECT n FROM t_log ORDER BY n')
      expect(rows.map((row) => row.n)).toEqual([1, 2])
      const later = await migratePostgres(pools[1]!, 'plugin:a', [...MIGRATIONS, { version: 3, name: 'third', up: 'INSERT INTO t_log VALUES (3)' }])
      expect(later).toEqual([3])
    } finally {
      await Promise.all(pools.map((pool) => pool.end()))
    }
  })

  it('rolls a failing migration back with a coded error naming it', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 })
    try {
      const error = await migratePostgres(pool, 'plugin:b', [
        { version: 1, name: 'ok', up: 'CREATE TABLE t_b (x INTEGER)' },
        { version: 2, name: 'broken', up: 'INSERT INTO no_such_table VALUES (1)' },
      ]).catch((e: unknown) => e)
      expect(isCodedError(error) && error.code).toBe('CORE_ERR_STORE_MIGRATION')
      expect(String((error as Error).message)).toContain('plugin:b#2 (broken)')
      const { rows } = await pool.query("SELECT to_regclass('t_b') AS t")
      expect(rows[0].t).toBeNull()
    } finally {
      await pool.end()
    }
  })
})
