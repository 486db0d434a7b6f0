import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { countOccurrences, cronStaggerMs, isRecurringTopOfHour, nextOccurrence, parseAt, staggerOffset, validateSchedule, type CronSchedule } from './schedule.js'

const ctx = { jobId: 'j1', createdAtMs: Date.UTC(2026, 0, 1) }
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString())

/** The first `n` occurrences after `from`. */
function occurrences(schedule: CronSchedule, from: string, n: number): (string | undefined)[] {
  const out: (string | undefined)[] = []
  let t = Date.parse(from)
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(schedule, t, ctx)
    out.push(iso(next))
    if (next === undefined) break
    t = next
  }
  return out
}

describe('schedules', () => {
  it('should fire an at schedule once, and never after its time', () => {
    const schedule = { kind: 'at', at: '2026-02-01T16:00:00Z' } as const
    expect(iso(nextOccurrence(schedule, Date.UTC(2026, 0, 5), ctx))).toBe('2026-02-01T16:00:00.000Z')
    expect(nextOccurrence(schedule, Date.parse('2026-02-01T16:00:00Z'), ctx)).toBeUndefined()
  })

  it('should read at as ISO (UTC without an offset, wall time in tz) or as a duration from now', () => {
    const now = Date.UTC(2026, 0, 1, 12)
    expect(parseAt('20m', now)).toBe(now + 20 * 60_000)
    expect(parseAt('+1h30m', now)).toBe(now + 90 * 60_000)
    expect(iso(parseAt('2026-02-01T16:00:00', now))).toBe('2026-02-01T16:00:00.000Z')
    expect(iso(parseAt('2026-02-01T16:00:00+01:00', now))).toBe('2026-02-01T15:00:00.000Z')
    expect(iso(parseAt('2026-07-01T09:00', now, 'Europe/Vienna'))).toBe('2026-07-01T07:00:00.000Z')
    expect(iso(parseAt('2026-01-15T09:00', now, 'Europe/Vienna'))).toBe('2026-01-15T08:00:00.000Z')
    expect(() => parseAt('tomorrow', now)).toThrow(expect.objectContaining({ code: 'CRON_ERR_INVALID_SCHEDULE' }))
  })

  it('should step every from its anchor, not from when it is asked', () => {
    const schedule = { kind: 'every', everyMs: 600_000, anchorMs: Date.UTC(2026, 0, 1, 0, 5) } as const
    expect(occurrences(schedule, '2026-01-01T00:17:00Z', 3)).toEqual(['2026-01-01T00:25:00.000Z', '2026-01-01T00:35:00.000Z', '2026-01-01T00:45:00.000Z'])
    expect(iso(nextOccurrence(schedule, Date.UTC(2025, 11, 31), ctx))).toBe('2026-01-01T00:05:00.000Z')
  })

  it('should anchor every at the job creation time when no anchor is given', () => {
    expect(iso(nextOccurrence({ kind: 'every', everyMs: 3_600_000 }, Date.UTC(2026, 0, 3, 5, 30), ctx))).toBe('2026-01-03T06:00:00.000Z')
  })

  it('should fire a daily 02:30 cron once on the spring-forward day (at 03:30 local), in its tz', () => {
    // America/New_York springs forward on 2026-03-08 at 02:00 → 03:00: 02:30 does not exist that day.
    const schedule = { kind: 'cron', expr: '30 2 * * *', tz: 'America/New_York' } as const
    expect(occurrences(schedule, '2026-03-07T00:00:00Z', 3)).toEqual(['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z'])
  })

  it('should fire a daily 01:30 cron once on the fall-back day, although 01:30 happens twice', () => {
    // America/New_York falls back on 2026-11-01 at 02:00 → 01:00: 01:30 EDT and 01:30 EST.
    const schedule = { kind: 'cron', expr: '30 1 * * *', tz: 'America/New_York' } as const
    expect(occurrences(schedule, '2026-10-31T00:00:00Z', 3)).toEqual(['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'])
  })

  it('should fire an hourly cron once per wall-clock hour across both transitions of Europe/Vienna', () => {
    const schedule = { kind: 'cron', expr: '0 * * * *', tz: 'Europe/Vienna' } as const
    const gaps = (from: string) => {
      const times = occurrences(schedule, from, 6).map((t) => Date.parse(t!))
      return times.slice(1).map((t, i) => (t - times[i]!) / 3_600_000)
    }
    // Spring (2026-03-29, 02:00 → 03:00): 02:00 does not exist, the hours stay one real hour apart.
    expect(gaps('2026-03-28T22:30:00Z')).toEqual([1, 1, 1, 1, 1])
    // Fall (2026-10-25, 03:00 → 02:00): 02:00 happens twice and fires once, so one gap is two hours.
    expect(gaps('2026-10-24T22:30:00Z').sort()).toEqual([1, 1, 1, 1, 2])
  })

  it('should use a cron schedule in the zone it names, not the host', () => {
    const at = (tz: string) => iso(nextOccurrence({ kind: 'cron', expr: '0 7 * * *', tz }, Date.UTC(2026, 5, 1), ctx))
    expect(at('UTC')).toBe('2026-06-01T07:00:00.000Z')
    expect(at('Asia/Tokyo')).toBe('2026-06-01T22:00:00.000Z')
  })

  it('should spread a staggered cron by a fixed offset per job', () => {
    const schedule = { kind: 'cron', expr: '0 * * * *', tz: 'UTC', staggerMs: 300_000 } as const
    const first = nextOccurrence(schedule, Date.UTC(2026, 0, 1, 10, 30), ctx)!
    const offset = first - Date.UTC(2026, 0, 1, 11)
    expect(offset).toBeGreaterThanOrEqual(0)
    expect(offset).toBeLessThan(300_000)
    expect(nextOccurrence(schedule, first, ctx)! - first).toBe(3_600_000)
  })

  it('should tell recurring top-of-hour expressions as OpenClaw does', () => {
    for (const expr of ['0 * * * *', '0 */2 * * *', '0 9-17,* * * *', '0 0 * * * *', ' 0  *  * * 1-5 ']) expect(isRecurringTopOfHour(expr)).toBe(true)
    for (const expr of ['0 7 * * *', '5 * * * *', '*/15 * * * *', '0 9-17 * * *', '30 0 * * * *', '0 0 7 * * *', 'garbage']) expect(isRecurringTopOfHour(expr)).toBe(false)
  })

  it('should stagger a recurring top-of-hour cron by up to 5 minutes unless staggerMs says otherwise (0: exact)', () => {
    expect(cronStaggerMs({ kind: 'cron', expr: '0 * * * *' })).toBe(300_000)
    expect(cronStaggerMs({ kind: 'cron', expr: '0 * * * *', staggerMs: 0 })).toBe(0)
    expect(cronStaggerMs({ kind: 'cron', expr: '0 * * * *', staggerMs: 30_000 })).toBe(30_000)
    expect(cronStaggerMs({ kind: 'cron', expr: '0 7 * * *' })).toBe(0)
    const hourly = { kind: 'cron', expr: '0 * * * *', tz: 'UTC' } as const
    const from = Date.UTC(2026, 0, 1, 10, 30)
    // The offset of a job is the first 4 bytes of SHA-256 of its id modulo the window: OpenClaw's, the same on every replica.
    const expected = createHash('sha256').update('j1').digest().readUInt32BE(0) % 300_000
    expect(staggerOffset('j1', 300_000)).toBe(expected)
    expect(nextOccurrence(hourly, from, ctx)).toBe(Date.UTC(2026, 0, 1, 11) + expected)
    expect(nextOccurrence({ ...hourly, staggerMs: 0 }, from, ctx)).toBe(Date.UTC(2026, 0, 1, 11))
    expect(nextOccurrence({ kind: 'cron', expr: '0 7 * * *', tz: 'UTC' }, from, ctx)).toBe(Date.UTC(2026, 0, 2, 7))
    // Jobs spread over the window.
    const offsets = new Set(Array.from({ length: 50 }, (_, i) => staggerOffset(`job-${i}`, 300_000)))
    expect(offsets.size).toBe(50)
    expect([...offsets].every((o) => o >= 0 && o < 300_000)).toBe(true)
    // A staggered fire is still followed by the next hour's, and the offset holds for the fire itself.
    const first = nextOccurrence(hourly, from, ctx)!
    expect(nextOccurrence(hourly, first - 1, ctx)).toBe(first)
    expect(nextOccurrence(hourly, first, ctx)).toBe(first + 3_600_000)
  })

  it('should count missed occurrences exactly, both ends included', () => {
    const every = { kind: 'every', everyMs: 60_000, anchorMs: 0 } as const
    expect(countOccurrences(every, 60_000, 600_000, ctx)).toEqual({ count: 10, last: 600_000 })
    const cron = { kind: 'cron', expr: '*/15 * * * *', tz: 'UTC' } as const
    expect(countOccurrences(cron, Date.UTC(2026, 0, 1, 10), Date.UTC(2026, 0, 1, 11), ctx)).toEqual({ count: 5, last: Date.UTC(2026, 0, 1, 11) })
  })

  it('should refuse a bad expression, an unknown zone and a sub-second every with a coded error', () => {
    for (const schedule of [{ kind: 'cron', expr: '61 * * * *' }, { kind: 'cron', expr: '0 7 * * *', tz: 'Mars/Olympus' }, { kind: 'every', everyMs: 10 }] as const) {
      expect(() => validateSchedule(schedule)).toThrow(expect.objectContaining({ code: 'CRON_ERR_INVALID_SCHEDULE' }))
    }
  })
})
