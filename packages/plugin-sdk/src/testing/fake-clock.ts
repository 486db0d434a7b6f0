import type { Clock, ClockTimer } from '@openclaw/core'

/** A clock that moves only when told to; timers fire as `advance()` passes them. */
export interface FakeClock extends Clock {
  /** Move time forward, firing due timers in order. */
  advance(ms: number): void
  set(now: number): void
}

interface Timer extends ClockTimer {
  at: number
  fn: () => void
  cancelled: boolean
}

/**
 * A fake clock that starts at the real current time (so deadlines computed from `Date.now()` elsewhere
 * stay in the future), or at `start`.
 */
export function createFakeClock(start: number = Date.now()): FakeClock {
  let now = start
  const timers: Timer[] = []
  const fire = () => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at)
      const next = timers[0]
      if (!next || next.at > now) return
      timers.shift()
      if (!next.cancelled) next.fn()
    }
  }
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const timer: Timer = { at: now + Math.max(0, ms), fn, cancelled: false, unref: () => timer }
      timers.push(timer)
      return timer
    },
    clearTimeout(timer) {
      ;(timer as Timer).cancelled = true
    },
    advance(ms) {
      now += ms
      fire()
    },
    set(value) {
      now = value
      fire()
    },
  }
}
