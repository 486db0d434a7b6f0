import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { PostgresStateStore } from './postgres-state-store.js'
import { describeStateStoreContract } from './state-store-contract.js'

let db: TestDatabase
let schemas = 0
beforeAll(async () => {
  db = await createTestDatabase('store')
})
afterAll(() => db.drop())

// Each contract test gets a fresh, empty store: a schema of its own in this file's database.
describeStateStoreContract('PostgresStateStore', () => PostgresStateStore.open({ url: db.url, schema: `contract_${++schemas}`, poolSize: 4 }))

describe('PostgresStateStore', () => {
  it('runs an owner\'s migrations once when five replicas open the store at the same moment', async () => {
    const stores = await Promise.all(Array.from({ length: 5 }, () => PostgresStateStore.open({ url: db.url, schema: 'replicas', poolSize: 2 })))
    try {
      await Promise.all(stores.map((store) => store.forOwner('tool:memory').migrate([
        { version: 1, name: 'notes', up: 'CREATE TABLE m_notes (id BIGINT PRIMARY KEY); CREATE TABLE m_log (n BIGINT)' },
        { version: 2, name: 'log', up: 'INSERT INTO m_log VALUES (2)' },
      ])))
      expect(await stores[0]!.all('SELECT n FROM m_log')).toEqual([{ n: 2 }])
      expect(await stores[3]!.forOwner('tool:memory').version()).toBe(2)
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })

  it('creates an extension once when five replicas load it at the same moment, and says which extension failed', async () => {
    // cube ships with PostgreSQL's contrib (the embedded server has it); unlocked IF NOT EXISTS races here.
    const stores = await Promise.all(Array.from({ length: 5 }, () => PostgresStateStore.open({ url: db.url, schema: 'extensions', poolSize: 2 })))
    try {
      expect(await Promise.all(stores.map((store) => store.forOwner('tool:memory').loadExtension({ postgres: 'cube' })))).toEqual([true, true, true, true, true])
      expect(await stores[0]!.all("SELECT extname FROM pg_extension WHERE extname = 'cube'")).toEqual([{ extname: 'cube' }])
      const err = await stores[1]!.forOwner('tool:memory').loadExtension({ postgres: 'no_such_extension' }).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'CORE_ERR_STORE_EXTENSION' })
      expect((err as Error).message).toContain('no_such_extension')
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })

  it('keeps the password out of its location and its open error', async () => {
    const url = new URL(db.url)
    url.password = 'secret-pw'
    url.port = '1'
    const error = (await PostgresStateStore.open({ url: url.toString() }).catch((e: unknown) => e)) as Error
    expect(error).toMatchObject({ code: 'CORE_ERR_STORE_OPEN' })
    expect(error.message).not.toContain('secret-pw')
  })
})
