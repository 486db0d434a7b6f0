import { tokenize } from './tokenize.js'

/** OpenClaw's documented and shipped defaults (memory-core, 2026.9.6). */
export const RANKING_DEFAULTS = {
  vectorWeight: 0.7,
  textWeight: 0.3,
  candidateMultiplier: 4,
  mmrLambda: 0.7,
  halfLifeDays: 30,
  rrfK: 60,
} as const

/** A search candidate from one retrieval leg. */
export interface Candidate {
  readonly id: number
  /** Cosine similarity in [-1, 1] (vector leg). */
  readonly vectorScore?: number
  /** BM25 as FTS5 reports it: lower (more negative) is better (keyword leg). */
  readonly bm25?: number
}

export interface RankingOptions {
  readonly mode: 'weighted' | 'rrf'
  readonly vectorWeight: number
  readonly textWeight: number
  readonly rrfK: number
}

/** A BM25 score (FTS5: negative, lower is better) mapped onto [0, 1): r / (1 + r), for a single score. */
export function bm25ToScore(bm25: number): number {
  const r = Math.max(0, -bm25)
  return r / (1 + r)
}

/**
 * Merge the keyword and vector legs into one relevance per chunk. `weighted` (OpenClaw's default):
 * `vectorWeight × cosine + textWeight × bm25 / best bm25`. `rrf`: reciprocal rank fusion, Σ 1/(k + rank),
 * scaled so the best possible score (first in both legs) is 1.
 */
export function mergeHybrid(keyword: readonly Candidate[], vector: readonly Candidate[], options: RankingOptions): Map<number, number> {
  const scores = new Map<number, number>()
  if (options.mode === 'rrf') {
    const add = (list: readonly Candidate[]) => list.forEach((c, rank) => scores.set(c.id, (scores.get(c.id) ?? 0) + 1 / (options.rrfK + rank + 1)))
    add(keyword)
    add(vector)
    const legs = (keyword.length > 0 ? 1 : 0) + (vector.length > 0 ? 1 : 0)
    const best = legs / (options.rrfK + 1)
    for (const [id, s] of scores) scores.set(id, best > 0 ? s / best : 0)
    return scores
  }
  // One leg alone ranks by its own score at full weight ("if only one path is available, the other runs alone").
  const vw = keyword.length === 0 ? 1 : options.vectorWeight
  const tw = vector.length === 0 ? 1 : options.textWeight
  for (const c of vector) scores.set(c.id, vw * Math.max(0, c.vectorScore ?? 0))
  // BM25 is relative to the corpus (tiny corpora give near-zero scores): normalise by the best match.
  const best = Math.max(0, ...keyword.map((c) => -(c.bm25 ?? 0)))
  for (const c of keyword) scores.set(c.id, (scores.get(c.id) ?? 0) + tw * (best > 0 ? Math.max(0, -(c.bm25 ?? 0)) / best : 1))
  return scores
}

const DATED = /(?:^|\/)(\d{4})-(\d{2})-(\d{2})(?:-[^/]*)?\.md$/i

/** The date of a dated note (`memory/2026-01-31.md`, `…/2026-01-31-standup.md`), else undefined (evergreen). */
export function noteDate(path: string): number | undefined {
  const m = DATED.exec(path)
  if (!m) return undefined
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return Number.isNaN(at) ? undefined : at
}

/** Recency multiplier: 0.5^(age / half-life) for dated notes, 1 for evergreen ones and the future. */
export function recencyDecay(path: string, now: number, halfLifeDays: number): number {
  const at = noteDate(path)
  if (at === undefined || halfLifeDays <= 0) return 1
  const ageDays = (now - at) / 86_400_000
  return ageDays <= 0 ? 1 : 0.5 ** (ageDays / halfLifeDays)
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0
  let shared = 0
  for (const t of a) if (b.has(t)) shared++
  return shared / (a.size + b.size - shared)
}

/**
 * Maximal marginal relevance: pick, one by one, the item maximising `λ·score − (1−λ)·max overlap with
 * those already picked`, overlap being the Jaccard similarity of snippet tokens. Reorders only; scores
 * stay as they were. O(k²) over the candidates.
 */
export function mmrOrder<T extends { readonly score: number; readonly text: string }>(items: readonly T[], lambda: number, limit: number): T[] {
  const pool = items.map((item) => ({ item, tokens: new Set(tokenize(item.text)) }))
  const picked: typeof pool = []
  while (picked.length < limit && pool.length > 0) {
    let best = 0
    let bestValue = -Infinity
    for (let i = 0; i < pool.length; i++) {
      let overlap = 0
      for (const p of picked) overlap = Math.max(overlap, jaccard(pool[i]!.tokens, p.tokens))
      const value = lambda * pool[i]!.item.score - (1 - lambda) * overlap
      if (value > bestValue) {
        bestValue = value
        best = i
      }
    }
    picked.push(pool.splice(best, 1)[0]!)
  }
  return picked.map((p) => p.item)
}
