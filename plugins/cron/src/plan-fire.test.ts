import { describe, expect, it } from 'vitest'
import { planFire, type PlanFireInput } from './plan-fire.js'

const MIN = 60_000
const every = { kind: 'every', everyMs: MIN, anchorMs: 0 } as const
const base: PlanFireInput = { schedule: every, ctx: { jobId: 'j', createdAtMs: 0 }, dueAtMs: 10 * MIN, nowMs: 10 * MIN, running: false, policy: undefined, graceMs: 30_000, catchUpDelayMs: 15_000 }

describe('planFire', () => {
  it('should run an on-time fire and move to the next occurrence after it', () => {
    expect(planFire({ ...base, nowMs: 10 * MIN + 20 })).toEqual({ run: true, nextRunAtMs: 11 * MIN })
  })

  it('should run a fire late within the grace, and leave the fire due meanwhile to the next tick', () => {
    expect(planFire({ ...base, nowMs: 10 * MIN + 29_000 })).toEqual({ run: true, nextRunAtMs: 11 * MIN })
  })

  it('should coalesce missed fires into one catch-up run later by default (reschedule), recording the rest', () => {
    // The gateway was down from 10:00 to 70:10 with a 1-minute job: 61 fires missed.
    const plan = planFire({ ...base, schedule: { kind: 'every', everyMs: 10 * MIN, anchorMs: 0 }, nowMs: 70 * MIN + 10_000 })
    expect(plan.run).toBe(false)
    expect(plan.nextRunAtMs).toBe(70 * MIN + 25_000)
    expect(plan.skipped).toEqual({ reason: 'missed', count: 6, firstAtMs: 10 * MIN, lastAtMs: 60 * MIN })
  })

  it('should not catch up when the next regular fire comes before the catch-up would', () => {
    const plan = planFire({ ...base, nowMs: 70 * MIN + 50_000 })
    expect(plan).toEqual({ run: false, skipped: { reason: 'missed', count: 61, firstAtMs: 10 * MIN, lastAtMs: 70 * MIN }, nextRunAtMs: 71 * MIN })
  })

  it('should run a missed one-shot once after the catch-up delay, with nothing skipped', () => {
    const at = { kind: 'at', at: new Date(10 * MIN).toISOString() } as const
    expect(planFire({ ...base, schedule: at, nowMs: 99 * MIN })).toEqual({ run: false, nextRunAtMs: 99 * MIN + 15_000 })
  })

  it('should run a missed fire at once under runOnce and record the others as skipped', () => {
    const plan = planFire({ ...base, policy: { policy: 'runOnce' }, nowMs: 13 * MIN + 40_000 })
    expect(plan).toEqual({ run: true, skipped: { reason: 'missed', count: 3, firstAtMs: 11 * MIN, lastAtMs: 13 * MIN }, nextRunAtMs: 14 * MIN })
  })

  it('should skip every fire later than maxLatenessMs under skip, with the reason too-late', () => {
    const policy = { policy: 'skip', maxLatenessMs: 5_000 } as const
    expect(planFire({ ...base, policy, nowMs: 10 * MIN + 4_000 })).toEqual({ run: true, nextRunAtMs: 11 * MIN })
    expect(planFire({ ...base, policy, nowMs: 10 * MIN + 6_000 })).toEqual({ run: false, skipped: { reason: 'too-late', count: 1, firstAtMs: 10 * MIN, lastAtMs: 10 * MIN }, nextRunAtMs: 11 * MIN })
  })

  it('should skip a fire whose previous run is still going, with the reason still-running', () => {
    expect(planFire({ ...base, running: true })).toEqual({ run: false, skipped: { reason: 'still-running', count: 1, firstAtMs: 10 * MIN, lastAtMs: 10 * MIN }, nextRunAtMs: 11 * MIN })
  })
})
