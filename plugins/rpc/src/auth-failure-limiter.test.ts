import { describe, expect, it } from 'vitest'
import { AuthFailureLimiter } from './auth-failure-limiter.js'

describe('AuthFailureLimiter', () => {
  it('should lock an address out after maxFailures within the window, for lockoutMs', () => {
    let now = 1000
    const limiter = new AuthFailureLimiter({ authRateLimit: { maxFailures: 3, windowMs: 10_000, lockoutMs: 5000 } }, () => now)
    limiter.fail('1.2.3.4')
    limiter.fail('1.2.3.4')
    expect(limiter.lockedFor('1.2.3.4')).toBe(0)
    limiter.fail('1.2.3.4')
    expect(limiter.lockedFor('1.2.3.4')).toBe(5000)
    expect(limiter.lockedFor('5.6.7.8')).toBe(0)
    now += 5000
    expect(limiter.lockedFor('1.2.3.4')).toBe(0)
  })

  it('should forget failures after a success, and after the window', () => {
    let now = 0
    const limiter = new AuthFailureLimiter({ authRateLimit: { maxFailures: 2, windowMs: 1000 } }, () => now)
    limiter.fail('ip')
    limiter.succeed('ip')
    limiter.fail('ip')
    expect(limiter.lockedFor('ip')).toBe(0)
    now = 2000
    limiter.fail('ip')
    expect(limiter.lockedFor('ip')).toBe(0)
  })

  it('should default to 10 failures per minute, as the HTTP server does', () => {
    const limiter = new AuthFailureLimiter(undefined, () => 0)
    for (let i = 0; i < 9; i++) limiter.fail('ip')
    expect(limiter.lockedFor('ip')).toBe(0)
    limiter.fail('ip')
    expect(limiter.lockedFor('ip')).toBe(60_000)
  })
})
