import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { isCodedError } from '../errors/create-error.js'
import { createGateway, parseConfig, type Gateway } from '../gateway.js'
import { createLogger } from '../logging/logger.js'
import { resolveStorage } from '../store/resolve-storage.js'
import { LockClass } from './lock-keys.js'

let db: TestDatabase
let dir: string
beforeAll(async () => {
  db = await createTestDatabase('gateway')
  dir = mkdtempSync(join(tmpdir(), 'openclaw-pg-gateway-'))
})
afterAll(async () => {
  await db.drop()
  rmSync(dir, { recursive: true, force: true })
})

describe('resolveStorage', () => {
  it('takes storage.driver, else postgres when OPENCLAW_DATABASE_URL is set, else sqlite', () => {
    const url = 'postgres://u:p@127.0.0.1:5432/db'
    expect(resolveStorage(parseConfig({}), {})).toEqual({ driver: 'sqlite' })
    expect(resolveStorage(parseConfig({}), { OPENCLAW_DATABASE_URL: url })).toEqual({ driver: 'postgres', options: { url } })
    expect(resolveStorage(parseConfig({ storage: { driver: 'sqlite' } }), { OPENCLAW_DATABASE_URL: url })).toEqual({ driver: 'sqlite' })
    expect(resolveStorage(parseConfig({ storage: { driver: 'postgres', postgres: { url, poolSize: 4, schema: 'gw' } } }), {}))
      .toEqual({ driver: 'postgres', options: { url, poolSize: 4, schema: 'gw' } })
  })

  it('refuses postgres without a URL, and a URL that is not postgres://, without echoing it', () => {
    const missing = (() => resolveStorage(parseConfig({ storage: { driver: 'postgres' } }), {})) as () => never
    expect(missing).toThrow(/storage\.postgres\.url: required/)
    try {
      resolveStorage(parseConfig({ storage: { postgres: { url: 'mysql://root:hunter2@db/x' }, driver: 'postgres' } }), {})
      expect.unreachable()
    } catch (error) {
      expect(isCodedError(error, 'CORE_ERR_CONFIG_INVALID')).toBe(true)
      expect((error as Error).message).not.toContain('hunter2')
    }
    expect(() => parseConfig({ storage: { postgres: { schema: 'bad name' } } })).toThrow(/storage\.postgres\.schema/)
  })
})

describe('createGateway on PostgreSQL', () => {
  it('lets two gateways share one state dir and one database (no state-dir lock), in api.cluster postgres mode, and logs no password', async () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } })
    const gateways: Gateway[] = []
    const modes: string[] = []
    const plugin = { id: 'probe', version: '1.0.0', apiVersion: '^2.0.0', register: (api: { cluster: { mode: string } }) => void modes.push(api.cluster.mode) }
    try {
      for (let i = 0; i < 2; i++) {
        const gateway = await createGateway({ stateDir: dir, logger, env: { OPENCLAW_DATABASE_URL: db.url }, plugins: [plugin as never], config: {} })
        gateways.push(gateway)
        await gateway.start()
      }
      expect(gateways.map((g) => g.store.dialect)).toEqual(['postgres', 'postgres'])
      expect(modes).toEqual(['postgres', 'postgres'])
      // What one gateway writes, the other reads.
      const run = await gateways[0]!.agent.run({ message: 'hi', sessionKey: 'agent:main:shared' })
      expect(run.status).toBe('error') // no model provider: the run fails, after storing the message
      expect((await gateways[1]!.sessions.history('agent:main:shared')).items.map((entry) => entry.role)).toContain('user')
    } finally {
      for (const gateway of gateways) await gateway.stop()
    }
    const password = new URL(db.url).password
    expect(password).not.toBe('')
    expect(lines.join('')).toContain('cluster connection to PostgreSQL open')
    expect(lines.join('')).toContain(':***@')
    expect(lines.join('')).not.toContain(`:${password}@`)
  })

  it('aborts its runs when it loses its cluster connection (the others count it as dead then)', async () => {
    let called = false
    const hanging = {
      id: 'hang', models: ['m'],
      // Waits until the run is aborted, as a slow model would.
      stream: (request: { signal: AbortSignal }) => ({
        [Symbol.asyncIterator]: () => ({
          next: () => {
            called = true
            return new Promise<IteratorResult<never>>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }))
          },
        }),
      }),
    }
    const plugin = { id: 'hang', version: '1.0.0', apiVersion: '^2.0.0', register: (api: { providers: { register(p: unknown): void } }) => api.providers.register(hanging) }
    const gateway = await createGateway({ stateDir: dir, logger: createLogger({ level: 'silent' }), env: { OPENCLAW_DATABASE_URL: db.url }, plugins: [plugin as never], config: { agents: { defaults: { model: 'hang/m' } } } })
    try {
      await gateway.start()
      const run = gateway.agent.run({ message: 'hi', sessionKey: 'agent:main:fenced', idempotencyKey: 'fenced' })
      const admin = new pg.Client({ connectionString: db.url })
      await admin.connect()
      try {
        // The run is going on once its model is called (its key claimed, the run tracked: a claim alone
        // is not yet a run to abort); then the presence lock's connection is cut.
        await expect.poll(() => called).toBe(true)
        expect((await admin.query("SELECT 1 FROM core_runs WHERE idempotency_key = 'fenced' AND status = 'running'")).rowCount).toBe(1)
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = ${LockClass.PRESENCE} AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
      } finally {
        await admin.end()
      }
      expect(await run).toMatchObject({ status: 'aborted' })
    } finally {
      await gateway.stop()
    }
  })
})
