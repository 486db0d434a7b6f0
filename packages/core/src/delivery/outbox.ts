import type { Clock } from '../clock/clock.js'
import { CORE_ERR_CHANNEL_UNKNOWN, CORE_ERR_DELIVERY_FAILED } from '../errors/codes.js'
import { hasTaps, type KernelHooks } from '../hooks/kernel-hooks.js'
import type { Logger } from '../logging/logger.js'
import type { DeliveryOutcome } from '../plugins/plugin-api.js'
import type { Registry } from '../registry/registry.js'
import type { DeliveryInFlight } from '../coordination/delivery-in-flight.js'
import type { SqlStore } from '../store/state-store.js'
import type { ChannelDefinition } from '../types/channels.js'
import type { DeliveryReceipt, OutboundMessage } from '../types/messages.js'

export interface OutboxOptions {
  /** Attempts before a message fails for good. */
  readonly maxAttempts?: number
  /** First retry delay; doubles each attempt, capped at `maxDelayMs`, unless the channel says when. */
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
}

interface OutboxRow {
  delivery_key: string
  message: string
  state: 'pending' | 'sent' | 'failed' | 'cancelled'
  attempts: number
  last_error: string | null
  receipt: string | null
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    }, { once: true })
  })
}

/**
 * The durable outbox: a message is written before it is sent and marked once the channel confirms.
 * Sends are retried with backoff (a channel's `retryAfterMs` wins), never repeated for a delivery key
 * that was sent, and a message that fails for good stays visible with its error.
 */
export class Outbox {
  readonly #stopping = new AbortController()
  readonly #maxAttempts: number
  readonly #baseDelayMs: number
  readonly #maxDelayMs: number

  constructor(
    private readonly db: SqlStore,
    /** Sends going on, by delivery key (single-process: in memory). */
    private readonly inFlight: DeliveryInFlight,
    private readonly channels: Registry<ChannelDefinition>,
    private readonly hooks: KernelHooks,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: OutboxOptions = {},
  ) {
    this.#maxAttempts = options.maxAttempts ?? 5
    this.#baseDelayMs = options.baseDelayMs ?? 250
    this.#maxDelayMs = options.maxDelayMs ?? 30_000
  }

  /** Send through the outbox. Rejects (`CORE_ERR_CHANNEL_UNKNOWN`) only when no plugin registered the channel. */
  async send(message: OutboundMessage): Promise<DeliveryOutcome> {
    const running = this.inFlight.get(message.deliveryKey)
    if (running) return running
    const channel = this.channels.get(message.channel)
    if (!channel) throw new CORE_ERR_CHANNEL_UNKNOWN(message.channel, this.channels.keys().join(', ') || '(none)')
    // Tracked before the first await: a second send of the key, in the same tick or later, joins this one.
    return this.inFlight.track(message.deliveryKey, async () => {
      const now = this.clock.now()
      const { changes } = await this.db.run(
        `INSERT INTO core_outbox (delivery_key, channel, target, message, state, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (delivery_key) DO NOTHING`,
        [message.deliveryKey, message.channel, message.to, JSON.stringify(message), now, now, now],
      )
      if (changes === 0) {
        const row = await this.#row(message.deliveryKey)
        if (row && row.state !== 'pending') return this.#outcomeOf(row, true)
      }
      return this.#deliver(channel, message)
    })
  }

