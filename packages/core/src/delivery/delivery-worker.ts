import type { Clock } from '../clock/clock.js'
import type { WorkQueue } from '../coordination/work-queue.js'
import { CORE_ERR_DELIVERY_FAILED, CORE_ERR_MEDIA_UNSUPPORTED } from '../errors/codes.js'
import { hasTaps, type KernelHooks } from '../hooks/kernel-hooks.js'
import type { Logger } from '../logging/logger.js'
import type { Registry } from '../registry/registry.js'
import type { ChannelStatusBoard } from '../channels/channel-status.js'
import type { ChannelDefinition } from '../types/channels.js'
import type { DeliveryReceipt, OutboundMessage } from '../types/messages.js'
import { outcomeOf, type Outbox, type OutboxRow } from './outbox.js'
import { TokenBucket } from './token-bucket.js'
import { PollPause } from './poll-pause.js'
import { fetchRemoteMedia, type RemoteMediaPolicy } from './fetch-remote-media.js'

export interface DeliveryWorkerOptions {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly concurrency: number
  /** How often to look for due rows when nothing woke the worker. */
  readonly pollMs?: number
  /** Fetching media given by URL before the send. */
  readonly media: RemoteMediaPolicy
  /** A send cut off after it began: `resend` it (at least once) or make it a dead letter (at most once). Default `resend`. */
  readonly inDoubt?: 'resend' | 'dead-letter'
}

/** Why a send failed, as the channel said. */
function failureOf(err: unknown): { message: string; permanent: boolean; retryAfterMs: number | undefined; recipient: boolean; maybeDelivered: boolean } {
  const e = err as { message?: unknown; permanent?: unknown; retryAfterMs?: unknown; recipient?: unknown; maybeDelivered?: unknown }
  const retry = typeof e?.retryAfterMs === 'number' && Number.isFinite(e.retryAfterMs) && e.retryAfterMs >= 0 ? e.retryAfterMs : undefined
  return {
    message: err instanceof Error ? err.message : String(err),
    permanent: e?.permanent === true,
    retryAfterMs: retry,
    recipient: e?.recipient === true,
    maybeDelivered: e?.maybeDelivered === true,
  }
}

/**
 * Sends the outbox's due rows, continuously: one row at a time per chat (the queue hands out only a
 * chat's first pending row), up to `concurrency` chats at once, within each channel's token buckets.
 * A failure is retried with backoff, or after the channel's `retryAfterMs`; a permanent failure, or
 * the last attempt, makes the row a dead letter.
 *
 * In doubt: for a channel whose sends are not idempotent, the row records when its send began
 * (`sending_since`) and clears it when the send's outcome is known. A row claimed with it still set
 * was cut off midway (its holder died, or the connection broke after the request went out): the
 * message may have arrived. It is resent with a warning, or made a dead letter (`inDoubt`), and
 * counted in the channel's status. A crash between the service's answer and the commit cannot be
 * told apart from one before the request arrived; no idempotency key, no exactly once.
 *
 * New rows wake it (and, on several replicas, the other replicas' workers through the queue's
 * announcements); it also polls. Pruning sent rows is the gateway's pruning singleton's (one
 * replica), not this worker's.
 */
export class DeliveryWorker {
  readonly #active = new Set<Promise<void>>()
  readonly #buckets = new Map<string, TokenBucket>()
  readonly #stopping = new AbortController()
  #running: Promise<void> | undefined
  /** The pause between polls, cut short when work is enqueued. */
  readonly #pause = new PollPause()
  #claiming = true
  /** Stops hearing the other replicas' announcements. */
  readonly #unhear: () => void

  constructor(
    private readonly outbox: Outbox,
    private readonly queue: WorkQueue<OutboxRow>,
    private readonly channels: Registry<ChannelDefinition>,
    private readonly hooks: KernelHooks,
    private readonly status: ChannelStatusBoard,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: DeliveryWorkerOptions,
  ) {
    outbox.onEnqueue(() => {
      this.#pause.wake()
      queue.announce()
    })
    this.#unhear = queue.onAnnounce(() => this.#pause.wake())
  }

  start(): void {
    this.#running ??= this.#loop()
  }

