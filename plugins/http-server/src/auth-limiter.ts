export interface AuthLimiterOptions {
  /** Failures within `windowMs` that lock a client out. */
  readonly maxFailures: number
  readonly windowMs: number
  readonly lockoutMs: number
  /** Each failure is answered `failureDelayMs × failures so far` later, capped at {@link MAX_FAILURE_DELAY_MS}. */
  readonly failureDelayMs: number
  /** Clients tracked at most; the oldest are forgotten first. Default 10 000. */
  readonly maxClients?: number
  readonly now: () => number
  /** Told of every counted failure: the client's failures in this window, and whether this one locked it out. */
  readonly onFailure?: (key: string, failures: number, lockedNow: boolean) => void
}

interface ClientState {
  failures: number
  windowStart: number
  lockedUntil: number
}

export const MAX_FAILURE_DELAY_MS = 1000

/**
 * Counts failed authentications per client key (IP and credential scope). After `maxFailures`
 * within `windowMs` the client is locked out for `lockoutMs` (what a locked-out client may still do is
 * `checkCredential`'s rule). Failures expire with their window; a success does not clear them.
 */
export class AuthLimiter {
  readonly #clients = new Map<string, ClientState>()
  readonly #maxClients: number

  constructor(private readonly options: AuthLimiterOptions) {
    this.#maxClients = options.maxClients ?? 10_000
  }

  /** Whole seconds the client must still wait, or 0 when it is not locked out. */
  lockedFor(key: string): number {
    if (this.#clients.size === 0) return 0
    const state = this.#clients.get(key)
    if (state === undefined || state.lockedUntil === 0) return 0
    const left = state.lockedUntil - this.options.now()
    if (left > 0) return Math.ceil(left / 1000)
    this.#clients.delete(key)
    return 0
  }

  /** Record a failure; returns how many milliseconds to wait before answering it. */
  fail(key: string): number {
    const now = this.options.now()
    let state = this.#clients.get(key)
    if (state === undefined || now - state.windowStart >= this.options.windowMs) {
      if (state === undefined) this.#makeRoom(now)
      state = { failures: 0, windowStart: now, lockedUntil: 0 }
      this.#clients.set(key, state)
    }
    state.failures++
    const wasLocked = state.lockedUntil > now
    if (state.failures >= this.options.maxFailures) state.lockedUntil = now + this.options.lockoutMs
    this.options.onFailure?.(key, state.failures, !wasLocked && state.lockedUntil > now)
    return Math.min(this.options.failureDelayMs * state.failures, MAX_FAILURE_DELAY_MS)
  }

  /** Clients currently tracked. */
  get size(): number {
    return this.#clients.size
  }

  #makeRoom(now: number): void {
    if (this.#clients.size < this.#maxClients) return
    for (const [key, state] of this.#clients) {
      if (state.lockedUntil <= now && now - state.windowStart >= this.options.windowMs) this.#clients.delete(key)
    }
    while (this.#clients.size >= this.#maxClients) this.#clients.delete(this.#clients.keys().next().value!)
  }
}
