import { PostgresStateStore, SqliteStateStore, type StateStore } from '@openclaw/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../scripts/test-database.js'
import type { CronJob } from './cron-job.js'
import { CronStore } from './cron-store.js'

// The multi-row statements the ticker and the settling of runs use (claims, skipped rows, the
// compare-and-set advance, finishes, settles), on both dialects: the same SQL runs on SQLite and PostgreSQL.

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase('cron_store')
})
afterAll(async () => {
  await db?.drop()
})

const T = Date.UTC(2026, 0, 1, 12)

function job(id: string, nextRunAtMs: number): CronJob {
  return {
    id, name: id, agentId: 'main', enabled: true, createdAtMs: T, updatedAtMs: T,
    schedule: { kind: 'every', everyMs: 60_000, anchorMs: T }, sessionTarget: 'main', wakeMode: 'next-heartbeat',
    payload: { kind: 'systemEvent', text: 'x' },
    state: { consecutiveErrors: 0, consecutiveSkipped: 0, nextRunAtMs },
  } as CronJob
}

const dialects: Array<[string, () => Promise<StateStore>]> = [
  ['sqlite', async () => SqliteStateStore.open(':memory:')],
  ['postgres', async () => PostgresStateStore.open({ url: db.url, schema: `cron_store_${Math.random().toString(36).slice(2, 8)}`, poolSize: 2 })],
]

