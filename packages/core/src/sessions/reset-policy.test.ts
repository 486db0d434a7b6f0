import { describe, expect, it } from 'vitest'
import { lastDailyBoundary, staleReason } from './reset-policy.js'

// Local times (the policy's hour is the gateway host's), so these hold in any time zone.
const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime()
const MIN = 60_000

describe('lastDailyBoundary', () => {
  it('is today’s atHour once it has passed, else yesterday’s', () => {
    expect(lastDailyBoundary(at(6, 5), 4)).toBe(at(6, 4))
    expect(lastDailyBoundary(at(6, 4), 4)).toBe(at(6, 4))
    expect(lastDailyBoundary(at(6, 3, 59), 4)).toBe(at(5, 4))
    expect(lastDailyBoundary(at(6, 0, 10), 0)).toBe(at(6, 0))
    expect(lastDailyBoundary(at(6, 23, 59), 23)).toBe(at(6, 23))
  })

  it('crosses month ends', () => {
    expect(lastDailyBoundary(new Date(2027, 0, 1, 2).getTime(), 4)).toBe(new Date(2026, 11, 31, 4).getTime())
  })
})

describe('staleReason: daily', () => {
  const daily = { mode: 'daily', atHour: 4 } as const

  it('keeps a session started after the last boundary, across midnight', () => {
    // Started at 23:00, asked at 02:00 the next day: the last 04:00 was before it started.
    expect(staleReason({ startedAt: at(5, 23) }, daily, at(6, 2))).toBeUndefined()
  })

  it('starts over a session that began before the last boundary', () => {
    expect(staleReason({ startedAt: at(5, 23) }, daily, at(6, 4))).toBe('daily')
    expect(staleReason({ startedAt: at(6, 3, 59) }, daily, at(6, 4, 1))).toBe('daily')
  })

  it('uses the start, not later interactions', () => {
    expect(staleReason({ startedAt: at(5, 23), lastInteractionAt: at(6, 4, 30) }, daily, at(6, 5))).toBe('daily')
  })

  it('defaults atHour to 4, and midnight works', () => {
    expect(staleReason({ startedAt: at(6, 3) }, { mode: 'daily' }, at(6, 5))).toBe('daily')
    expect(staleReason({ startedAt: at(5, 23, 30) }, { mode: 'daily', atHour: 0 }, at(6, 0, 10))).toBe('daily')
    expect(staleReason({ startedAt: at(6, 0, 5) }, { mode: 'daily', atHour: 0 }, at(6, 23))).toBeUndefined()
  })

  it('with idleMinutes too, whichever expires first', () => {
    const both = { mode: 'daily', atHour: 4, idleMinutes: 60 } as const
    expect(staleReason({ startedAt: at(6, 5), lastInteractionAt: at(6, 6) }, both, at(6, 7, 1))).toBe('idle')
    expect(staleReason({ startedAt: at(6, 5), lastInteractionAt: at(6, 6) }, both, at(6, 6, 30))).toBeUndefined()
  })
})

describe('staleReason: idle and none', () => {
  const idle = { mode: 'idle', idleMinutes: 30 } as const

  it('starts over after idleMinutes since the last interaction', () => {
    expect(staleReason({ startedAt: at(6, 1), lastInteractionAt: at(6, 10) }, idle, at(6, 10, 29))).toBeUndefined()
    expect(staleReason({ startedAt: at(6, 1), lastInteractionAt: at(6, 10) }, idle, at(6, 10, 30))).toBe('idle')
  })

  it('counts from the start when no interaction was recorded', () => {
    expect(staleReason({ startedAt: at(6, 10) }, idle, at(6, 10) + 29 * MIN)).toBeUndefined()
    expect(staleReason({ startedAt: at(6, 10) }, idle, at(6, 10) + 31 * MIN)).toBe('idle')
  })

  it('ignores the daily hour in idle mode, and never resets with none', () => {
    expect(staleReason({ startedAt: at(5, 1), lastInteractionAt: at(6, 9, 50) }, idle, at(6, 10))).toBeUndefined()
    expect(staleReason({ startedAt: 0, lastInteractionAt: 0 }, { mode: 'none', idleMinutes: 1 }, at(6, 10))).toBeUndefined()
  })
})
