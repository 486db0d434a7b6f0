import { existsSync } from 'node:fs'

import { createAnnIndex, type AnnIndex } from './ann-build.js'

/** Past this many vectors changed since the last ANN snapshot, the index asks for a rebuild. */
export const DELTA_LIMIT = 2048

export interface VectorHit {
  readonly id: number
  readonly similarity: number
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/**
 * Vector search in the main thread: an HNSW snapshot (usearch, int8, memory-mapped from the file a
 * worker built) plus a small exact "delta" of vectors written since that snapshot, minus tombstones
 * of vectors deleted since. A search never waits for a build; swapping in a new snapshot maps a file.
 */
export class VectorIndex {
  #snapshot: AnnIndex | undefined
  #snapshotSize = 0
  readonly #delta = new Map<number, Float32Array>()
  readonly #tombstones = new Set<number>()

  constructor(readonly dims: number) {}

  /** Use the ANN file at `file` (built by the worker) as the snapshot; forget the delta. */
  swap(file: string | undefined): void {
    const next = file && existsSync(file) ? createAnnIndex(this.dims) : undefined
    if (next && file) next.view(file)
    this.#snapshot = next
    this.#snapshotSize = next ? next.size() : 0
    this.#delta.clear()
    this.#tombstones.clear()
  }

  get size(): number {
    return this.#snapshotSize - this.#tombstones.size + this.#delta.size
  }

  get pending(): number {
    return this.#delta.size + this.#tombstones.size
  }

  needsRebuild(): boolean {
    return this.pending > DELTA_LIMIT
  }

  add(id: number, vector: Float32Array): void {
    this.#delta.set(id, vector)
  }

  remove(id: number): void {
    if (!this.#delta.delete(id)) this.#tombstones.add(id)
  }

  search(query: Float32Array, k: number): VectorHit[] {
    const hits: VectorHit[] = []
    if (this.#snapshot && this.#snapshotSize > 0) {
      const want = Math.min(this.#snapshotSize, k + Math.min(this.#tombstones.size, 4 * k))
      const found = this.#snapshot.search(query, want, 0)
      for (let i = 0; i < found.keys.length; i++) {
        const id = Number(found.keys[i])
        if (!this.#tombstones.has(id)) hits.push({ id, similarity: 1 - found.distances[i]! })
      }
    }
    for (const [id, vector] of this.#delta) hits.push({ id, similarity: dot(query, vector) })
    return hits.sort((a, b) => b.similarity - a.similarity).slice(0, k)
  }
}
