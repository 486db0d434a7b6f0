import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../clock/clock.js'
import { SqliteStateStore } from '../store/sqlite-state-store.js'
import { CORE_MIGRATIONS } from './core-migrations.js'
import { SessionStore } from './session-store.js'

let store: SqliteStateStore | undefined
afterEach(async () => {
  await store?.close()
  store = undefined
})

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
