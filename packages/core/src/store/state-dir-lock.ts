import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { CORE_ERR_STATE_DIR_LOCKED } from '../errors/codes.js'
import { putFileWhole } from './put-file-whole.js'

export const LOCK_FILE = 'gateway.lock'
/** Held (created exclusively) by the one starter that removes a stale lock; gone again within milliseconds. */
const TAKEOVER_FILE = `${LOCK_FILE}.takeover`
/** A takeover file older than this was left by a starter that died mid-takeover. */
const STALE_TAKEOVER_MS = 10_000
/** Attempts before giving up while other starters race for the lock. */
const MAX_ATTEMPTS = 200

/** Who holds a state directory, as its lock file says. */
interface LockOwner {
  readonly pid: number
  readonly since: string
}

/** No lock file at all: a starter may create one (nothing to take over). */
const MISSING = Symbol('missing')

/**
 * Who holds a state directory, as its lock file says: `MISSING` when there is no file, `undefined`
 * when there is one that cannot be read (a lock is linked into place whole, so it is a broken one).
 */
function readOwner(path: string): LockOwner | typeof MISSING | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if (code(err) === 'ENOENT') return MISSING
    return undefined
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>
    return typeof owner.pid === 'number' ? { pid: owner.pid, since: String(owner.since ?? 'unknown') } : undefined
  } catch {
    return undefined
  }
}

/** A lock file that names a living process. */
function held(owner: LockOwner | typeof MISSING | undefined): owner is LockOwner {
  return owner !== undefined && owner !== MISSING && alive(owner.pid)
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

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path)
  } catch (err) {
    if (code(err) !== 'ENOENT') throw err
  }
}

/**
 * Exclusive use of a state directory by one gateway (a running `openclaw gateway`, or `openclaw agent
 * --local`): two kernels on one SQLite file would each run their own session queues, so turns of one
 * session would interleave, and both would deliver the outbox. The lock is a file holding the owner's
 * pid, created atomically (temp file + `link`); one left by a process that is gone (killed, crashed)
 * is taken over. Only the starter holding the takeover file may remove a stale lock, and it checks
 * again, holding it, that the lock is still the stale one: several starters racing over one stale
 * lock end with exactly one owner.
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
    const takeover = join(stateDir, TAKEOVER_FILE)
    const content = JSON.stringify({ pid: process.pid, since: new Date().toISOString() })
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (putFileWhole(path, content, { replace: false })) return new StateDirLock(path)
      const owner = readOwner(path)
      if (held(owner)) throw new CORE_ERR_STATE_DIR_LOCKED(stateDir, owner.pid, owner.since)
      // Gone since the create failed (another starter took a stale one away): try to create it again.
      if (owner === MISSING) continue
      // Stale (or unreadable): take it over, one starter at a time.
      let fd: number
      try {
        fd = openSync(takeover, 'wx', 0o600)
      } catch (err) {
        if (code(err) !== 'EEXIST') throw err
        try {
          if (Date.now() - statSync(takeover).mtimeMs > STALE_TAKEOVER_MS) unlinkIfPresent(takeover)
        } catch (statErr) {
          if (code(statErr) !== 'ENOENT') throw statErr
        }
        sleep(1 + (attempt % 5))
        continue
      }
      try {
        writeSync(fd, String(process.pid))
        closeSync(fd)
        // Holding the takeover file, nobody else removes the lock: if it is still stale, it goes. A lock
        // that is missing is not removed: another starter may create it between this read and an
        // unlink, and would then lose it to this one (two owners).
        const current = readOwner(path)
        if (held(current)) throw new CORE_ERR_STATE_DIR_LOCKED(stateDir, current.pid, current.since)
        if (current !== MISSING) unlinkIfPresent(path)
      } finally {
        unlinkIfPresent(takeover)
      }
    }
    const owner = readOwner(path)
    const known = owner !== undefined && owner !== MISSING ? owner : undefined
    throw new CORE_ERR_STATE_DIR_LOCKED(stateDir, known?.pid ?? 0, known?.since ?? 'unknown')
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