  /** Rows being sent right now (on this replica). */
  get inFlight(): number {
    return this.#active.size
  }

  /**
   * Stop: keep sending due rows for at most `flushMs` (so the last replies go out before the
   * channels stop), then stop claiming and wait for sends in flight. What is left stays pending
   * (parked) for the next start.
   */
  async stop(flushMs: number): Promise<void> {
    const deadline = Date.now() + flushMs
    while (this.#running && Date.now() < deadline) {
      if (this.#active.size === 0 && (await this.outbox.dueCount(this.channels.keys(), this.clock.now()).catch(() => 0)) === 0) break
      await new Promise((r) => setTimeout(r, 25))
    }
    this.#claiming = false
    this.#unhear()
    this.#stopping.abort()
    this.#pause.wake()
    await this.#running
    await Promise.allSettled([...this.#active])
  }

  async #loop(): Promise<void> {
    const poll = this.options.pollMs ?? 200
    while (this.#claiming) {
      let claimed = 0
      const free = this.options.concurrency - this.#active.size
      if (free > 0) {
        try {
          const rows = await this.queue.claim(free, this.clock.now())
          claimed = rows.length
          for (const row of rows) {
            const work: Promise<void> = this.#deliver(row).catch((err: unknown) => this.log.error({ err, deliveryKey: row.delivery_key }, 'delivery worker failed on a row'))
              .finally(() => {
                this.#active.delete(work)
                this.#pause.wake()
              })
            this.#active.add(work)
          }
        } catch (err) {
          this.log.error({ err }, 'delivery worker could not claim rows')
        }
      }
      if (claimed === 0 || this.#active.size >= this.options.concurrency) {
        await this.#pause.wait(poll)
      }
    }
  }

  #bucket(key: string, limit: { perSecond: number; burst?: number | undefined } | undefined): TokenBucket | undefined {
    if (!limit) return undefined
    let bucket = this.#buckets.get(key)
    if (!bucket) this.#buckets.set(key, (bucket = new TokenBucket(limit, this.clock)))
    return bucket
  }

  /** Wait for a token in the channel's bucket and the chat's (per replica: see TokenBucket). */
  async #throttle(channel: ChannelDefinition, row: OutboxRow): Promise<void> {
    const limit = channel.capabilities?.rateLimit
    if (!limit) return
    const buckets = [
      this.#bucket(`${channel.id}`, limit),
      this.#bucket(`${channel.id}\u0000${row.account_id}\u0000${row.target}`, limit.perChat),
    ].filter((b): b is TokenBucket => b !== undefined)
    for (;;) {
      const wait = Math.max(...buckets.map((b) => b.wait()))
      if (wait === 0) {
        for (const b of buckets) b.take()
        return
      }
      await new Promise((r) => setTimeout(r, Math.min(wait, 1000)))
    }
  }

