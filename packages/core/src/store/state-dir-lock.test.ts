import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createGateway } from '../gateway.js'
import { createSilentLogger } from '../logging/logger.js'
import { LOCK_FILE, StateDirLock } from './state-dir-lock.js'

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
})
