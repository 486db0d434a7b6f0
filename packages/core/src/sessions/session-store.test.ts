import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { systemClock } from '../clock/clock.js'
import { PostgresStateStore } from '../store/postgres-state-store.js'
import { SqliteStateStore } from '../store/sqlite-state-store.js'
import type { SqlStore } from '../store/state-store.js'
import { CORE_MIGRATIONS } from './core-migrations.js'
import { SessionStore } from './session-store.js'

let store: SqliteStateStore | PostgresStateStore | undefined
afterEach(async () => {
  await store?.close()
  store = undefined
})

// PostgreSQL: one database for this file (created when first needed), a schema per test.
let db: TestDatabase | undefined
let schemas = 0
afterAll(() => db?.drop())

/** The core's tables, migrated, on a fresh store of the dialect. */
async function openCore(dialect: 'sqlite' | 'postgres'): Promise<SqlStore> {
  if (dialect === 'sqlite') store = SqliteStateStore.open(':memory:')
  else {
    db ??= await createTestDatabase('sessions')
    store = await PostgresStateStore.open({ url: db.url, schema: `sessions_${++schemas}`, poolSize: 2 })
  }
  const core = store.forOwner('core')
  await core.migrate(CORE_MIGRATIONS)
  return core
}

describe('SessionStore.dropRun', () => {
  it('removes what one run wrote and keeps the session’s counts right', async () => {
    store = SqliteStateStore.open(':memory:')
    const core = store.forOwner('core')
    await core.migrate(CORE_MIGRATIONS)
    const sessions = new SessionStore(core, systemClock)
    const key = 'agent:main:s'
    await sessions.append(key, [{ role: 'user', runId: 'run_1', text: 'first' }, { role: 'assistant', runId: 'run_1', text: 'answer ü' }], { agentId: 'main' })
    const bytesBefore = await sessions.transcriptBytes(key)
    await sessions.append(key, [{ role: 'user', runId: 'run_2', text: 'cut off' }])
    expect(await sessions.dropRun(key, 'run_2')).toBe(1)
    expect((await sessions.transcript(key)).map((e) => e.text)).toEqual(['first', 'answer ü'])
    expect(await sessions.transcriptBytes(key)).toBe(bytesBefore)
    expect((await sessions.get(key))?.messageCount).toBe(2)
    expect(await sessions.dropRun(key, 'run_9')).toBe(0)
  })
})

describe.each(['sqlite', 'postgres'] as const)('SessionStore.resetOnce (%s)', (dialect) => {
  it('resets once per key: a redo keeps what was written after the reset', async () => {
    const core = await openCore(dialect)
    let now = 1_000
    const sessions = new SessionStore(core, { ...systemClock, now: () => now })
    const key = 'agent:main:s'
    await sessions.append(key, [{ role: 'user', runId: 'run_1', text: 'old' }], { agentId: 'main' })
    expect((await sessions.get(key))?.startedAt).toBe(1_000)
    now = 2_000
    expect(await sessions.resetOnce(key, 'main', 'inbox:1')).toBe(true)
    await sessions.append(key, [{ role: 'user', runId: 'run_2', text: 'after the reset' }])
    now = 3_000
    // The same row again (a redo after a crash): the session stays as it is.
    expect(await sessions.resetOnce(key, 'main', 'inbox:1')).toBe(false)
    expect((await sessions.transcript(key)).map((e) => e.text)).toEqual(['after the reset'])
    expect(await sessions.get(key)).toMatchObject({ startedAt: 2_000, messageCount: 1 })
    // Another row resets it again.
    expect(await sessions.resetOnce(key, 'main', 'inbox:2')).toBe(true)
    expect(await sessions.transcript(key)).toEqual([])
    expect(await sessions.get(key)).toMatchObject({ startedAt: 3_000, messageCount: 0, createdAt: 1_000 })
  })

  it('creates a missing session empty under the key, so a redo does not wipe the turn that created its transcript', async () => {
    const core = await openCore(dialect)
    const sessions = new SessionStore(core, systemClock)
    const key = 'agent:main:fresh'
    expect(await sessions.resetOnce(key, 'main', 'inbox:7', { channel: 'telegram' })).toBe(true)
    await sessions.append(key, [{ role: 'user', runId: 'run_1', text: 'first turn' }], { agentId: 'main' })
    expect(await sessions.resetOnce(key, 'main', 'inbox:7')).toBe(false)
    expect((await sessions.transcript(key)).map((e) => e.text)).toEqual(['first turn'])
    expect(await sessions.get(key)).toMatchObject({ agentId: 'main', messageCount: 1, origin: { channel: 'telegram' } })
  })

  it('records interactions, and a plain reset restarts the session too', async () => {
    const core = await openCore(dialect)
    let now = 5_000
    const sessions = new SessionStore(core, { ...systemClock, now: () => now })
    const key = 'agent:main:t'
    await sessions.touch(key) // no session yet: nothing
    await sessions.append(key, [{ role: 'user', text: 'hi' }], { agentId: 'main' })
    expect((await sessions.get(key))?.lastInteractionAt).toBeUndefined()
    now = 6_000
    await sessions.touch(key)
    now = 7_000
    await sessions.reset(key)
    expect(await sessions.get(key)).toMatchObject({ lastInteractionAt: 6_000, startedAt: 7_000, createdAt: 5_000 })
  })
})
