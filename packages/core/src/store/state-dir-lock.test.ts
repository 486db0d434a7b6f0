import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { createGateway } from '../gateway.js'
import { createLogger, createSilentLogger } from '../logging/logger.js'
import { LOCK_FILE, StateDirLock } from './state-dir-lock.js'

/** Loads the race worker's TypeScript in a worker thread, through tsx. */
const RACE_WORKER = `import(${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href)})
  .then(({ tsImport }) => tsImport(${JSON.stringify(new URL('./state-dir-lock-race-worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`

const tmp = () => mkdtempSync(join(tmpdir(), 'openclaw-lock-'))

describe('StateDirLock', () => {
  it('should hold a state directory for one owner until released', () => {
    const dir = tmp()
    const lock = StateDirLock.acquire(dir)
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid })
    expect(() => StateDirLock.acquire(dir)).toThrow(expect.objectContaining({ code: 'CORE_ERR_STATE_DIR_LOCKED', message: expect.stringContaining(`pid ${process.pid}`) }))
    lock.release()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
    StateDirLock.acquire(dir).release()
  })

  it('should take over a lock whose process is gone, or that is unreadable', () => {
    const dir = tmp()
    const gone = spawnSync(process.execPath, ['-e', '']).pid!
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: gone, since: '2026-01-01T00:00:00Z' }))
    StateDirLock.acquire(dir).release()
    writeFileSync(join(dir, LOCK_FILE), '{"pi')
    StateDirLock.acquire(dir).release()
  })
})

describe('StateDirLock under a race', () => {
  it('should give a stale lock to exactly one of 10 starters racing for it, in each of 20 trials', { timeout: 60_000 }, async () => {
    const STARTERS = 10
    const TRIALS = 20
    const gone = spawnSync(process.execPath, ['-e', '']).pid!
    const dirs = Array.from({ length: TRIALS }, () => {
      const dir = tmp()
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: gone, since: '2026-01-01T00:00:00Z' }))
      return dir
    })
    const arrived = new SharedArrayBuffer(4 * TRIALS)
    // Worker threads running the real lock code (TypeScript through tsx); they share this process's
    // pid, so a lock one of them took is alive to the others.
    const workers: Worker[] = []
    // Workers are stopped only once every starter has reported (each waits for that): a worker thread
    // that ended earlier would run its exit handlers, releasing its locks while slower starters still
    // race in the last trial, and two of them would get the lock.
    const results = await Promise.all(Array.from({ length: STARTERS }, () => new Promise<string[]>((resolve, reject) => {
      const worker = new Worker(RACE_WORKER, { eval: true, workerData: { dirs, starters: STARTERS, arrived } })
      workers.push(worker)
      worker.once('message', (outcomes: string[]) => resolve(outcomes))
      worker.once('error', reject)
    }))).finally(() => Promise.all(workers.map((worker) => worker.terminate())))
    for (let trial = 0; trial < TRIALS; trial++) {
      const outcomes = results.map((r) => r[trial])
      expect(outcomes.filter((o) => o === 'acquired'), `trial ${trial}: ${JSON.stringify(outcomes)}`).toHaveLength(1)
      expect(outcomes.filter((o) => o !== 'acquired')).toEqual(Array(STARTERS - 1).fill('CORE_ERR_STATE_DIR_LOCKED'))
    }
  })
})

describe('createGateway and the state directory', () => {
  const open = (stateDir: string) => createGateway({ stateDir, logger: createSilentLogger(), env: {}, config: {} })

  it('should refuse a second gateway on the same state database until the first stops', async () => {
    const dir = tmp()
    const first = await open(dir)
    await expect(open(dir)).rejects.toMatchObject({ code: 'CORE_ERR_STATE_DIR_LOCKED' })
    await first.stop()
    const second = await open(dir)
    await second.stop()
    // An in-memory store shares nothing: no lock.
    const held = StateDirLock.acquire(dir)
    const memory = await createGateway({ stateDir: dir, store: ':memory:', logger: createSilentLogger(), env: {}, config: {} })
    await memory.stop()
    held.release()
  })

  it('should warn at start when the state dir is open to other users, and not when it is 0700', async () => {
    const started = async (dir: string) => {
      const lines: string[] = []
      const gw = await createGateway({ stateDir: dir, env: {}, config: {}, logger: createLogger({ level: 'warn', destination: { write: (line: string) => lines.push(line) } }) })
      await gw.start()
      await gw.stop()
      return lines.map((l) => JSON.parse(l) as { msg: string; mode?: string })
    }
    const dir = tmp()
    chmodSync(dir, 0o755)
    expect((await started(dir)).find((l) => l.msg.includes('open to other users'))).toMatchObject({ mode: '755', msg: expect.stringContaining('chmod 700') })
    chmodSync(dir, 0o700)
    expect((await started(dir)).filter((l) => l.msg.includes('open to other users'))).toEqual([])
  })
})
