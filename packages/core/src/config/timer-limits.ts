import { z } from 'zod'

/**
 * The longest delay Node's timers accept (2^31 - 1 ms, about 24.8 days). A longer one does not wait
 * longer: Node fires it after 1 ms with a TimeoutOverflowWarning, so a huge timeout acts as none.
 */
export const MAX_TIMER_MS = 2_147_483_647

/** {@link MAX_TIMER_MS} in whole seconds, for settings given in seconds. */
export const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000)

/** A duration in milliseconds that feeds a timer: an integer no longer than Node's timer limit. */
export function timerMs() {
  return z.number().int().max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest timer Node.js supports`)
}

/** A duration in seconds that feeds a timer (converted to milliseconds): no longer than Node's timer limit. */
export function timerSeconds() {
  return z.number().max(MAX_TIMER_SECONDS, `must be at most ${MAX_TIMER_SECONDS} s (about 24.8 days), the longest timer Node.js supports`)
}
