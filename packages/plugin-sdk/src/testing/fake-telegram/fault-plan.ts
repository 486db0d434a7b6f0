import { BotApiError } from './bot-api-error.js'

/**
 * An error answer to inject. `retryAfter` (seconds) goes to `parameters.retry_after`; without
 * `description`, Telegram's usual text for the status is used (`429` → `Too Many Requests: retry
 * after N`, `403` → `Forbidden: bot was blocked by the user`, `400` → `Bad Request: chat not found`).
 */
export interface FakeTelegramFault {
  readonly status: number
  readonly description?: string
  readonly retryAfter?: number
}

/** How many calls a fault applies to. Default 1. `Infinity` keeps it until cleared. */
export interface FaultTimes {
  readonly times?: number
}

/** When a dropped connection is cut: before the method runs (default), or after it took effect. */
export interface DropOptions extends FaultTimes {
  readonly when?: 'before' | 'after'
}

/**
 * When a delay holds a call: before the method runs (default: a slow network, and a client that gives
 * up meanwhile leaves the method unrun), or after it took effect, holding only the answer (Telegram
 * sent the message; the bot has not heard so yet, the window a crash of the bot falls into).
 */
export interface DelayOptions extends FaultTimes {
  readonly when?: 'before' | 'after'
}

const DEFAULT_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Bad Request: chat not found',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
}

/** The error a {@link FakeTelegramFault} answers with. */
export function faultError(fault: FakeTelegramFault): BotApiError {
  const retryAfter = fault.retryAfter ?? (fault.status === 429 ? 1 : undefined)
  const description =
    fault.description ?? (fault.status === 429 ? `Too Many Requests: retry after ${retryAfter}` : (DEFAULT_DESCRIPTIONS[fault.status] ?? 'Error'))
  return new BotApiError(fault.status, description, retryAfter === undefined ? undefined : { retry_after: retryAfter })
}

interface Counted<T> {
  readonly value: T
  remaining: number
}

/** The injected faults, by lower-case method name (`*` matches every method). */
export class FaultPlan {
  private readonly failures = new Map<string, Counted<FakeTelegramFault>[]>()
  /** By `<when>:<method>`. */
  private readonly delays = new Map<string, Counted<number>>()
  private readonly drops = new Map<string, Counted<'before' | 'after'>[]>()

  fail(method: string, fault: FakeTelegramFault, times: number): void {
    push(this.failures, key(method), { value: fault, remaining: times })
  }

  delay(method: string, ms: number, times: number, when: 'before' | 'after' = 'before'): void {
    if (ms <= 0) this.delays.delete(`${when}:${key(method)}`)
    else this.delays.set(`${when}:${key(method)}`, { value: ms, remaining: times })
  }

  drop(method: string, when: 'before' | 'after', times: number): void {
    push(this.drops, key(method), { value: when, remaining: times })
  }

  clear(): void {
    this.failures.clear()
    this.delays.clear()
    this.drops.clear()
  }

  /** The fault for this call, if one is queued (and counts it). */
  takeFailure(method: string): FakeTelegramFault | undefined {
    return take(this.failures, method, () => true)
  }

  /** The added latency for this call at this moment, in milliseconds (and counts it). */
  takeDelay(method: string, when: 'before' | 'after' = 'before'): number {
    for (const name of [key(method), '*'].map((k) => `${when}:${k}`)) {
      const delay = this.delays.get(name)
      if (!delay) continue
      if (--delay.remaining <= 0) this.delays.delete(name)
      return delay.value
    }
    return 0
  }

  /** Whether to cut this call's connection at this moment (and counts it). */
  takeDrop(method: string, when: 'before' | 'after'): boolean {
    return take(this.drops, method, (value) => value === when) !== undefined
  }
}

function key(method: string): string {
  return method === '*' ? '*' : method.toLowerCase()
}

function push<T>(map: Map<string, Counted<T>[]>, name: string, entry: Counted<T>): void {
  const list = map.get(name) ?? []
  list.push(entry)
  map.set(name, list)
}

function take<T>(map: Map<string, Counted<T>[]>, method: string, matches: (value: T) => boolean): T | undefined {
  for (const name of [key(method), '*']) {
    const list = map.get(name)
    const entry = list?.find((candidate) => matches(candidate.value))
    if (!list || !entry) continue
    if (--entry.remaining <= 0) list.splice(list.indexOf(entry), 1)
    return entry.value
  }
  return undefined
}
