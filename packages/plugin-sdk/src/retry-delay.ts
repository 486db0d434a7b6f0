export interface RetryDelayOptions {
  /** Delay before the first retry, doubled for each one after. */
  readonly baseDelayMs: number
  /** The backoff never waits longer than this (Retry-After may). */
  readonly maxDelayMs: number
}

/**
 * How long to wait before retry number `attempt + 1`: the provider's Retry-After when it sent one,
 * else exponential backoff (`base · 2^attempt`, capped) minus up to 25 % jitter.
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, options: RetryDelayOptions, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return retryAfterMs
  const backoff = Math.min(options.baseDelayMs * 2 ** attempt, options.maxDelayMs)
  return Math.round(backoff * (1 - random() * 0.25))
}

/**
 * The wait a response asks for, in ms: `retry-after-ms` (OpenAI, Anthropic), else `retry-after` in
 * seconds or as an HTTP date. `undefined` when neither is present or readable.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms')
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms)
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value)
  }
  const after = headers.get('retry-after')?.trim()
  if (after === undefined || after === '') return undefined
  if (/^\d+(\.\d+)?$/.test(after)) return Math.ceil(Number(after) * 1000)
  const date = Date.parse(after)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
