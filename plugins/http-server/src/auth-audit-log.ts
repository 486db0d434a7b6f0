import type { Logger } from '@openclaw/plugin-sdk'

/** Lines logged per minute at most, all clients together; the rest are counted and summarised. */
export const AUTH_LOG_LINES_PER_MINUTE = 20
const MINUTE_MS = 60_000

/**
 * The trace failed authentications leave in the log, rate-limited so that a flood of guesses cannot
 * flood the log: a client's first failure in its window and its lockout are logged (warn), at most
 * {@link AUTH_LOG_LINES_PER_MINUTE} lines a minute; what was left out is counted in the next line.
 * Never the credential presented, only the client address, the scope and the counts.
 */
export class AuthAuditLog {
  #minuteStart = Number.NEGATIVE_INFINITY
  #lines = 0
  #suppressed = 0

  constructor(
    private readonly log: Logger,
    /** `gateway` or `hooks`: which credential was guessed. */
    private readonly scope: string,
    private readonly options: { readonly lockoutMs: number; readonly now: () => number },
  ) {}

  /** The `AuthLimiter` `onFailure` callback. */
  readonly onFailure = (client: string, failures: number, lockedNow: boolean): void => {
    if (lockedNow) {
      this.#emit({ client, scope: this.scope, failures, lockoutMs: this.options.lockoutMs }, `client ${client} locked out after ${failures} failed ${this.scope} authentications`)
    } else if (failures === 1) {
      this.#emit({ client, scope: this.scope }, `failed ${this.scope} authentication from ${client}`)
    }
  }

  #emit(fields: Record<string, unknown>, message: string): void {
    const now = this.options.now()
    if (now - this.#minuteStart >= MINUTE_MS) {
      this.#minuteStart = now
      this.#lines = 0
    }
    if (this.#lines >= AUTH_LOG_LINES_PER_MINUTE) {
      this.#suppressed++
      return
    }
    this.#lines++
    const suppressed = this.#suppressed
    this.#suppressed = 0
    this.log.warn({ ...fields, ...(suppressed > 0 ? { suppressed } : {}) }, suppressed > 0 ? `${message} (${suppressed} similar events not logged)` : message)
  }
}
