import { describe, expect, it } from 'vitest'
import { hashingEmbed } from './hashing-embedder.js'
import { mergeHybrid, mmrOrder, recencyDecay, RANKING_DEFAULTS } from './hybrid-ranking.js'

const weighted = { mode: 'weighted' as const, vectorWeight: 0.7, textWeight: 0.3, rrfK: 60 }
const DAY = 86_400_000

describe('ranking', () => {
  it("uses OpenClaw's defaults", () => {
    expect(RANKING_DEFAULTS).toMatchObject({ vectorWeight: 0.7, textWeight: 0.3, candidateMultiplier: 4, mmrLambda: 0.7, halfLifeDays: 30 })
  })

  it('merges 0.7 x cosine + 0.3 x normalised BM25', () => {
    const scores = mergeHybrid([{ id: 1, bm25: -4 }, { id: 2, bm25: -2 }], [{ id: 1, vectorScore: 0.5 }, { id: 3, vectorScore: 0.9 }], weighted)
    expect(scores.get(1)).toBeCloseTo(0.7 * 0.5 + 0.3 * 1)
    expect(scores.get(2)).toBeCloseTo(0.3 * 0.5)
    expect(scores.get(3)).toBeCloseTo(0.7 * 0.9)
  })

  it('gives one leg full weight when the other is empty', () => {
    expect(mergeHybrid([{ id: 1, bm25: -3 }], [], weighted).get(1)).toBeCloseTo(1)
  })

  it('fuses ranks with RRF, 1 for first in both legs', () => {
    const scores = mergeHybrid([{ id: 1 }, { id: 2 }], [{ id: 1 }, { id: 3 }], { ...weighted, mode: 'rrf' })
    expect(scores.get(1)).toBeCloseTo(1)
    expect(scores.get(2)).toBeCloseTo(scores.get(3)!)
    expect(scores.get(2)!).toBeLessThan(0.5)
  })

  it('halves a dated note every 30 days and leaves evergreen files alone', () => {
    const now = Date.UTC(2026, 2, 2)
    expect(recencyDecay('memory/2026-01-31.md', now, 30)).toBeCloseTo(0.5)
    expect(recencyDecay('memory/team/2026-01-31-standup.md', now, 30)).toBeCloseTo(0.5)
    expect(recencyDecay('MEMORY.md', now, 30)).toBe(1)
    expect(recencyDecay('memory/projects.md', now, 30)).toBe(1)
    expect(recencyDecay('memory/2026-03-02.md', now - DAY, 30)).toBe(1)
  })

  it('MMR moves a near-duplicate below a different, slightly less relevant result', () => {
    const items = [
      { id: 'a', score: 0.9, text: 'router config uses port 8080 on the lab router' },
      { id: 'b', score: 0.89, text: 'router config uses port 8080 on the lab router today' },
      { id: 'c', score: 0.8, text: 'the invoice exporter ships on friday' },
    ]
    expect(mmrOrder(items, 0.7, 3).map((i) => i.id)).toEqual(['a', 'c', 'b'])
    expect(mmrOrder(items, 1, 3).map((i) => i.id)).toEqual(['a', 'b', 'c'])
  })

  it('embeds deterministically: 384 unit dims, related texts closer than unrelated ones', () => {
    const a = hashingEmbed('the gateway host is a raspberry pi')
    expect(a).toHaveLength(384)
    expect(hashingEmbed('the gateway host is a raspberry pi')).toEqual(a)
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0)
    expect(dot(a, a)).toBeCloseTo(1)
    expect(dot(a, hashingEmbed('where is the gateway host'))).toBeGreaterThan(dot(a, hashingEmbed('invoice exporter on friday')))
  })
})
