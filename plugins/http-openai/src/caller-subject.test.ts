import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { afterAll, describe, expect, it } from 'vitest'
import { loadSubjectKey, SUBJECT_KEY_FILE } from './caller-subject.js'

const root = mkdtempSync(join(tmpdir(), 'openclaw-subject-key-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const WORKER = fileURLToPath(new URL('../test/subject-key-worker.mjs', import.meta.url))
const MODULE = fileURLToPath(new URL('./caller-subject.ts', import.meta.url))

/** Threads that each load the key of a state dir when told to, at a given moment. */
async function startLoaders(count: number): Promise<{ load(stateDir: string): Promise<string[]>; stop(): Promise<void> }> {
  const workers = await Promise.all(Array.from({ length: count }, () => new Promise<Worker>((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { module: MODULE } })
    worker.once('message', () => resolve(worker))
    worker.once('error', reject)
  })))
  return {
    load: (stateDir) => {
      const at = Date.now() + 50
      return Promise.all(workers.map((worker) => new Promise<string>((resolve) => {
        worker.once('message', resolve)
        worker.postMessage({ stateDir, at })
      })))
    },
    stop: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()))
    },
  }
}

describe('loadSubjectKey', () => {
  it('creates the key once (mode 0600) and reads it back after', () => {
    const stateDir = join(root, 'one')
    const key = loadSubjectKey(stateDir)
    expect(key).toHaveLength(32)
    expect(loadSubjectKey(stateDir).equals(key)).toBe(true)
    expect(statSync(join(stateDir, SUBJECT_KEY_FILE)).mode & 0o777).toBe(0o600)
    expect(readdirSync(stateDir)).toEqual([SUBJECT_KEY_FILE])
  })

  it('replaces a corrupt file', () => {
    const stateDir = join(root, 'corrupt')
    loadSubjectKey(stateDir)
    writeFileSync(join(stateDir, SUBJECT_KEY_FILE), 'not hex\n')
    const key = loadSubjectKey(stateDir)
    expect(readFileSync(join(stateDir, SUBJECT_KEY_FILE), 'utf8').trim()).toBe(key.toString('hex'))
  })

  it('gives gateways starting together on one state dir one key (replicas: one idempotency key, one run)', async () => {
    // Before the file appeared whole, a reader could take a racing writer's empty file for a corrupt
    // one and replace it: two keys, in about one round of twenty.
    const loaders = await startLoaders(4)
    try {
      for (let round = 0; round < 40; round++) {
        const stateDir = join(root, `together-${round}`)
        const keys = await loaders.load(stateDir)
        expect(new Set(keys).size).toBe(1)
        expect(readFileSync(join(stateDir, SUBJECT_KEY_FILE), 'utf8').trim()).toBe(keys[0])
        expect(readdirSync(stateDir)).toEqual([SUBJECT_KEY_FILE])
      }
    } finally {
      await loaders.stop()
    }
  }, 60_000)
})
