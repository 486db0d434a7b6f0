import { AUTO_DISABLE_AFTER, backoffMs } from './backoff.js'
import type { SkippedFires } from './plan-fire.js'
import { countOccurrences, nextOccurrence, type CronSchedule, type OccurrenceContext } from './schedule.js'

export interface SettleRunInput {
  readonly schedule: CronSchedule
  readonly ctx: OccurrenceContext
  readonly status: 'ok' | 'error'
  readonly endedAtMs: number
  /** Consecutive errors before this run. */
  readonly consecutiveErrors: number
  /** The job's next fire as the ticker left it (`undefined`: none). */
  readonly nextRunAtMs: number | undefined
  /** The run was asked for by hand (`cron.run`), not by the schedule. */
  readonly manual: boolean
  /**
   * The run's gateway died under it (`errorReason: "interrupted"`): an error of the gateway, not of
   * the job. It counts among the consecutive errors, but a recurring job keeps its next regular fire
   * (no backoff) and a one-shot is not retried (its payload may have had effects already).
   */
  readonly interrupted?: boolean
}

export interface SettledRun {
  readonly consecutiveErrors: number
  readonly nextRunAtMs: number | undefined
  /** Disable the job: a one-shot that is done, or too many failures in a row. */
  readonly disable: boolean
  /** Why the job was disabled automatically. */
  readonly autoDisabledReason?: string
  /** Regular fires that fall inside the backoff, recorded as one `skipped` row. */
  readonly skipped?: SkippedFires
}

/**
 * What a finished run does to its job: a success resets the error count; an error backs a recurring
 * job off (30 s, 1 m, 5 m, 15 m, 60 m: its next fire is the first regular one after that wait) and
 * retries a one-shot after the wait; the 10th failure in a row disables the job. A one-shot that
 * succeeded is done. A manual run of a one-shot that still has its fire ahead leaves it armed. An
 * interrupted run (its gateway died) is an error without backoff, and a one-shot is not retried.
 */
export function settleRun(input: SettleRunInput): SettledRun {
  const { schedule, ctx, endedAtMs: end } = input
  const oneShot = schedule.kind === 'at'
  if (input.status === 'ok') {
    if (oneShot && !(input.manual && input.nextRunAtMs !== undefined)) return { consecutiveErrors: 0, nextRunAtMs: undefined, disable: true }
    return { consecutiveErrors: 0, nextRunAtMs: input.nextRunAtMs, disable: false }
  }
  const errors = input.consecutiveErrors + 1
  if (errors >= AUTO_DISABLE_AFTER) {
    return { consecutiveErrors: errors, nextRunAtMs: undefined, disable: true, autoDisabledReason: `disabled after ${errors} consecutive failures` }
  }
  if (input.interrupted) {
    if (oneShot && !(input.manual && input.nextRunAtMs !== undefined)) return { consecutiveErrors: errors, nextRunAtMs: undefined, disable: true }
    return { consecutiveErrors: errors, nextRunAtMs: input.nextRunAtMs, disable: false }
  }
  const earliest = end + backoffMs(errors)
  if (oneShot) return { consecutiveErrors: errors, nextRunAtMs: input.manual ? input.nextRunAtMs : earliest, disable: false }
  const planned = input.nextRunAtMs
  if (planned === undefined || planned >= earliest) return { consecutiveErrors: errors, nextRunAtMs: planned, disable: false }
  const next = nextOccurrence(schedule, earliest - 1, ctx)
  const { count, last } = countOccurrences(schedule, planned, (next ?? earliest) - 1, ctx)
  const skipped = count > 0 ? { reason: 'backoff' as const, count, firstAtMs: planned, lastAtMs: last ?? planned } : undefined
  return { consecutiveErrors: errors, nextRunAtMs: next, disable: false, ...(skipped ? { skipped } : {}) }
}
