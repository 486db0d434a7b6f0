import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { MEM_ERR_INDEXER_FAILED } from './errors.js'
import type { FileResult, FileToIndex, WorkerRequest, WorkerResponse } from './indexer-protocol.js'

type Pending = { onFiles?: (results: readonly FileResult[]) => Promise<void>; resolve: (value: number) => void; reject: (err: Error) => void; chain: Promise<void> }

/**
 * Start the worker: the built `.js` beside this file, or, when running from the `.ts` source (tests,
 * the bench against sources), the source through tsx's loader registered inside the worker.
 */
function spawnWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./indexer-worker.js', import.meta.url))
  const tsx = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')
  const entry = new URL('./indexer-worker.ts', import.meta.url).href
  const boot = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(boot, { eval: true })
}

/** The plugin's side of the indexer worker thread; one request at a time per caller is not required. */
export class IndexerClient {
  #worker: Worker | undefined
  #nextId = 1
  readonly #pending = new Map<number, Pending>()

  #spawn(): Worker {
    if (this.#worker) return this.#worker
    const worker = spawnWorker()
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
    } else {
      // File results are applied in order, one batch after the other.
      pending.chain = pending.chain.then(() => pending.onFiles?.(message.results))
      if (message.done) {
        this.#pending.delete(message.id)
        pending.chain.then(() => pending.resolve(message.results.length), pending.reject)
      }
    }
  }

  #request(build: (id: number) => WorkerRequest, onFiles?: Pending['onFiles']): Promise<number> {
    const worker = this.#spawn()
    const id = this.#nextId++
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { ...(onFiles ? { onFiles } : {}), resolve, reject, chain: Promise.resolve() })
      worker.ref()
      worker.postMessage(build(id))
    }).finally(() => {
      if (this.#pending.size === 0) this.#worker?.unref()
    })
  }

  /** Read, hash, chunk and (with `hashingDims` > 0) embed files in the worker; `onFiles` gets each batch. */
  chunk(files: readonly FileToIndex[], options: { tokens: number; overlap: number; hashingDims: number }, onFiles: (results: readonly FileResult[]) => Promise<void>): Promise<number> {
    return this.#request((id) => ({ type: 'chunk', id, files, ...options }), onFiles)
  }

  async close(): Promise<void> {
    const worker = this.#worker
    this.#worker = undefined
    await worker?.terminate()
  }
}
