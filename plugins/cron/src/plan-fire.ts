import { countOccurrences, nextOccurrence, type CronSchedule, type OccurrenceContext } from './schedule.js'

/**
 * What happens to fires a job missed (its gateway was down, the clock jumped, the ticker was late):
 * - `reschedule` (default, OpenClaw's): no backlog replay; the missed fires coalesce into one
 *   catch-up run `catchUpDelayMs` later (or the next regular fire, if that comes first);
 * - `runOnce`: one catch-up run at once, the other missed fires skipped;
 * - `skip`: a fire later than `maxLatenessMs` is skipped; the job waits for its next regular fire.
 * Every fire that does not run is recorded as a `skipped` run row with its reason.
 */
export interface MissedFirePolicy {
  readonly policy: 'reschedule' | 'runOnce' | 'skip'
  /** How late a fire may start and still count as on time. Default `cron.missedFireGraceMs`. */
  readonly maxLatenessMs?: number
}

export type SkipReason = 'missed' | 'too-late' | 'still-running' | 'backoff'

/** Fires that will not run, as one run row. */
export interface SkippedFires {
  readonly reason: SkipReason
  readonly count: number
  readonly firstAtMs: number
  readonly lastAtMs: number
}

export interface FirePlan {
  /** Run the fire now (under its scheduled time). */
  readonly run: boolean
  /** Fires that do not run, recorded as one `skipped` row. */
  readonly skipped?: SkippedFires
  /** The job's next fire, `undefined` when it has none (a one-shot that fired). */
  readonly nextRunAtMs: number | undefined
}

export interface PlanFireInput {
  readonly schedule: CronSchedule
  readonly ctx: OccurrenceContext
  /** The fire being handled: the job's `nextRunAtMs`. */
  readonly dueAtMs: number
  readonly nowMs: number
  /** A run of this job is still going. */
  readonly running: boolean
  readonly policy: MissedFirePolicy | undefined
  readonly graceMs: number
  readonly catchUpDelayMs: number
}

/**
 * Decide one due fire: run it, or skip it (and the fires it stands for), and when the job fires next.
 * Pure: the ticker claims the fire in the store under (job, dueAtMs) before acting on the plan.
 */
export function planFire(input: PlanFireInput): FirePlan {
  const { schedule, ctx, dueAtMs: due, nowMs: now } = input
  const policy = input.policy?.policy ?? 'reschedule'
  const after = (t: number) => nextOccurrence(schedule, t, ctx)
  const missed = () => countOccurrences(schedule, due, now, ctx)
  const span = (reason: SkipReason, count: number, first: number, last: number): SkippedFires => ({ reason, count, firstAtMs: first, lastAtMs: last })

  if (input.running) {
    const { count, last } = missed()
    return { run: false, skipped: span('still-running', Math.max(count, 1), due, last ?? due), nextRunAtMs: after(now) }
  }
  const lateness = now - due
  const maxLateness = input.policy?.maxLatenessMs ?? input.graceMs
  // On time: run it. The next fire is the one after this one, so a fire due meanwhile is handled on
  // the next tick (run or recorded), never dropped.
  if (lateness <= maxLateness) return { run: true, nextRunAtMs: after(due) }

  const { count, last } = missed()
  const total = Math.max(count, 1)
  const lastMissed = last ?? due
  if (policy === 'skip') return { run: false, skipped: span('too-late', total, due, lastMissed), nextRunAtMs: after(now) }
  if (policy === 'runOnce') {
    const skipped = total > 1 ? span('missed', total - 1, after(due) ?? lastMissed, lastMissed) : undefined
    return { run: true, ...(skipped ? { skipped } : {}), nextRunAtMs: after(now) }
  }
  // reschedule: one catch-up later, or the next regular fire if it comes first.
  const catchUp = now + input.catchUpDelayMs
  const regular = after(now)
  if (regular !== undefined && regular <= catchUp) return { run: false, skipped: span('missed', total, due, lastMissed), nextRunAtMs: regular }
  const skipped = total > 1 ? span('missed', total - 1, due, countOccurrences(schedule, due, lastMissed - 1, ctx).last ?? due) : undefined
  return { run: false, ...(skipped ? { skipped } : {}), nextRunAtMs: catchUp }
}
