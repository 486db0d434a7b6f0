import { createHash } from 'node:crypto'
import { Cron } from 'croner'
import { CRON_ERR_INVALID_SCHEDULE } from './errors.js'
import { parseDuration } from './parse-duration.js'

/** When a job fires: OpenClaw's three time schedules. */
export type CronSchedule =
  | { readonly kind: 'at'; readonly at: string }
  | { readonly kind: 'every'; readonly everyMs: number; readonly anchorMs?: number }
  | { readonly kind: 'cron'; readonly expr: string; readonly tz?: string; readonly staggerMs?: number }

/** The host's time zone: what a cron expression without `tz` runs in. */
export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}

function checkTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
  } catch {
    throw new CRON_ERR_INVALID_SCHEDULE(`unknown time zone '${tz}' (expected an IANA name such as Europe/Vienna)`)
  }
}

/** Wall-clock parts of an instant in a zone, for offset-less `at` times. */
function zoneOffsetMs(atMs: number, tz: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(atMs).map((p) => [p.type, p.value]),
  )
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  return asUtc - Math.floor(atMs / 1000) * 1000
}

/**
 * Epoch ms of an `at` value: an ISO time (offset-less values are UTC, or wall time in `tz`), or a
 * duration from `nowMs` (`20m`, `+2h`). Throws `CRON_ERR_INVALID_SCHEDULE` otherwise.
 */
export function parseAt(value: string, nowMs: number, tz?: string): number {
  const text = value.trim()
  const relative = parseDuration(text.replace(/^\+/, ''))
  if (relative !== undefined && !/^\d{4}-/.test(text)) return nowMs + relative
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) throw new CRON_ERR_INVALID_SCHEDULE(`'${value}' is neither an ISO time nor a duration such as 20m`)
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)
  const iso = /T|\s/.test(text) ? text.replace(' ', 'T') : `${text}T00:00:00`
  const asUtc = Date.parse(hasOffset ? iso : `${iso}Z`)
  if (Number.isNaN(asUtc)) throw new CRON_ERR_INVALID_SCHEDULE(`'${value}' is not a valid time`)
  if (hasOffset || tz === undefined) return asUtc
  checkTimeZone(tz)
  // Wall time in tz: shift by the zone's offset at that moment (twice, to settle across a DST edge).
  const first = asUtc - zoneOffsetMs(asUtc, tz)
  return asUtc - zoneOffsetMs(first, tz)
}

/** A croner instance for a cron schedule; never started (we only ask it for times). */
function cronOf(schedule: Extract<CronSchedule, { kind: 'cron' }>): Cron {
  const tz = schedule.tz ?? hostTimeZone()
  checkTimeZone(tz)
  try {
    return new Cron(schedule.expr, { timezone: tz, paused: true, legacyMode: true })
  } catch (err) {
    throw new CRON_ERR_INVALID_SCHEDULE(`cron expression '${schedule.expr}': ${(err as Error).message}`, { cause: err })
  }
}

/** Throws `CRON_ERR_INVALID_SCHEDULE` for a schedule that can never be computed. */
export function validateSchedule(schedule: CronSchedule): void {
  if (schedule.kind === 'cron') cronOf(schedule)
  else if (schedule.kind === 'at' && Number.isNaN(Date.parse(schedule.at))) throw new CRON_ERR_INVALID_SCHEDULE(`'${schedule.at}' is not an ISO time`)
  else if (schedule.kind === 'every' && !(Number.isInteger(schedule.everyMs) && schedule.everyMs >= 1000)) {
    throw new CRON_ERR_INVALID_SCHEDULE('everyMs must be a whole number of at least 1000')
  }
}

/** OpenClaw's window for recurring top-of-hour cron expressions without an explicit `staggerMs`. */
export const DEFAULT_TOP_OF_HOUR_STAGGER_MS = 300_000

const HOUR_LIST_PART = /^(?:\d+|\d+-\d+)(?:\/\d+)?$|^[*?](?:\/\d+)?$/

