import { describe, expect, it } from 'vitest'
import { settleRun, type SettleRunInput } from './settle-run.js'

const SEC = 1000
const every = { kind: 'every', everyMs: SEC, anchorMs: 0 } as const
const base: SettleRunInput = { schedule: every, ctx: { jobId: 'j', createdAtMs: 0 }, status: 'error', endedAtMs: 100 * SEC, consecutiveErrors: 0, nextRunAtMs: 101 * SEC, manual: false }

describe('settleRun', () => {
  it('should back a recurring job off 30 s, 1 m, 5 m, 15 m, then 60 m, recording the fires inside the wait', () => {
    const waits = [0, 1, 2, 3, 4, 5, 6].map((errors) => settleRun({ ...base, consecutiveErrors: errors }).nextRunAtMs! - 100 * SEC)
    expect(waits).toEqual([30, 60, 300, 900, 3600, 3600, 3600].map((s) => s * SEC))
    expect(settleRun(base).skipped).toEqual({ reason: 'backoff', count: 29, firstAtMs: 101 * SEC, lastAtMs: 129 * SEC })
  })

  it('should reset the error count on a success and keep the next regular fire', () => {
    expect(settleRun({ ...base, status: 'ok', consecutiveErrors: 4 })).toEqual({ consecutiveErrors: 0, nextRunAtMs: 101 * SEC, disable: false })
  })

  it('should keep a cron job on its grid while backing off', () => {
    const hourly = { kind: 'cron', expr: '*/10 * * * *', tz: 'UTC' } as const
    const end = Date.UTC(2026, 0, 1, 10, 0, 5)
    const settled = settleRun({ ...base, schedule: hourly, endedAtMs: end, nextRunAtMs: Date.UTC(2026, 0, 1, 10, 10), consecutiveErrors: 2 })
    expect(new Date(settled.nextRunAtMs!).toISOString()).toBe('2026-01-01T10:10:00.000Z')
    const later = settleRun({ ...base, schedule: hourly, endedAtMs: end, nextRunAtMs: Date.UTC(2026, 0, 1, 10, 10), consecutiveErrors: 3 })
    expect(new Date(later.nextRunAtMs!).toISOString()).toBe('2026-01-01T10:20:00.000Z')
    expect(later.skipped).toMatchObject({ reason: 'backoff', count: 1 })
  })

  it('should disable a job on its 10th consecutive failure, with the reason', () => {
    expect(settleRun({ ...base, consecutiveErrors: 8 }).disable).toBe(false)
    expect(settleRun({ ...base, consecutiveErrors: 9 })).toEqual({ consecutiveErrors: 10, nextRunAtMs: undefined, disable: true, autoDisabledReason: 'disabled after 10 consecutive failures' })
  })

  it('should finish a one-shot on success and retry it after the backoff on error', () => {
    const at = { kind: 'at', at: new Date(50 * SEC).toISOString() } as const
    expect(settleRun({ ...base, schedule: at, status: 'ok', nextRunAtMs: undefined })).toMatchObject({ disable: true, nextRunAtMs: undefined })
    expect(settleRun({ ...base, schedule: at, nextRunAtMs: undefined })).toMatchObject({ disable: false, nextRunAtMs: 130 * SEC })
  })

  it('should count an interrupted run as an error without backing off, and not retry an interrupted one-shot', () => {
    expect(settleRun({ ...base, consecutiveErrors: 2, interrupted: true })).toEqual({ consecutiveErrors: 3, nextRunAtMs: 101 * SEC, disable: false })
    expect(settleRun({ ...base, consecutiveErrors: 9, interrupted: true })).toMatchObject({ disable: true, autoDisabledReason: 'disabled after 10 consecutive failures' })
    const at = { kind: 'at', at: new Date(50 * SEC).toISOString() } as const
    expect(settleRun({ ...base, schedule: at, nextRunAtMs: undefined, interrupted: true })).toEqual({ consecutiveErrors: 1, nextRunAtMs: undefined, disable: true })
  })
})
