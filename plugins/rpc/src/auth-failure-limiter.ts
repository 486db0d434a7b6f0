import { z } from 'zod'

/** `gateway.authRateLimit` (owned by `core:http`); the WebSocket handshake applies the same limits. */
const AuthRateLimitSchema = z.looseObject({
  authRateLimit: z
    .looseObject({
      maxFailures: z.number().int().positive().default(10),
      windowMs: z.number().int().positive().default(60_000),
      lockoutMs: z.number().int().positive().default(60_000),
    })
    .prefault({}),
})

interface ClientState {
  failures: number
  windowStart: number
  lockedUntil: number
}

/** Clients tracked at most; the oldest are forgotten first. */
const MAX_CLIENTS = 10_000

/**
 * Counts failed handshakes per client IP. After `maxFailures` within `windowMs` the IP is locked out
 * for `lockoutMs`; a successful handshake clears its count. Only wrong credentials count.
 */
export class AuthFailureLimiter {
  readonly #clients = new Map<string, ClientState>()
  readonly #maxFailures: number
  readonly #windowMs: number
  readonly #lockoutMs: number

  constructor(
    gatewayConfig: unknown,
    private readonly now: () => number,
  ) {
    const limits = AuthRateLimitSchema.parse(gatewayConfig ?? {}).authRateLimit
    this.#maxFailures = limits.maxFailures
    this.#windowMs = limits.windowMs
    this.#lockoutMs = limits.lockoutMs
  }

  /** Milliseconds the IP must still wait, or 0. */
  lockedFor(ip: string): number {
    const state = this.#clients.get(ip)
    if (state === undefined || state.lockedUntil === 0) return 0
    const left = state.lockedUntil - this.now()
    if (left > 0) return left
    this.#clients.delete(ip)
    return 0
  }

  fail(ip: string): void {
    const now = this.now()
    let state = this.#clients.get(ip)
    if (state === undefined || now - state.windowStart >= this.#windowMs) {
      if (state === undefined && this.#clients.size >= MAX_CLIENTS) this.#clients.delete(this.#clients.keys().next().value!)
      state = { failures: 0, windowStart: now, lockedUntil: 0 }
      this.#clients.set(ip, state)
    }
    state.failures++
    if (state.failures >= this.#maxFailures) state.lockedUntil = now + this.#lockoutMs
  }

  succeed(ip: string): void {
    if (this.#clients.size !== 0) this.#clients.delete(ip)
  }
}
