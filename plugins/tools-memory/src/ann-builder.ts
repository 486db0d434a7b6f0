import { fork } from 'node:child_process'
import { appendFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { MEM_ERR_INDEXER_FAILED } from './errors.js'

/**
 * Build an ANN file in a child process from pages of `{ id, vector }`, streamed to two temp files
 * page by page (never one large copy on the event loop); resolves when `file` is written.
 */
export async function buildAnnInChild(dims: number, pages: AsyncIterable<readonly { id: number; vector: Float32Array }[]>, file: string): Promise<number> {
  const keysFile = `${file}.keys`
  const vectorsFile = `${file}.vectors`
  await Promise.all([writeFile(keysFile, new Uint8Array(0)), writeFile(vectorsFile, new Uint8Array(0))])
  let count = 0
  for await (const page of pages) {
    const keys = BigUint64Array.from(page, (r) => BigInt(r.id))
    const vectors = new Float32Array(page.length * dims)
    page.forEach((r, i) => vectors.set(r.vector, i * dims))
    await Promise.all([appendFile(keysFile, new Uint8Array(keys.buffer)), appendFile(vectorsFile, new Uint8Array(vectors.buffer))])
    count += page.length
  }
  const source = import.meta.url.endsWith('.ts')
  const entry = new URL(source ? './ann-build-process.ts' : './ann-build-process.js', import.meta.url)
  const execArgv = source ? ['--import', pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs')).href] : []
  try {
    await new Promise<void>((resolve, reject) => {
      const child = fork(entry, [String(dims), keysFile, vectorsFile, file], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
      let stderr = ''
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()).slice(-2000))
      child.on('error', reject)
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new MEM_ERR_INDEXER_FAILED(`the ANN build exited with code ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`))))
    })
  } finally {
    await Promise.all([rm(keysFile, { force: true }), rm(vectorsFile, { force: true })])
  }
  return count
}
