import { CORE_ERR_STORE_LOCK_TIMEOUT } from '../errors/codes.js'

interface Waiter {
  readonly resolve: () => void
  readonly reject: (err: unknown) => void
  timer: NodeJS.Timeout | undefined
  /** Gave up waiting (timed out): skipped when the lock is handed on. */
  cancelled: boolean
}

const RESOLVED = Promise.resolve()

/**
 * Exclusive use of one database connection, handed on in arrival order. A SQLite store has one
 * connection: a transaction holds this lock from `BEGIN` to `COMMIT`, so queries of concurrent turns
 * wait instead of landing inside it. A waiter that waits longer than `timeoutMs` fails with
 * `CORE_ERR_STORE_LOCK_TIMEOUT` (the usual cause: querying the store from inside its own transaction).
 */
export class ConnectionLock {
  #held = false
  readonly #waiters: Waiter[] = []
  #head = 0

  constructor(private readonly timeoutMs: number) {}

  /** True while someone holds the lock. */
  get held(): boolean {
    return this.#held
  }

  /** Take the lock now if it is free: true when taken. */
  tryAcquire(): boolean {
    if (this.#held) return false
    this.#held = true
    return true
  }

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true
      return RESOLVED
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined, cancelled: false }
      waiter.timer = setTimeout(() => {
        waiter.cancelled = true
        reject(new CORE_ERR_STORE_LOCK_TIMEOUT(this.timeoutMs))
      }, this.timeoutMs)
      waiter.timer.unref?.()
      this.#waiters.push(waiter)
    })
  }

  /** Hand the lock to the next waiter, or free it. */
  release(): void {
    while (this.#head < this.#waiters.length) {
      const waiter = this.#waiters[this.#head]!
      this.#waiters[this.#head++] = undefined as unknown as Waiter
      if (this.#head > 1024 && this.#head * 2 > this.#waiters.length) {
        this.#waiters.splice(0, this.#head)
        this.#head = 0
      }
      if (waiter.cancelled) continue
      clearTimeout(waiter.timer)
      waiter.resolve()
      return
    }
    this.#waiters.length = 0
    this.#head = 0
    this.#held = false
  }

  /** Run `fn` holding the lock. */
  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await fn()
    } finally {
      this.release()
    }
  }
}
