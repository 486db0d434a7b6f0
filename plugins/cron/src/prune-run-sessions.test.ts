import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import { describe, expect, it } from 'vitest'
import { callMethod, settle } from '../test/call-method.js'
import { cronTestBed, type Storage } from '../test/cron-test-bed.js'
import cron from './index.js'
import { sessionRetentionMs } from './prune-run-sessions.js'

// cron.sessionRetention: the ticker deletes isolated run sessions older than the retention, on
// SQLite and on PostgreSQL (sessions are in the store), with the fake clock.

const MIN = 60_000

const bed = cronTestBed('cron_sessions')
let schemas = 0

async function start(storage: Storage, sessionRetention: unknown): Promise<TestGateway> {
  const gateway = await bed.startGateway(storage, { schema: `sessions_${++schemas}`, cron: { sessionRetention } })
  // (The fake clock starts at the real time: the provider's deadlines are checked against it too.)
  await settle()
  return gateway
}

/** Move the fake clock in steps of a minute, letting each tick's store work finish. */
async function advance(gw: TestGateway, ms: number): Promise<void> {
  for (let done = 0; done < ms; done += MIN) {
    gw.clock!.advance(Math.min(MIN, ms - done))
    await settle()
  }
}

/** Add a job that never fires by itself, run it once, and wait for the run to finish. */
async function addAndRun(gw: TestGateway, extra: Record<string, unknown> = {}): Promise<string> {
  const job = await callMethod(gw, 'cron.add', { name: 'j', schedule: { kind: 'every', everyMs: 7 * 86_400_000 }, payload: { kind: 'agentTurn', message: 'hi' }, ...extra })
  const { runId } = await callMethod(gw, 'cron.run', { id: job.id })
  await expect.poll(async () => (await callMethod(gw, 'cron.runs', { id: job.id, runId })).entries[0]?.status, { timeout: 15_000 }).not.toBe('running')
  const run = (await callMethod(gw, 'cron.runs', { id: job.id, runId })).entries[0]
  expect(run, JSON.stringify(run)).toMatchObject({ status: 'ok' })
  return job.id
}

async function sessionKeys(gw: TestGateway): Promise<string[]> {
  return (await gw.sessions.list({ limit: 100 })).items.map((s) => s.key).sort()
}

describe.each<Storage>(['sqlite', 'postgres'])('cron.sessionRetention on %s', (storage) => {
  it('should delete isolated run sessions older than the retention, and keep recent ones and every other session', async () => {
    const gw = await start(storage, '2h')
    // 1. Now: two isolated run sessions (one of a job that is then removed), a session a job
    //    names (session:cron:standup), and a session outside cron.
    const removed = await addAndRun(gw)
    const idle = await addAndRun(gw)
    await addAndRun(gw, { sessionTarget: 'session:cron:standup' })
    await callMethod(gw, 'cron.remove', { id: removed })
    await gw.agent.run({ sessionKey: 'agent:main:chat', message: 'hello' })
    // 2. 1.5 hours later (the hourly pruning ran meanwhile; nothing was old enough), a fresh run of another isolated job.
    await advance(gw, 90 * MIN)
    const fresh = await addAndRun(gw)
    const before = await sessionKeys(gw)
    expect(before).toEqual([`agent:main:cron:${removed}`, `agent:main:cron:${idle}`, `agent:main:cron:${fresh}`, 'agent:main:chat', 'agent:main:cron:standup'].sort())
    // 3. The hourly pruning passes 2 h after the first sessions were last used: they go, the rest stay.
    //    It is due at about 3 h; on a loaded machine the ticker's store work may trail the fake clock by
    //    some minutes, so the clock moves on a minute at a time until the pruning has passed, but stops
    //    before 3 h 25 min (the fresh session, used at 1 h 30 min, would be old enough at 3 h 30 min).
    await advance(gw, 90 * MIN)
    const expected = [`agent:main:cron:${fresh}`, 'agent:main:chat', 'agent:main:cron:standup'].sort()
    for (let extra = 0; extra < 25 && JSON.stringify(await sessionKeys(gw)) !== JSON.stringify(expected); extra++) {
      await advance(gw, MIN)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(await sessionKeys(gw)).toEqual(expected)
    // The job whose session went runs as before (a new session).
    const { runId } = await callMethod(gw, 'cron.run', { id: idle })
    await expect.poll(async () => (await callMethod(gw, 'cron.runs', { id: idle, runId })).entries[0]?.status, { timeout: 15_000 }).toBe('ok')
    expect(await sessionKeys(gw)).toContain(`agent:main:cron:${idle}`)
  }, 60_000)

  it('should keep every session with sessionRetention false', async () => {
    const gw = await start(storage, false)
    const id = await addAndRun(gw)
    await advance(gw, 26 * 60 * MIN)
    expect(await sessionKeys(gw)).toEqual([`agent:main:cron:${id}`])
  }, 120_000)
})

describe('sessionRetention values', () => {
  it('should read durations, with false and zero durations turning pruning off', () => {
    expect(sessionRetentionMs('24h')).toBe(86_400_000)
    expect(sessionRetentionMs('90m')).toBe(5_400_000)
    expect(sessionRetentionMs('0h')).toBeUndefined()
    expect(sessionRetentionMs(false)).toBeUndefined()
  })

  it('should refuse a negative or malformed retention at start-up, naming the key', async () => {
    for (const bad of ['-1h', 'soon']) {
      await expect(createTestGateway({ plugins: [cron()], config: { cron: { sessionRetention: bad } } })).rejects.toThrow(/cron\.sessionRetention/)
    }
  })
})
