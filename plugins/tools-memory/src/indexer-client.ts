import { Worker } from 'node:worker_threads'
import { MEM_ERR_INDEXER_FAILED } from './errors.js'
import type { FileResult, FileToIndex, WorkerRequest, WorkerResponse } from './indexer-protocol.js'

type Pending = { onFiles?: (results: readonly FileResult[]) => Promise<void>; resolve: (value: number) => void; reject: (err: Error) => void; chain: Promise<void> }

/** Where the worker's code is: the built `.js` beside this file, or the `.ts` source under tsx (tests). */
function workerEntry(): { url: URL; execArgv: string[] } {
  const source = import.meta.url.endsWith('.ts')
  return { url: new URL(source ? './indexer-worker.ts' : './indexer-worker.js', import.meta.url), execArgv: source ? ['--import', 'tsx'] : [] }
}

/** The plugin's side of the indexer worker thread; one request at a time per caller is not required. */
export class IndexerClient {
  #worker: Worker | undefined
  #nextId = 1
  readonly #pending = new Map<number, Pending>()

  #spawn(): Worker {
    if (this.#worker) return this.#worker
    const { url, execArgv } = workerEntry()
    const worker = new Worker(url, { execArgv })
    worker.unref()
    worker.on('message', (message: WorkerResponse) => this.#onMessage(message))
    const fail = (err: Error) => {
      for (const p of this.#pending.values()) p.reject(new MEM_ERR_INDEXER_FAILED(err.message, { cause: err }))
      this.#pending.clear()
      this.#worker = undefined
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the indexer worker exited with code ${code}`)))
    this.#worker = worker
    return worker
  }

  #onMessage(message: WorkerResponse): void {
    const pending = this.#pending.get(message.id)
    if (!pending) return
    if (message.type === 'error') {
      this.#pending.delete(message.id)
      pending.reject(new MEM_ERR_INDEXER_FAILED(message.message))
    } else if (message.type === 'built') {
      this.#pending.delete(message.id)
      pending.resolve(message.count)
    } else {
      // File results are applied in order, one batch after the other.
      pending.chain = pending.chain.then(() => pending.onFiles?.(message.results))
      if (message.done) {
        this.#pending.delete(message.id)
        pending.chain.then(() => pending.resolve(message.results.length), pending.reject)
      }
    }
  }

  #request(build: (id: number) => WorkerRequest, onFiles?: Pending['onFiles'], transfer: ArrayBuffer[] = []): Promise<number> {
    const worker = this.#spawn()
    const id = this.#nextId++
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { ...(onFiles ? { onFiles } : {}), resolve, reject, chain: Promise.resolve() })
      worker.ref()
      worker.postMessage(build(id), transfer)
    }).finally(() => {
      if (this.#pending.size === 0) this.#worker?.unref()
    })
  }

  /** Read, hash, chunk and (with `hashingDims` > 0) embed files in the worker; `onFiles` gets each batch. */
  chunk(files: readonly FileToIndex[], options: { tokens: number; overlap: number; hashingDims: number }, onFiles: (results: readonly FileResult[]) => Promise<void>): Promise<number> {
    return this.#request((id) => ({ type: 'chunk', id, files, ...options }), onFiles)
  }

  /** Build an ANN index file in the worker (the vectors' buffer is transferred, not copied). */
  buildAnn(dims: number, keys: BigUint64Array, vectors: Float32Array, file: string): Promise<number> {
    return this.#request((id) => ({ type: 'build-ann', id, dims, keys, vectors, file }), undefined, [keys.buffer as ArrayBuffer, vectors.buffer as ArrayBuffer])
  }

  async close(): Promise<void> {
    const worker = this.#worker
    this.#worker = undefined
    await worker?.terminate()
  }
}
