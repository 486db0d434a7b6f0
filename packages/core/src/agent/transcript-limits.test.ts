import { describe, expect, it } from 'vitest'
import type { Clock } from '../clock/clock.js'
import { TranscriptTotal } from './transcript-limits.js'

function fakeClock(): Pick<Clock, 'now'> & { advance(ms: number): void } {
  let now = 1_000_000
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

describe('TranscriptTotal', () => {
  it('should sum the store once per ttl and count what was let in meanwhile', async () => {
    let stored = 100
    let sums = 0
    const clock = fakeClock()
    const total = new TranscriptTotal({ totalTranscriptBytes: async () => (sums++, stored) }, clock, 10_000)

    expect(await total.bytes()).toBe(100)
    total.add(50)
    stored = 1_000 // another replica wrote; not seen until the next sum
    clock.advance(9_999)
    expect(await total.bytes()).toBe(150)
    expect(sums).toBe(1)

    clock.advance(1)
    expect(await total.bytes()).toBe(1_000)
    expect(sums).toBe(2)
  })
})
