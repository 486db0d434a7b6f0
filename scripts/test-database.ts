// One PostgreSQL database per test file, on the server scripts/test-postgres.ts provides
// (OPENCLAW_TEST_PG_URL). Import it from a test by relative path; drop() it in afterAll.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export interface TestDatabase {
  /** A connection URL for the new, empty database. */
  readonly url: string
  readonly name: string
  /** Drop the database, ending any connection still open on it. */
  drop(): Promise<void>
}

export function testServerUrl(): string {
  const url = process.env.OPENCLAW_TEST_PG_URL
  if (!url) throw new Error('OPENCLAW_TEST_PG_URL is not set: run the tests through vitest (its globalSetup starts PostgreSQL) or point it at a server')
  return url
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl() })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `oc_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)}_${randomBytes(5).toString('hex')}`
  await admin((client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(testServerUrl())
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    name,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  }
}
