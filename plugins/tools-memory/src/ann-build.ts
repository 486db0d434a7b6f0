import { renameSync } from 'node:fs'
import usearch from 'usearch'

/** HNSW settings: int8 vectors, cosine, M = 16; measured in bench/memory. */
export const ANN_CONFIG = { metric: 'cos', quantization: 'i8', connectivity: 16, expansion_add: 128, expansion_search: 256 } as const

export type AnnIndex = InstanceType<typeof usearch.Index>

export function createAnnIndex(dims: number): AnnIndex {
  return new usearch.Index({ dimensions: dims, ...ANN_CONFIG } as never)
}

/** Build an HNSW index over `vectors` (row-major, `dims` wide) keyed by `keys`, and write it atomically to `file`. */
export function buildAnnFile(dims: number, keys: BigUint64Array, vectors: Float32Array, file: string): void {
  const index = createAnnIndex(dims)
  if (keys.length > 0) index.add(keys, vectors, 2)
  index.save(`${file}.tmp`)
  renameSync(`${file}.tmp`, file)
}
