/** OpenClaw's retry backoff after consecutive errors of a job: 30 s, 1 m, 5 m, 15 m, then 60 m. */
export const BACKOFF_MS: readonly number[] = [30_000, 60_000, 300_000, 900_000, 3_600_000]

/** A job is disabled after this many consecutive failures, with the reason in its state. */
export const AUTO_DISABLE_AFTER = 10

/** How long to wait after the `consecutiveErrors`-th error in a row (0 when there is none). */
export function backoffMs(consecutiveErrors: number): number {
  if (consecutiveErrors <= 0) return 0
  return BACKOFF_MS[Math.min(consecutiveErrors, BACKOFF_MS.length) - 1]!
}