describe.each(dialects)('CronStore batches on %s', (_dialect, open) => {
  it('claims each (job, fire) once, moves only the jobs still at the fire claimed, and settles only running runs', async () => {
    const state = await open()
    try {
      const store = new CronStore(state.forOwner('cron'))
      await store.migrate()
      const ids = Array.from({ length: 1200 }, (_, i) => `job-${String(i).padStart(4, '0')}`)
      for (const id of ids) await store.insertJob(store.store, job(id, T))
      const claim = (id: string, runId: string) => ({ runId, jobId: id, fireKey: String(T), scheduledAtMs: T, manual: false, startedAtMs: T, owner: 'a', leaseUntilMs: T + 60_000 })

      // 1,200 claims (three statements of at most 500 rows); 100 of them were claimed before by another holder.
      await store.store.transaction((tx) => store.claimRuns(tx, ids.slice(0, 100).map((id) => claim(id, `early-${id}`))))
      const claimed = await store.store.transaction((tx) => store.claimRuns(tx, ids.map((id) => claim(id, `run-${id}`))))
      expect(claimed.size).toBe(1100)
      expect(claimed.has('run-job-0000')).toBe(false)
      expect(claimed.has('run-job-0100')).toBe(true)

      // The advance is a compare-and-set on the fire: a job already moved on does not move again.
      await store.saveJob(store.store, job('job-0005', T + 60_000))
      const moved = await store.store.transaction((tx) => store.advanceJobs(tx, ids.map((id) => ({
        id, dueAtMs: T, nextRunAtMs: T + 60_000, runningRunId: `run-${id}`, runningAtMs: T, ...(id === 'job-0999' ? {} : { state: { consecutiveErrors: 0, consecutiveSkipped: 0, lastRunStatus: 'ok' as const } }),
      }))))
      expect(moved.size).toBe(1199)
      expect(moved.has('job-0005')).toBe(false)
      const rows = await store.store.transaction((tx) => store.getJobs(tx, ['job-0100', 'job-0999', 'missing']))
      expect(rows.map((r) => [r.job.id, r.runningRunId, r.job.state.nextRunAtMs, r.job.state.lastRunStatus])).toEqual([
        ['job-0100', 'run-job-0100', T + 60_000, 'ok'],
        ['job-0999', 'run-job-0999', T + 60_000, undefined], // no new state given: the stored one stays
      ])

      // Skipped rows are claims too: a second one under the same key is dropped.
      const skipped = { reason: 'missed' as const, count: 3, firstAtMs: T - 180_000, lastAtMs: T - 60_000 }
      const skip = (runId: string) => ({ runId, jobId: 'job-0200', fireKey: `${T}:skipped`, skipped, atMs: T, nextRunAtMs: T + 60_000 })
      await store.store.transaction((tx) => store.recordSkippedMany(tx, [skip('s1')]))
      await store.store.transaction((tx) => store.recordSkippedMany(tx, [skip('s2')]))
      expect((await store.listRuns({ jobId: 'job-0200', statuses: ['skipped'], limit: 10, offset: 0, sortDir: 'asc' })).runs).toEqual([
        expect.objectContaining({ runId: 's1', status: 'skipped', errorReason: 'missed', skippedCount: 3, scheduledAtMs: T - 180_000 }),
      ])

      // Finishing: only rows still running; durations from their start.
      const starts = await store.store.transaction((tx) => store.runningStarts(tx, ['run-job-0100', 'run-job-0101', 'run-job-0000', 'nope']))
      expect([...starts.entries()].sort()).toEqual([['run-job-0100', T], ['run-job-0101', T]])
      await store.store.transaction((tx) => store.finishRuns(tx, [
        { runId: 'run-job-0100', status: 'ok', endedAtMs: T + 250, summary: 'done', delivered: true, deliveryStatus: 'delivered', nextRunAtMs: T + 60_000 },
        { runId: 'run-job-0101', status: 'error', endedAtMs: T + 400, error: 'boom', errorReason: 'error' },
      ]))
      await store.store.transaction((tx) => store.finishRuns(tx, [{ runId: 'run-job-0100', status: 'error', endedAtMs: T + 999 }]))
      expect(await store.getRun('run-job-0100')).toMatchObject({ status: 'ok', durationMs: 250, summary: 'done', delivered: true, deliveryStatus: 'delivered', nextRunAtMs: T + 60_000 })
      expect(await store.getRun('run-job-0101')).toMatchObject({ status: 'error', durationMs: 400, error: 'boom', errorReason: 'error' })

      // Settling clears the running mark of the run that settles, never another run's.
      await store.store.transaction((tx) => store.settleJobs(tx, [
        { id: 'job-0100', runId: 'run-job-0100', nextRunAtMs: T + 120_000, state: { consecutiveErrors: 0, consecutiveSkipped: 0, lastRunStatus: 'ok' }, enabled: true },
        { id: 'job-0101', runId: 'someone-else', nextRunAtMs: T + 120_000, state: { consecutiveErrors: 1, consecutiveSkipped: 0 }, enabled: true },
      ]))
      const [settled, other] = await store.store.transaction((tx) => store.getJobs(tx, ['job-0100', 'job-0101']))
      expect(settled).toMatchObject({ runningRunId: undefined, job: { state: { nextRunAtMs: T + 120_000 } } })
      expect(other).toMatchObject({ runningRunId: 'run-job-0101', job: { state: { nextRunAtMs: T + 60_000 } } })
      expect(await store.countRunning()).toBe(1198)

      await store.store.transaction((tx) => store.deleteJobs(tx, ids.slice(0, 600)))
      expect((await store.countJobs()).total).toBe(600)
    } finally {
      await state.close()
    }
  }, 60_000)

  it('hands each pending alert to one claimer at a time, and a released or expired claim to the next', async () => {
    const state = await open()
    try {
      const store = new CronStore(state.forOwner('cron'))
      await store.migrate()
      const alert = (id: string, createdAtMs: number) => ({ id, jobId: 'j', kind: 'failure' as const, route: { mode: 'announce' as const, channel: 'memory', to: 'c' }, text: 't', facts: { n: 1 }, createdAtMs })
      await store.store.transaction((tx) => store.insertAlerts(tx, [alert('a1', T), alert('a2', T + 1)]))
      // Two claimers at once (two replicas): each alert goes to exactly one of them.
      const [x, y] = await Promise.all([store.claimAlerts(T, T + 60_000, ['a1', 'a2']), store.claimAlerts(T, T + 60_000)])
      expect([...x, ...y].map((a) => a.id).sort()).toEqual(['a1', 'a2'])
      expect(x[0]).toMatchObject({ route: { channel: 'memory', to: 'c' }, facts: { n: 1 }, attempts: 1 })
      expect(await store.claimAlerts(T + 1000, T + 61_000)).toEqual([])
      // A sent alert is done; a released one (pending again) and an expired claim are claimed again.
      await store.finishAlert('a1', 'sent', T + 10)
      await store.finishAlert('a2', 'pending', T + 10, 'webhook answered 503')
      expect((await store.claimAlerts(T + 2000, T + 62_000)).map((a) => [a.id, a.attempts])).toEqual([['a2', 2]])
      expect((await store.claimAlerts(T + 62_001, T + 122_000)).map((a) => a.id)).toEqual(['a2'])
      expect((await store.listAlerts('j')).map((a) => [a.id, a.status, a.sentAtMs])).toEqual([['a1', 'sent', T + 10], ['a2', 'pending', undefined]])
      expect(await store.pruneAlerts(T + 10_000, 5000)).toBe(1)
    } finally {
      await state.close()
    }
  })
})
