import { describe, expect, it } from 'vitest'
import type { Clock } from '../clock/clock.js'
import { TokenBucket } from './token-bucket.js'

function manualClock(): Clock & { t: number } {
  const clock = { t: 1_000_000, now: () => clock.t, setTimeout: () => ({}), clearTimeout: () => {} }
  return clock
}

describe('TokenBucket', () => {
  it('allows a burst, then one token per interval', () => {
    const clock = manualClock()
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, clock)
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0])
    expect(bucket.take()).toBe(500)
    clock.t += 499
    expect(bucket.take()).toBe(1)
    clock.t += 1
    expect(bucket.take()).toBe(0)
  })

  it('never holds more than the burst after a long idle time', () => {
    const clock = manualClock()
    const bucket = new TokenBucket({ perSecond: 10, burst: 2 }, clock)
    clock.t += 60_000
    expect([bucket.take(), bucket.take()]).toEqual([0, 0])
    expect(bucket.take()).toBeGreaterThan(0)
  })

  it('reports a wait without taking a token', () => {
    const clock = manualClock()
    const bucket = new TokenBucket({ perSecond: 1 }, clock)
    expect(bucket.wait()).toBe(0)
    expect(bucket.wait()).toBe(0)
    expect(bucket.take()).toBe(0)
    expect(bucket.wait()).toBe(1000)
  })

  it('refuses a rate that is not positive', () => {
    expect(() => new TokenBucket({ perSecond: 0 }, manualClock())).toThrow(RangeError)
  })
})
