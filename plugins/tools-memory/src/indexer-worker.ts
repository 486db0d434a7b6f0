// The indexer's worker thread: reads, hashes, chunks and (with the local model) embeds memory files,
// so none of that CPU work runs on the gateway's event loop. (ANN builds run in a child process:
// usearch's native addon does not load in worker threads.)
import { readFile, stat } from 'node:fs/promises'
import { parentPort } from 'node:worker_threads'
import { contentHash } from './content-hash.js'
import { hashingEmbed } from './hashing-embedder.js'
import type { FileResult, WorkerRequest, WorkerResponse } from './indexer-protocol.js'
import { chunkMarkdown } from './markdown-chunker.js'

const BATCH = 16

async function indexFile(request: Extract<WorkerRequest, { type: 'chunk' }>, file: (typeof request.files)[number]): Promise<FileResult> {
  let content: string
  let mtimeMs: number
  try {
    const [buffer, info] = await Promise.all([readFile(file.absolute), stat(file.absolute)])
    content = buffer.toString('utf8')
    mtimeMs = info.mtimeMs
  } catch {
    return { display: file.display, status: 'missing' }
  }
  const hash = contentHash(content)
  if (hash === file.knownHash) return { display: file.display, status: 'unchanged' }
  const chunks = chunkMarkdown(content, { tokens: request.tokens, overlap: request.overlap }).map((c) => ({
    startLine: c.startLine, endLine: c.endLine, text: c.text, indexText: c.indexText, hash: contentHash(c.indexText),
  }))
  if (request.hashingDims === 0) return { display: file.display, status: 'indexed', hash, mtimeMs, chunks }
  const vectors = new Float32Array(chunks.length * request.hashingDims)
  chunks.forEach((c, i) => vectors.set(hashingEmbed(c.indexText, request.hashingDims), i * request.hashingDims))
  return { display: file.display, status: 'indexed', hash, mtimeMs, chunks, vectors }
}

const port = parentPort!
port.on('message', (request: WorkerRequest) => {
  void (async () => {
    try {
      for (let at = 0; at < request.files.length || at === 0; at += BATCH) {
        const results = await Promise.all(request.files.slice(at, at + BATCH).map((f) => indexFile(request, f)))
        const done = at + BATCH >= request.files.length
        const transfer = results.flatMap((r) => (r.status === 'indexed' && r.vectors ? [r.vectors.buffer as ArrayBuffer] : []))
        port.postMessage({ type: 'files', id: request.id, results, done } satisfies WorkerResponse, transfer)
        if (done) break
      }
    } catch (err) {
      port.postMessage({ type: 'error', id: request.id, message: err instanceof Error ? err.message : String(err) } satisfies WorkerResponse)
    }
  })()
})
