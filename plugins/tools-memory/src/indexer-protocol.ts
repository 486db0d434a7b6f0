/** Messages between the plugin and its indexer worker thread. */

export interface FileToIndex {
  readonly absolute: string
  readonly display: string
  /** The content hash indexed last time; an unchanged file is skipped. */
  readonly knownHash?: string
}

export interface IndexedChunk {
  readonly startLine: number
  readonly endLine: number
  readonly text: string
  readonly indexText: string
  readonly hash: string
}

export type WorkerRequest =
  | { readonly type: 'chunk'; readonly id: number; readonly files: readonly FileToIndex[]; readonly tokens: number; readonly overlap: number; readonly hashingDims: number }

/** One file's outcome. `vectors` (hashing embeddings, row-major) is there when `hashingDims > 0`. */
export type FileResult =
  | { readonly display: string; readonly status: 'unchanged' }
  | { readonly display: string; readonly status: 'missing' }
  | { readonly display: string; readonly status: 'indexed'; readonly hash: string; readonly mtimeMs: number; readonly chunks: readonly IndexedChunk[]; readonly vectors?: Float32Array }

export type WorkerResponse =
  | { readonly type: 'files'; readonly id: number; readonly results: readonly FileResult[]; readonly done: boolean }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
