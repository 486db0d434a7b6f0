import { hashingEmbed, HASHING_DIMENSIONS, HASHING_MODEL } from './hashing-embedder.js'

/** Turns texts into unit vectors. `local` embedders run in the indexer worker as well. */
export interface Embedder {
  readonly model: string
  readonly dims: number
  /** `hashing`: the deterministic local function (computed in the worker while indexing). */
  readonly kind: 'hashing' | 'remote'
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>
}

export function createHashingEmbedder(dims = HASHING_DIMENSIONS): Embedder {
  return { model: HASHING_MODEL, dims, kind: 'hashing', embed: async (texts) => texts.map((t) => hashingEmbed(t, dims)) }
}
