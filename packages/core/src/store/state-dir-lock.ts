import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { CORE_ERR_STATE_DIR_LOCKED } from '../errors/codes.js'

export const LOCK_FILE = 'gateway.lock'

/** Who holds a state directory, as its lock file says. */
interface LockOwner {
  readonly pid: number
  readonly since: string
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>
    return typeof owner.pid === 'number' ? { pid: owner.pid, since: String(owner.since ?? 'unknown') } : undefined
  } catch {
    return undefined
  }
}

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Exclusive use of a state directory by one gateway (a running `openclaw gateway`, or `openclaw agent
 * --local`): two kernels on one SQLite file would each run their own session queues, so turns of one
 * session would interleave, and both would deliver the outbox. The lock is a file holding the owner's
 * pid, created exclusively; one left by a process that is gone (killed, crashed) is taken over.
 */
export class StateDirLock {
  #released = false
  readonly #onExit = () => this.release()

  private constructor(readonly path: string) {
    // A crash still runs 'exit' handlers; SIGKILL does not, and then the pid check finds the lock stale.
    process.once('exit', this.#onExit)
  }

  static acquire(stateDir: string): StateDirLock {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 })
    const path = join(stateDir, LOCK_FILE)
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600)
        try {
          writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }))
        } finally {
          closeSync(fd)
        }
        return new StateDirLock(path)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err
        const owner = readOwner(path)
        if (owner !== undefined && alive(owner.pid)) throw new CORE_ERR_STATE_DIR_LOCKED(stateDir, owner.pid, owner.since)
        // Left behind by a process that is gone (or half written): take it over.
        unlinkSync(path)
      }
    }
  }

  release(): void {
    if (this.#released) return
    this.#released = true
    process.off('exit', this.#onExit)
    try {
      unlinkSync(this.path)
    } catch {
      // Already gone: nothing to release.
    }
  }
}
