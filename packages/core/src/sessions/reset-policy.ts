/** `session.reset`: when a channel session starts over by itself (OpenClaw's reset policy). */
export interface SessionResetPolicy {
  /** `none` (default): never; `daily`: at `atHour` each day; `idle`: after `idleMinutes` without a user message. */
  readonly mode: 'none' | 'daily' | 'idle'
  /** The hour of the day (0-23, the gateway host's local time) at which `daily` sessions expire. Default 4. */
  readonly atHour?: number
  /** Minutes without a user message after which an `idle` session expires; with `daily`, whichever comes first. */
  readonly idleMinutes?: number
}

/** What staleness is measured from (epoch ms). */
export interface SessionFreshness {
  /** When the session's current transcript began: created, or last reset. */
  readonly startedAt: number
  /** The last user interaction (a channel message); absent: none recorded, `startedAt` counts. */
  readonly lastInteractionAt?: number
}

export const DEFAULT_RESET_AT_HOUR = 4

/** The most recent `atHour:00` in the host's local time at or before `now` (today's, else yesterday's). */
export function lastDailyBoundary(now: number, atHour: number): number {
  const boundary = new Date(now)
  boundary.setHours(atHour, 0, 0, 0)
  if (boundary.getTime() > now) boundary.setDate(boundary.getDate() - 1)
  return boundary.getTime()
}

/** Does the policy want the session started over before the run at `now`? Why, or `undefined` when it is fresh. */
export function staleReason(session: SessionFreshness, policy: SessionResetPolicy, now: number): 'daily' | 'idle' | undefined {
  if (policy.mode === 'none') return undefined
  if (policy.mode === 'daily' && session.startedAt < lastDailyBoundary(now, policy.atHour ?? DEFAULT_RESET_AT_HOUR)) return 'daily'
  if (policy.idleMinutes !== undefined && now - (session.lastInteractionAt ?? session.startedAt) >= policy.idleMinutes * 60_000) return 'idle'
  return undefined
}

/** Does the policy look at the last interaction (so the inbox worker records it)? */
export function tracksInteraction(policy: SessionResetPolicy): boolean {
  return policy.mode !== 'none' && policy.idleMinutes !== undefined
}
