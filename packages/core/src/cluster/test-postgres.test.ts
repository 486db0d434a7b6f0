import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'

describe('the test PostgreSQL', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase('smoke')
  })
  afterAll(() => db.drop())

  it('gives each test file a database of its own on a real PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      const { rows } = await client.query<{ db: string; version: string }>('SELECT current_database() AS db, current_setting(\'server_version_num\') AS version')
      expect(rows[0]?.db).toBe(db.name)
      expect(Number(rows[0]?.version)).toBeGreaterThanOrEqual(140000)
    } finally {
      await client.end()
    }
  })
})