  /**
   * Resume messages left pending by an earlier process (called at start). Messages for a channel
   * this gateway does not have stay pending, for a gateway that has it (the channel plugin may have
   * failed to start, or this is a one-shot CLI process sharing the state dir).
   */
  async resumePending(): Promise<void> {
    const rows = await this.db.all<OutboxRow>("SELECT * FROM core_outbox WHERE state = 'pending' ORDER BY created_at")
    const missing = new Map<string, number>()
    for (const row of rows) {
      if (this.inFlight.get(row.delivery_key)) continue
      const message = JSON.parse(row.message) as OutboundMessage
      const channel = this.channels.get(message.channel)
      if (!channel) {
        missing.set(message.channel, (missing.get(message.channel) ?? 0) + 1)
        continue
      }
      void this.inFlight.track(row.delivery_key, () => this.#deliver(channel, message, row.attempts))
    }
    for (const [channel, count] of missing) {
      this.log.warn({ channel, pending: count }, `${count} pending deliveries wait for channel '${channel}', which this gateway does not have`)
    }
  }

  /** Messages that failed for good, newest first, for operators. */
  async failed(limit = 50): Promise<{ deliveryKey: string; channel: string; to: string; error: string; attempts: number }[]> {
    return (await this.db
      .all<{ delivery_key: string; channel: string; target: string; last_error: string; attempts: number }>(
        "SELECT delivery_key, channel, target, last_error, attempts FROM core_outbox WHERE state = 'failed' ORDER BY updated_at DESC LIMIT ?",
        [limit],
      ))
      .map((r) => ({ deliveryKey: r.delivery_key, channel: r.channel, to: r.target, error: r.last_error, attempts: r.attempts }))
  }

  async stop(): Promise<void> {
    this.#stopping.abort()
    await this.inFlight.settled()
  }

  async #deliver(channel: ChannelDefinition, original: OutboundMessage, attemptsSoFar = 0): Promise<DeliveryOutcome> {
    let message: OutboundMessage | null = original
    if (hasTaps(this.hooks.messageSending)) {
      try {
        message = await this.hooks.messageSending.promise(original)
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        await this.#mark(original.deliveryKey, 'failed', reason)
        return { status: 'failed', error: { code: CORE_ERR_DELIVERY_FAILED.code, message: reason } }
      }
      if (message === null) {
        await this.#mark(original.deliveryKey, 'cancelled', 'cancelled by a messageSending tap')
        return { status: 'cancelled' }
      }
    }
    let lastError = ''
    for (let attempt = attemptsSoFar + 1; attempt <= this.#maxAttempts; attempt++) {
      await this.db.run('UPDATE core_outbox SET attempts = ?, updated_at = ? WHERE delivery_key = ?', [attempt, this.clock.now(), original.deliveryKey])
      try {
        const sent = await channel.send(message, { attempt, signal: this.#stopping.signal, log: this.log })
        const receipt: DeliveryReceipt = {
          deliveryKey: original.deliveryKey, channel: message.channel, to: message.to, messageId: sent.messageId, deliveredAt: this.clock.now(),
        }
        await this.db.run("UPDATE core_outbox SET state = 'sent', receipt = ?, last_error = NULL, updated_at = ? WHERE delivery_key = ?", [
          JSON.stringify(receipt), this.clock.now(), original.deliveryKey,
        ])
        if (hasTaps(this.hooks.messageSent)) {
          await this.hooks.messageSent.promise(message, receipt).catch((err: unknown) => this.log.warn({ err }, 'messageSent tap failed'))
        }
        return { status: 'sent', receipt }
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err)
        const permanent = (err as { permanent?: unknown }).permanent === true
        await this.db.run('UPDATE core_outbox SET last_error = ?, updated_at = ? WHERE delivery_key = ?', [lastError, this.clock.now(), original.deliveryKey])
        this.log.warn({ channel: message.channel, attempt, permanent, err: lastError }, 'channel send failed')
        if (permanent || attempt >= this.#maxAttempts || this.#stopping.signal.aborted) break
        const retryAfter = (err as { retryAfterMs?: unknown }).retryAfterMs
        const backoff = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1))
        const delay = typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter : backoff * (0.5 + Math.random() / 2)
        await sleep(delay, this.#stopping.signal)
        if (this.#stopping.signal.aborted) {
          // Left pending: the next start resumes it.
          return { status: 'failed', error: { code: CORE_ERR_DELIVERY_FAILED.code, message: 'gateway stopping; will retry on next start' } }
        }
      }
    }
    await this.#mark(original.deliveryKey, 'failed', lastError)
    const error = new CORE_ERR_DELIVERY_FAILED(message.channel, message.to, lastError)
    this.log.error({ deliveryKey: original.deliveryKey, code: error.code }, error.message)
    return { status: 'failed', error: { code: error.code, message: error.message } }
  }

  #row(key: string): Promise<OutboxRow | undefined> {
    return this.db.get<OutboxRow>('SELECT * FROM core_outbox WHERE delivery_key = ?', [key])
  }

  async #mark(key: string, state: 'failed' | 'cancelled', error: string): Promise<void> {
    await this.db.run('UPDATE core_outbox SET state = ?, last_error = ?, updated_at = ? WHERE delivery_key = ?', [state, error, this.clock.now(), key])
  }

  #outcomeOf(row: OutboxRow, duplicate: boolean): DeliveryOutcome {
    if (row.state === 'sent') return { status: duplicate ? 'duplicate' : 'sent', receipt: JSON.parse(row.receipt!) as DeliveryReceipt }
    if (row.state === 'cancelled') return { status: 'cancelled' }
    return { status: 'failed', error: { code: CORE_ERR_DELIVERY_FAILED.code, message: row.last_error ?? 'failed' } }
  }
}
