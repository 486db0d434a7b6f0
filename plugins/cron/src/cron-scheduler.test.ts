import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { callMethod, settle } from '../test/call-method.js'
import cron from './index.js'
import { staggerOffset } from './schedule.js'

const MIN = 60_000
const START = Date.UTC(2026, 0, 1, 12)

let gateway: TestGateway | undefined
afterEach(async () => {
  await gateway?.stop()
  gateway = undefined
})

async function start(config: Record<string, unknown> = {}): Promise<TestGateway> {
  gateway = await createTestGateway({ plugins: [cron()], config: { cron: { catchUpDelayMs: 10_000, ...config } } })
  gateway.clock!.set(START)
  await settle()
  return gateway
}

/**
 * Move the fake clock in steps, letting each tick's store work finish. (A fake clock only fires a
 * timer when it is moved again, so a test moves it a few steps past the moment it cares about.)
 */
async function advance(gw: TestGateway, ms: number, step = 1000): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    gw.clock!.advance(Math.min(step, ms - done))
    await settle()
  }
}

/** A job that only queues a system event (no model call): its runs succeed at once. */
const queueJob = (schedule: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: 'q', schedule, payload: { kind: 'systemEvent', text: 'tick' }, wakeMode: 'next-heartbeat', ...extra })

async function runs(gw: TestGateway, id: string): Promise<{ status: string; scheduledAtMs?: number; errorReason?: string; skippedCount?: number; manual?: boolean }[]> {
  return (await callMethod(gw, 'cron.runs', { id, limit: 200, sortDir: 'asc' })).entries
}

