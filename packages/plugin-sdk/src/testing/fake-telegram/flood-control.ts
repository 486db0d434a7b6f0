import { BotApiError } from './bot-api-error.js'

/**
 * Telegram's flood limits, to emulate (off unless set): sends beyond them answer
 * `429 Too Many Requests: retry after N` with `parameters.retry_after`, N the seconds until the
 * window has room again. Telegram's documented figures are about 30 messages a second per bot,
 * 1 a second per chat, and 20 a minute per group.
 */
export interface FloodLimits {
  /** Messages a second across all chats. */
  readonly perSecond?: number
  /** Messages a second to one chat. */
  readonly perChatPerSecond?: number
  /** Messages a minute to one group or supergroup. */
  readonly perGroupPerMinute?: number
}

/** The methods that count as messages: sends and edits. */
const LIMITED_METHODS = new Set(['sendmessage', 'sendphoto', 'senddocument', 'editmessagetext', 'editmessagecaption', 'editmessagereplymarkup'])

/** Sliding-window counters for {@link FloodLimits}. */
export class FloodControl {
  private readonly windows = new Map<string, number[]>()

  constructor(private limits: FloodLimits | undefined) {}

  set(limits: FloodLimits | undefined): void {
    this.limits = limits
    this.windows.clear()
  }

  /** Count one call, or throw the 429 it gets. Calls that are not sends and edits pass. */
  check(method: string, chatId: unknown, isGroup: boolean, now = Date.now()): void {
    const limits = this.limits
    if (!limits || !LIMITED_METHODS.has(method.toLowerCase())) return
    const checks: [string, number | undefined, number][] = [
      ['*', limits.perSecond, 1_000],
      [`chat:${String(chatId)}`, limits.perChatPerSecond, 1_000],
      [`group:${String(chatId)}`, isGroup ? limits.perGroupPerMinute : undefined, 60_000],
    ]
    let waitMs = 0
    for (const [key, limit, windowMs] of checks) {
      if (limit === undefined) continue
      const times = this.recent(key, windowMs, now)
      if (times.length >= limit) waitMs = Math.max(waitMs, times[0]! + windowMs - now)
    }
    if (waitMs > 0) {
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000))
      throw new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter })
    }
    for (const [key, limit] of checks) if (limit !== undefined) this.windows.get(key)!.push(now)
  }

  private recent(key: string, windowMs: number, now: number): number[] {
    const times = (this.windows.get(key) ?? []).filter((at) => at > now - windowMs)
    this.windows.set(key, times)
    return times
  }
}