/**
 * True for a recurring top-of-hour expression, as OpenClaw tells one: minute `0` (and second `0` in
 * six fields) with an hour field that has a wildcard part (`*`, `*\/2`, `9-17,*`), such as `0 * * * *`.
 */
export function isRecurringTopOfHour(expr: string): boolean {
  const fields = expr.trim().split(/\s+/).filter(Boolean)
  const [minute, hour] = fields.length === 6 ? (fields[0] === '0' ? fields.slice(1) : []) : fields.length === 5 ? fields : []
  if (minute !== '0' || hour === undefined) return false
  const parts = hour.split(',')
  return parts.every((part) => HOUR_LIST_PART.test(part)) && parts.some((part) => part.startsWith('*') || part.startsWith('?'))
}

/**
 * A cron schedule's stagger window: its `staggerMs` (0 is exact: `--exact`), else 5 minutes for a
 * recurring top-of-hour expression, else none.
 */
export function cronStaggerMs(schedule: Extract<CronSchedule, { kind: 'cron' }>): number {
  if (schedule.staggerMs !== undefined) return schedule.staggerMs
  return isRecurringTopOfHour(schedule.expr) ? DEFAULT_TOP_OF_HOUR_STAGGER_MS : 0
}

/**
 * A job's offset in [0, staggerMs): the first four bytes of the SHA-256 of its id, as OpenClaw
 * computes it. The same on every replica and across restarts, so a staggered job never moves.
 */
export function staggerOffset(jobId: string, staggerMs: number): number {
  if (staggerMs <= 1) return 0
  return createHash('sha256').update(jobId).digest().readUInt32BE(0) % staggerMs
}

/** What an occurrence is computed from besides the schedule. */
export interface OccurrenceContext {
  readonly jobId: string
  /** Where an `every` schedule without `anchorMs` is anchored. */
  readonly createdAtMs: number
}

/**
 * The first occurrence strictly after `afterMs`, or `undefined` when there is none (an `at` in the
 * past, a cron expression that never matches again). Times only grow: feeding an occurrence back in
 * gives the next one, so a job's fires are a strictly increasing sequence (which is what makes a
 * fire's identity, (job, scheduled time), unique across a clock jump or a DST change).
 */
export function nextOccurrence(schedule: CronSchedule, afterMs: number, ctx: OccurrenceContext): number | undefined {
  switch (schedule.kind) {
    case 'at': {
      const at = Date.parse(schedule.at)
      return at > afterMs ? at : undefined
    }
    case 'every': {
      const anchor = schedule.anchorMs ?? ctx.createdAtMs
      if (afterMs < anchor) return anchor
      return anchor + (Math.floor((afterMs - anchor) / schedule.everyMs) + 1) * schedule.everyMs
    }
    case 'cron': {
      const offset = staggerOffset(ctx.jobId, cronStaggerMs(schedule))
      const next = cronOf(schedule).nextRun(new Date(afterMs - offset))
      return next ? next.getTime() + offset : undefined
    }
  }
}

/**
 * Occurrences in `[fromMs, toMs]` (both ends included), at most `limit` of them, counted: how many
 * fires a job missed while its gateway was down or the clock jumped. `count` is exact up to `limit`.
 */
export function countOccurrences(schedule: CronSchedule, fromMs: number, toMs: number, ctx: OccurrenceContext, limit = 10_000): { count: number; last: number | undefined } {
  if (toMs < fromMs) return { count: 0, last: undefined }
  if (schedule.kind === 'every') {
    const first = nextOccurrence(schedule, fromMs - 1, ctx)!
    if (first > toMs) return { count: 0, last: undefined }
    const count = Math.floor((toMs - first) / schedule.everyMs) + 1
    return { count: Math.min(count, limit), last: first + (count - 1) * schedule.everyMs }
  }
  let count = 0
  let last: number | undefined
  for (let t = nextOccurrence(schedule, fromMs - 1, ctx); t !== undefined && t <= toMs && count < limit; t = nextOccurrence(schedule, t, ctx)) {
    count++
    last = t
  }
  return { count, last }
}
