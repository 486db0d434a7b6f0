import { tokenize } from './tokenize.js'

/** Dimensions of the local hashing-trick embedding. */
export const HASHING_DIMENSIONS = 384
export const HASHING_MODEL = 'local/hashing-384'

/** 32-bit FNV-1a of a string, mixed with a seed (Murmur3's finaliser spreads the low bits). */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * A deterministic embedding with no model: the hashing trick over words and word bigrams (each
 * feature lands in two signed buckets), sublinear term frequency, L2-normalised. Texts that share
 * words get a high cosine; it knows no synonyms. Used by tests, the bench and the scripted model
 * server's `/v1/embeddings`, where no model weights are reachable.
 */
export function hashingEmbed(text: string, dimensions = HASHING_DIMENSIONS): Float32Array {
  const vector = new Float32Array(dimensions)
  const counts = new Map<string, number>()
  const words = tokenize(text)
  for (let i = 0; i < words.length; i++) {
    counts.set(words[i]!, (counts.get(words[i]!) ?? 0) + 1)
    if (i > 0) {
      const bigram = `${words[i - 1]} ${words[i]}`
      counts.set(bigram, (counts.get(bigram) ?? 0) + 0.5)
    }
  }
  for (const [feature, count] of counts) {
    const weight = 1 + Math.log(count)
    for (let k = 0; k < 2; k++) {
      const h = hash32(feature, k)
      vector[h % dimensions]! += (h & 0x80000000 ? -1 : 1) * weight
    }
  }
  let norm = 0
  for (let i = 0; i < dimensions; i++) norm += vector[i]! * vector[i]!
  norm = Math.sqrt(norm)
  if (norm > 0) for (let i = 0; i < dimensions; i++) vector[i]! /= norm
  return vector
}