  async #deliver(row: OutboxRow): Promise<void> {
    const channel = this.channels.get(row.channel)
    if (!channel) {
      // Another gateway (with the channel) sends it; give the claim back.
      await this.queue.complete(row.delivery_key, { next_attempt_at: this.clock.now() + 5_000 })
      return
    }
    const account = row.account_id || 'default'
    const guarded = channel.capabilities?.idempotentSend !== true
    if (guarded && row.sending_since !== null && row.sending_since !== undefined) {
      const since = new Date(Number(row.sending_since)).toISOString()
      this.status.inDoubt(row.channel, account, this.clock.now())
      if (this.options.inDoubt === 'dead-letter') {
        await this.#dead(row, `in doubt: its send began at ${since} and was cut off (the gateway stopped, or the connection broke after the request went out); it may have reached ${row.target}. Retry it to send it again (delivery.inDoubt: dead-letter)`)
        return
      }
      this.log.warn({ channel: row.channel, deliveryKey: row.delivery_key, to: row.target, sendingSince: since }, 'resending a message whose last send was cut off after it began: it may arrive twice (delivery.inDoubt: resend)')
    }
    const stored = JSON.parse(row.message) as OutboundMessage
    let message: OutboundMessage | null = stored
    if (hasTaps(this.hooks.messageSending)) {
      try {
        message = await this.hooks.messageSending.promise(stored)
      } catch (err) {
        await this.#dead(row, `a messageSending tap failed: ${failureOf(err).message}`)
        return
      }
      if (message === null) {
        await this.#finish(row, { state: 'cancelled', last_error: 'cancelled by a messageSending tap' })
        return
      }
    }
    await this.#throttle(channel, row)
    const attempt = Number(row.attempts) + 1
    try {
      const outgoing = await this.#withMediaFetched(message, channel)
      if (guarded && !(await this.queue.update(row.delivery_key, { sending_since: this.clock.now() }))) {
        this.log.warn({ deliveryKey: row.delivery_key }, 'outbox claim was lost before the send began (its lease ran out); not sending')
        return
      }
      const sent = await channel.send(outgoing, { attempt, signal: this.#stopping.signal, log: this.log })
      const receipt: DeliveryReceipt = { deliveryKey: row.delivery_key, channel: row.channel, to: row.target, messageId: sent.messageId, deliveredAt: this.clock.now() }
      this.status.sent(row.channel, account, receipt.deliveredAt)
      await this.#finish(row, { state: 'sent', attempts: attempt, receipt: JSON.stringify(receipt), last_error: null })
      if (hasTaps(this.hooks.messageSent)) {
        await this.hooks.messageSent.promise(message, receipt).catch((err: unknown) => this.log.warn({ err }, 'messageSent tap failed'))
      }
    } catch (err) {
      const failure = failureOf(err)
      // A failure that is the recipient's (blocked the bot, chat gone) says nothing of the account's health.
      if (!failure.recipient) this.status.failed(row.channel, account, failure.message, this.clock.now())
      this.log.warn({ channel: row.channel, deliveryKey: row.delivery_key, attempt, permanent: failure.permanent, err: failure.message }, 'channel send failed')
      if (failure.permanent || attempt >= this.options.maxAttempts) {
        await this.#dead(row, failure.message, attempt)
        return
      }
      const backoff = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2)
      const delay = failure.retryAfterMs ?? backoff
      // A failure that may have come after the service took the message leaves the row in doubt.
      const doubt = failure.maybeDelivered && guarded ? {} : { sending_since: null }
      await this.queue.complete(row.delivery_key, { attempts: attempt, last_error: failure.message, next_attempt_at: this.clock.now() + delay, updated_at: this.clock.now(), ...doubt })
    }
  }

  /** The message with its media given by URL fetched into bytes (the row keeps the URL: a retry fetches again). */
  async #withMediaFetched(message: OutboundMessage, channel: ChannelDefinition): Promise<OutboundMessage> {
    const attachments = message.attachments
    if (!attachments?.some((a) => a.url !== undefined && a.data === undefined)) return message
    const media = channel.capabilities?.media
    if (!media) throw Object.assign(new CORE_ERR_MEDIA_UNSUPPORTED(channel.id, 'it declares no media capability'), { permanent: true })
    const fetched = await Promise.all(attachments.map((a) =>
      a.url !== undefined && a.data === undefined
        ? fetchRemoteMedia({ ...a, url: a.url }, { id: channel.id, kinds: media.kinds, maxBytes: media.maxBytes }, this.options.media, this.#stopping.signal)
        : a))
    return { ...message, attachments: fetched }
  }

  async #dead(row: OutboxRow, reason: string, attempts = Number(row.attempts)): Promise<void> {
    const error = new CORE_ERR_DELIVERY_FAILED(row.channel, row.target, reason)
    this.log.error({ deliveryKey: row.delivery_key, code: error.code }, error.message)
    await this.#finish(row, { state: 'dead', attempts, last_error: reason })
  }

  async #finish(row: OutboxRow, set: Record<string, unknown>): Promise<void> {
    const done = await this.queue.complete(row.delivery_key, { ...set, sending_since: null, updated_at: this.clock.now() })
    if (!done) {
      this.log.warn({ deliveryKey: row.delivery_key }, 'outbox claim was lost before the row settled (its lease ran out)')
      return
    }
    this.outbox.settle(row.delivery_key, outcomeOf({ ...row, ...set } as OutboxRow))
  }
}