describe('the ticker on a fake clock', () => {
  it('should fire an every job once per interval, each fire under its own scheduled time', async () => {
    const gw = await start()
    const job = await callMethod(gw, 'cron.add', queueJob({ kind: 'every', everyMs: MIN, anchorMs: START }))
    await advance(gw, 5 * MIN + 500)
    await expect.poll(async () => (await runs(gw, job.id)).map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok'])
    const rows = await runs(gw, job.id)
    expect(rows.map((r) => r.scheduledAtMs! - START)).toEqual([1, 2, 3, 4, 5].map((n) => n * MIN))
  })

  it('should coalesce fires missed across a forward clock jump into one catch-up run, and record the rest as skipped', async () => {
    const gw = await start()
    const job = await callMethod(gw, 'cron.add', queueJob({ kind: 'every', everyMs: 10 * MIN, anchorMs: START }))
    await advance(gw, 10 * MIN + 500)
    gw.clock!.set(START + 65 * MIN) // the wall clock jumps 55 minutes ahead
    await advance(gw, 2 * MIN)
    await expect.poll(async () => (await runs(gw, job.id)).map((r) => [r.status, r.errorReason, r.skippedCount])).toEqual([
      ['ok', undefined, undefined],
      ['skipped', 'missed', 4], // 20, 30, 40 and 50 minutes
      ['ok', undefined, undefined], // the catch-up, for the fire at 60
    ])
    const rows = await runs(gw, job.id)
    expect(rows[2]!.scheduledAtMs).toBe(START + 65 * MIN + 10_000)
    expect((await callMethod(gw, 'cron.get', { id: job.id })).state.nextRunAtMs).toBe(START + 70 * MIN)
  })

  it('should neither repeat nor drop a fire when the wall clock jumps back', async () => {
    const gw = await start()
    const job = await callMethod(gw, 'cron.add', queueJob({ kind: 'every', everyMs: MIN, anchorMs: START }))
    await advance(gw, 3 * MIN + 500)
    gw.clock!.set(START + MIN + 30_000) // back 2 minutes
    await advance(gw, 5 * MIN)
    await expect.poll(async () => (await runs(gw, job.id)).filter((r) => r.status === 'ok').length).toBe(6)
    const rows = await runs(gw, job.id)
    const scheduled = rows.map((r) => (r.scheduledAtMs! - START) / MIN)
    expect(new Set(scheduled).size).toBe(scheduled.length)
    expect(scheduled).toEqual([1, 2, 3, 4, 5, 6]) // 4 waits until the clock passes it again
    expect(rows.every((r) => r.status === 'ok')).toBe(true)
  })

  it('should claim a due fire once through cron.run due, on a gateway whose ticker does not run', async () => {
    const gw = await start({ enabled: false })
    const job = await callMethod(gw, 'cron.add', queueJob({ kind: 'every', everyMs: MIN, anchorMs: START }))
    expect(await callMethod(gw, 'cron.run', { id: job.id, mode: 'due' })).toEqual({ ok: true, enqueued: false, reason: 'not-due' })
    await advance(gw, MIN + 500)
    expect(await callMethod(gw, 'cron.run', { id: job.id, mode: 'due' })).toMatchObject({ ok: true, enqueued: true, runId: expect.any(String) })
    // The fire is claimed: asking again does not run it a second time.
    expect(await callMethod(gw, 'cron.run', { id: job.id, mode: 'due' })).toEqual({ ok: true, enqueued: false, reason: 'not-due' })
    await expect.poll(async () => (await runs(gw, job.id)).map((r) => [r.status, r.scheduledAtMs, r.manual])).toEqual([['ok', START + MIN, undefined]])
    expect((await callMethod(gw, 'cron.get', { id: job.id })).state.nextRunAtMs).toBe(START + 2 * MIN)
    expect(await callMethod(gw, 'cron.status')).toMatchObject({ enabled: false, running: 0 })
  })

  it('should skip fires later than maxLatenessMs under the skip policy, with the reason', async () => {
    const gw = await start()
    const job = await callMethod(gw, 'cron.add', queueJob({ kind: 'every', everyMs: MIN, anchorMs: START }, { missedFires: { policy: 'skip', maxLatenessMs: 5000 } }))
    gw.clock!.set(START + 3 * MIN + 20_000)
    await advance(gw, 5000)
    await expect.poll(() => runs(gw, job.id)).toEqual([expect.objectContaining({ status: 'skipped', errorReason: 'too-late', skippedCount: 3 })])
    expect((await callMethod(gw, 'cron.get', { id: job.id })).state.nextRunAtMs).toBe(START + 4 * MIN)
  })

  it('should run a missed cron fire at once under runOnce, across a DST change in its zone', async () => {
    const gw = await start()
    // 2026-03-29: Europe/Vienna springs forward; the gateway is down from 00:30 to 05:00 UTC.
    gw.clock!.set(Date.UTC(2026, 2, 29, 0, 30))
    const job = await callMethod(gw, 'cron.add', queueJob({ kind: 'cron', expr: '0 * * * *', tz: 'Europe/Vienna', staggerMs: 0 }, { missedFires: { policy: 'runOnce' } }))
    gw.clock!.set(Date.UTC(2026, 2, 29, 5, 0, 30))
    await advance(gw, 5000)
    await expect.poll(async () => (await runs(gw, job.id)).map((r) => [r.status, r.skippedCount]).sort()).toEqual([['ok', undefined], ['skipped', 4]])
    expect(new Date((await callMethod(gw, 'cron.get', { id: job.id })).state.nextRunAtMs).toISOString()).toBe('2026-03-29T06:00:00.000Z')
  })

  it('should fire a top-of-hour cron job at its staggered time (deterministic per job), and an exact one on the hour', async () => {
    const gw = await start()
    const hourly = { kind: 'cron', expr: '0 * * * *', tz: 'UTC' }
    const staggered = await callMethod(gw, 'cron.add', queueJob(hourly))
    const exact = await callMethod(gw, 'cron.add', queueJob({ ...hourly, staggerMs: 0 }))
    const daily = await callMethod(gw, 'cron.add', queueJob({ kind: 'cron', expr: '30 13 * * *', tz: 'UTC' }))
    // The default window is stored with the job (as OpenClaw does), and the offset is the job's own.
    expect(staggered.schedule).toEqual({ ...hourly, staggerMs: 300_000 })
    expect(exact.schedule).toEqual({ ...hourly, staggerMs: 0 })
    expect(daily.schedule.staggerMs).toBeUndefined()
    const offset = staggerOffset(staggered.id, 300_000)
    // START is on the hour: the exact job waits for the next one, the staggered one fires `offset` after START.
    expect(offset).toBeGreaterThan(0)
    expect(staggered.state.nextRunAtMs).toBe(START + offset)
    expect(exact.state.nextRunAtMs).toBe(START + 60 * MIN)
    await advance(gw, 66 * MIN, 30_000)
    await expect.poll(async () => (await runs(gw, staggered.id)).map((r) => [r.status, r.scheduledAtMs])).toEqual([['ok', START + offset], ['ok', START + 60 * MIN + offset]])
    expect((await runs(gw, exact.id)).map((r) => r.scheduledAtMs)).toEqual([START + 60 * MIN])
    expect((await callMethod(gw, 'cron.get', { id: staggered.id })).state.nextRunAtMs).toBe(START + 120 * MIN + offset)
    // An edit that keeps the expression keeps the window; --exact (staggerMs 0) drops it.
    const renamed = await callMethod(gw, 'cron.update', { id: staggered.id, patch: { schedule: { kind: 'cron', expr: '0 * * * *', tz: 'UTC' }, name: 'r' } })
    expect(renamed.schedule.staggerMs).toBe(300_000)
    const madeExact = await callMethod(gw, 'cron.update', { id: staggered.id, patch: { schedule: { ...hourly, staggerMs: 0 } } })
    expect(madeExact.state.nextRunAtMs).toBe(START + 120 * MIN)
  })

  it('should delete a one-shot after it succeeded, and keep it (disabled) with deleteAfterRun false', async () => {
    const gw = await start()
    const gone = await callMethod(gw, 'cron.add', queueJob({ kind: 'at', at: '30s' }))
    const kept = await callMethod(gw, 'cron.add', queueJob({ kind: 'at', at: '30s' }, { deleteAfterRun: false }))
    await advance(gw, MIN)
    await expect.poll(async () => (await callMethod(gw, 'cron.get', { id: kept.id })).enabled).toBe(false)
    await expect(callMethod(gw, 'cron.get', { id: gone.id })).rejects.toMatchObject({ code: 'CRON_ERR_JOB_NOT_FOUND' })
    expect(await callMethod(gw, 'cron.get', { id: kept.id })).toMatchObject({ enabled: false, state: { lastRunStatus: 'ok' } })
  })

  it('should prune finished run rows hourly: older than maxAgeMs, and beyond the newest maxRunsPerJob of each job', async () => {
    const gw = await start({ runRetention: { maxAgeMs: 25 * MIN, maxRunsPerJob: 5 } })
    const often = await callMethod(gw, 'cron.add', queueJob({ kind: 'every', everyMs: MIN, anchorMs: START }))
    const rare = await callMethod(gw, 'cron.add', queueJob({ kind: 'every', everyMs: 10 * MIN, anchorMs: START }))
    const minutes = async (id: string) => (await runs(gw, id)).map((r) => (r.scheduledAtMs! - START) / MIN).sort((a, b) => a - b)
    // 1. Just before the hour, nothing was pruned since the start (pruning runs once an hour; the
    //    gateway started on the real time and start() set the clock back to START, which counts as due).
    await advance(gw, 59 * MIN + 500, MIN)
    await expect.poll(async () => (await minutes(often.id)).length).toBe(59)
    expect(await minutes(rare.id)).toEqual([10, 20, 30, 40, 50])
    // 2. The tick at the hour prunes: by count for the busy job (its newest 5), by age for the other
    //    (fires older than 25 minutes go; it has fewer than 5 rows left, so the count cuts nothing).
    await advance(gw, MIN, MIN)
    await expect.poll(() => minutes(often.id)).toEqual([56, 57, 58, 59, 60])
    expect(await minutes(rare.id)).toEqual([40, 50, 60])
    // 3. Within the next hour rows accumulate again, and the next prune cuts them back.
    await advance(gw, 30 * MIN, MIN)
    await expect.poll(async () => (await minutes(often.id)).length).toBe(35)
    await advance(gw, 30 * MIN, MIN)
    await expect.poll(() => minutes(often.id)).toEqual([116, 117, 118, 119, 120])
    expect(await minutes(rare.id)).toEqual([100, 110, 120])
  })

  it('should wake for a failed one-shot\'s retry when its backoff ends, not at the ticker\'s longest sleep', async () => {
    const gw = await start({ maxSleepMs: 10 * MIN })
    // No model provider is configured: the agent turn fails at once.
    const job = await callMethod(gw, 'cron.add', { name: 'fails', schedule: { kind: 'at', at: '10s' }, payload: { kind: 'agentTurn', message: 'x' } })
    await advance(gw, 50_000)
    await expect.poll(async () => (await runs(gw, job.id)).map((r) => r.status)).toEqual(['error', 'error'])
    const [first, retry] = (await callMethod(gw, 'cron.runs', { id: job.id, sortDir: 'asc' })).entries
    expect(retry.scheduledAtMs - first.ts).toBe(30_000) // the first backoff step
    expect(retry.runAtMs - retry.scheduledAtMs).toBeLessThanOrEqual(1000) // woken on time (steps of 1 s)
  })
})

