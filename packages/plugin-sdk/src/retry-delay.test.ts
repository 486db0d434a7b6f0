import { describe, expect, it } from 'vitest'
import { parseRetryAfter, retryDelay } from './retry-delay.js'

const options = { baseDelayMs: 500, maxDelayMs: 8000 }

describe('retryDelay', () => {
  it('should double the delay for each attempt, up to the cap', () => {
    const noJitter = () => 0
    expect([0, 1, 2, 3, 4, 5].map((attempt) => retryDelay(attempt, undefined, options, noJitter))).toEqual([500, 1000, 2000, 4000, 8000, 8000])
  })

  it('should take off at most 25 % as jitter', () => {
    expect(retryDelay(1, undefined, options, () => 0.999)).toBe(750)
    expect(retryDelay(1, undefined, options, () => 0.5)).toBe(875)
  })

  it("should use the provider's Retry-After as-is", () => {
    expect(retryDelay(3, 50, options, () => 0.9)).toBe(50)
  })
})

describe('parseRetryAfter', () => {
  it('should read retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '50', 'retry-after': '9' }))).toBe(50)
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '12.3' }))).toBe(13)
  })

  it('should read retry-after in seconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2000)
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }))).toBe(500)
  })

  it('should read retry-after as an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:03 GMT' }), now)).toBe(3000)
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:27:00 GMT' }), now)).toBe(0)
  })

  it('should ignore missing and unreadable values', () => {
    expect(parseRetryAfter(new Headers())).toBeUndefined()
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon', 'retry-after-ms': 'x' }))).toBeUndefined()
  })
})
