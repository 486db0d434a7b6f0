import type { Clock } from '../clock/clock.js'

/**
 * A token bucket: `perSecond` tokens a second, holding at most `burst`. Per replica (a counter in
 * memory, not shared through the store): N replicas on one database may together send N times the
 * rate, so a channel behind a strict limit runs its sends on one replica or declares 1/N of it.
 */
export class TokenBucket {
  readonly #perMs: number
  readonly #burst: number
  #tokens: number
  #at: number

  constructor(
    limit: { readonly perSecond: number; readonly burst?: number | undefined },
    private readonly clock: Clock,
  ) {
    if (!(limit.perSecond > 0)) throw new RangeError(`perSecond must be positive, got ${limit.perSecond}`)
    this.#perMs = limit.perSecond / 1000
    this.#burst = Math.max(1, limit.burst ?? limit.perSecond)
    this.#tokens = this.#burst
    this.#at = clock.now()
  }

  #refill(): void {
    const now = this.clock.now()
    if (now > this.#at) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#perMs)
      this.#at = now
    }
  }

  /** Take one token if there is one: 0. Otherwise nothing is taken and the answer is the wait in ms. */
  take(): number {
    this.#refill()
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return 0
    }
    return this.#untilNext()
  }

  /** Milliseconds until a token is available (0 now), without taking it. */
  wait(): number {
    this.#refill()
    return this.#tokens >= 1 ? 0 : this.#untilNext()
  }

  #untilNext(): number {
    // Rounded to a microsecond first: 0.998 tokens must not wait 2 ms for the last 0.002.
    return Math.ceil(Math.round(((1 - this.#tokens) / this.#perMs) * 1000) / 1000)
  }
}
