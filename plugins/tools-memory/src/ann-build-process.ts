// A child process that builds one ANN index file: usearch's native addon does not load in worker
// threads, and a build of 100,000 vectors takes seconds of CPU that must not run on the event loop.
// argv: <dims> <keys file (u64 LE)> <vectors file (f32 LE)> <out file>
import { readFileSync } from 'node:fs'
import { buildAnnFile } from './ann-build.js'

const [dims, keysFile, vectorsFile, out] = process.argv.slice(2)
const keys = readFileSync(keysFile!)
const vectors = readFileSync(vectorsFile!)
buildAnnFile(
  Number(dims),
  new BigUint64Array(keys.buffer, keys.byteOffset, keys.byteLength / 8),
  new Float32Array(vectors.buffer, vectors.byteOffset, vectors.byteLength / 4),
  out!,
)
