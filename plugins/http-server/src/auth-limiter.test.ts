import { describe, expect, it } from 'vitest'
import { AuthLimiter, MAX_FAILURE_DELAY_MS } from './auth-limiter.js'

function limiter(overrides: Partial<ConstructorParameters<typeof AuthLimiter>[0]> = {}) {
  let now = 1_000_000
  const l = new AuthLimiter({ maxFailures: 3, windowMs: 10_000, lockoutMs: 5_000, failureDelayMs: 100, now: () => now, ...overrides })
  return { l, advance: (ms: number) => (now += ms) }
}

describe('AuthLimiter', () => {
  it('should lock a client out after maxFailures within the window, for lockoutMs', () => {
    const { l, advance } = limiter()
    l.fail('a')
    l.fail('a')
    expect(l.lockedFor('a')).toBe(0)
    l.fail('a')
    expect(l.lockedFor('a')).toBe(5)
    expect(l.lockedFor('b')).toBe(0)
    advance(4_001)
    expect(l.lockedFor('a')).toBe(1)
    advance(1_000)
    expect(l.lockedFor('a')).toBe(0)
    l.fail('a')
    expect(l.lockedFor('a')).toBe(0)
  })

  it('should start a new window once windowMs has passed', () => {
    const { l, advance } = limiter()
    l.fail('a')
    l.fail('a')
    advance(10_000)
    l.fail('a')
    expect(l.lockedFor('a')).toBe(0)
  })

  it('should report each failure, and the one that locks the client out once', () => {
    const events: [string, number, boolean][] = []
    const { l } = limiter({ onFailure: (key, failures, lockedNow) => events.push([key, failures, lockedNow]) })
    for (let i = 0; i < 4; i++) l.fail('a')
    expect(events).toEqual([['a', 1, false], ['a', 2, false], ['a', 3, true], ['a', 4, false]])
  })

  it('should grow the delay with each failure, capped', () => {
    const { l } = limiter({ maxFailures: 100 })
    expect([l.fail('a'), l.fail('a'), l.fail('a')]).toEqual([100, 200, 300])
    for (let i = 0; i < 20; i++) l.fail('a')
    expect(l.fail('a')).toBe(MAX_FAILURE_DELAY_MS)
  })

  it('should track at most maxClients, forgetting the oldest first', () => {
    const { l } = limiter({ maxClients: 2 })
    l.fail('a')
    l.fail('b')
    l.fail('c')
    expect(l.size).toBe(2)
    l.fail('c')
    l.fail('c')
    expect(l.lockedFor('c')).toBe(5)
  })
})
