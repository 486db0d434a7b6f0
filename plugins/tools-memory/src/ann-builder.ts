import { fork } from 'node:child_process'
import { rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { MEM_ERR_INDEXER_FAILED } from './errors.js'

/** Build an ANN file from `keys`/`vectors` in a child process; resolves when `file` is written. */
export async function buildAnnInChild(dims: number, keys: BigUint64Array, vectors: Float32Array, file: string): Promise<void> {
  const keysFile = `${file}.keys`
  const vectorsFile = `${file}.vectors`
  await writeFile(keysFile, new Uint8Array(keys.buffer, keys.byteOffset, keys.byteLength))
  await writeFile(vectorsFile, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength))
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
}
