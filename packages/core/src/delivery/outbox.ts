import type { Clock } from '../clock/clock.js'
import { orderKey } from '../coordination/order-key.js'
import { CORE_ERR_CHANNEL_UNKNOWN, CORE_ERR_DELIVERY_FAILED, CORE_ERR_DELIVERY_UNKNOWN } from '../errors/codes.js'
import type { Logger } from '../logging/logger.js'
import type { DeliveryOutcome } from '../plugins/plugin-api.js'
import type { Registry } from '../registry/registry.js'
import type { SqlStore } from '../store/state-store.js'
import type { ChannelDefinition } from '../types/channels.js'
import type { DeliveryReceipt, OutboundMessage } from '../types/messages.js'
import { prepareOutbound } from './prepare-outbound.js'

/** A row of `core_outbox`. */
export interface OutboxRow extends Record<string, unknown> {
  delivery_key: string
  channel: string
  account_id: string
  target: string
  message: string
  /** `pending` (waiting or being sent), `sent`, `dead` (a dead letter), `cancelled`, `dropped`. */
  state: string
  attempts: number
  next_attempt_at: number
  last_error: string | null
  receipt: string | null
  created_at: number
  updated_at: number
  ord: string
  /** When the current send began (set only for channels whose sends are not idempotent); NULL when none is under way. */
  sending_since: number | null
}

/** A dead letter as operators see it (`openclaw deliveries list`, RPC `deliveries.list`). */
export interface DeadLetter {
  readonly deliveryKey: string
  readonly channel: string
  readonly accountId: string
  readonly to: string
  readonly text: string
  readonly error: string
  readonly attempts: number
  readonly createdAt: number
  readonly failedAt: number
}

/** Outbox rows by state, for status. */
export interface OutboxCounts {
  readonly pending: number
  readonly dead: number
}

/** What waits for a delivery to settle, in this process. */
type Waiter = (outcome: DeliveryOutcome) => void

const TERMINAL = new Set(['sent', 'dead', 'cancelled', 'dropped'])

/**
 * The durable outbox: every message is a row before anything is sent; the delivery worker sends
 * due rows. `enqueue` chunks and formats text to the channel's capabilities (one row per chunk,
 * keys `<key>`, `<key>#2`, …) and returns at once; `send` also waits for the rows to settle (at most
 * `waitMs`, then answers `queued`). A delivery key is never sent twice.
 */
export class Outbox {
  readonly #waiters = new Map<string, Waiter[]>()
  #wake: () => void = () => {}

  constructor(
    private readonly db: SqlStore,
    private readonly channels: Registry<ChannelDefinition>,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** The worker registers how to be woken when rows arrive. */
  onEnqueue(wake: () => void): void {
    this.#wake = wake
  }

  #channel(id: string): ChannelDefinition {
    const channel = this.channels.get(id)
    if (!channel) throw new CORE_ERR_CHANNEL_UNKNOWN(id, this.channels.keys().join(', ') || '(none)')
    return channel
  }

  /**
   * Write a message's rows (chunked, formatted) and wake the worker. Returns the delivery keys, and
   * whether they were new. Throws `CORE_ERR_CHANNEL_UNKNOWN` and media errors before writing anything.
   */
  async enqueue(message: OutboundMessage, options: { readonly preformatted?: boolean } = {}): Promise<{ keys: string[]; fresh: boolean }> {
    const channel = this.#channel(message.channel)
    const parts = prepareOutbound(message, channel, options)
    const now = this.clock.now()
    let fresh = false
    await this.db.transaction(async (tx) => {
      for (const part of parts) {
        const { changes } = await tx.run(
          `INSERT INTO core_outbox (delivery_key, channel, account_id, target, message, state, attempts, next_attempt_at, created_at, updated_at, ord)
           VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?) ON CONFLICT (delivery_key) DO NOTHING`,
          [part.deliveryKey, part.channel, part.accountId ?? '', part.to, JSON.stringify(part), now, now, now, orderKey(now)],
        )
        if (changes > 0) fresh = true
      }
    })
    if (fresh) this.#wake()
    return { keys: parts.map((p) => p.deliveryKey), fresh }
  }

  /** Enqueue, then wait (at most `waitMs`) for every row of the message to settle. */
  async send(message: OutboundMessage, waitMs = 30_000): Promise<DeliveryOutcome> {
    const { keys, fresh } = await this.enqueue(message)
    const outcomes = await Promise.all(keys.map((key) => this.#await(key, waitMs)))
    const failed = outcomes.find((o) => o.status === 'failed' || o.status === 'cancelled' || o.status === 'queued')
    const first = outcomes[0] ?? { status: 'failed', error: { code: CORE_ERR_DELIVERY_FAILED.code, message: 'nothing to send' } }
    if (failed) return failed
    return !fresh && first.status === 'sent' ? { ...first, status: 'duplicate' } : first
  }

  /** Wait for a row to settle: the worker tells this process; a poll covers a worker elsewhere. */
  async #await(key: string, waitMs: number): Promise<DeliveryOutcome> {
    const settled = await this.outcome(key)
    if (settled) return settled
    return new Promise<DeliveryOutcome>((resolve) => {
      let done = false
      const finish = (outcome: DeliveryOutcome) => {
        if (done) return
        done = true
        clearInterval(poll)
        clearTimeout(timer)
        const list = this.#waiters.get(key)?.filter((w) => w !== finish)
        if (list && list.length > 0) this.#waiters.set(key, list)
        else this.#waiters.delete(key)
        resolve(outcome)
      }
      this.#waiters.set(key, [...(this.#waiters.get(key) ?? []), finish])
      const poll = setInterval(() => {
        void this.outcome(key).then((o) => o && finish(o), () => {})
      }, 500)
      const timer = setTimeout(() => finish({ status: 'queued' }), waitMs)
    })
  }

  /** The gateway is stopping: whoever waits hears `queued` (the rows stay for the next start). */
  releaseWaiters(): void {
    for (const list of this.#waiters.values()) for (const waiter of list) waiter({ status: 'queued' })
    this.#waiters.clear()
  }

  /** Tell this process's waiters that a row settled. */
  settle(key: string, outcome: DeliveryOutcome): void {
    for (const waiter of this.#waiters.get(key) ?? []) waiter(outcome)
  }

  /** The settled outcome of a row, or undefined while it is pending (or unknown). */
  async outcome(key: string): Promise<DeliveryOutcome | undefined> {
    const row = await this.db.get<OutboxRow>('SELECT * FROM core_outbox WHERE delivery_key = ?', [key])
    if (!row || !TERMINAL.has(row.state)) return undefined
    return outcomeOf(row)
  }

  /** Dead letters, newest first. */
  async deadLetters(options: { readonly channel?: string; readonly limit?: number } = {}): Promise<DeadLetter[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 1000)
    const rows = options.channel
      ? await this.db.all<OutboxRow>("SELECT * FROM core_outbox WHERE state = 'dead' AND channel = ? ORDER BY updated_at DESC LIMIT ?", [options.channel, limit])
      : await this.db.all<OutboxRow>("SELECT * FROM core_outbox WHERE state = 'dead' ORDER BY updated_at DESC LIMIT ?", [limit])
    return rows.map((row) => ({
      deliveryKey: row.delivery_key,
      channel: row.channel,
      accountId: row.account_id || 'default',
      to: row.target,
      text: ((JSON.parse(row.message) as OutboundMessage).text ?? '').slice(0, 200),
      error: row.last_error ?? '',
      attempts: Number(row.attempts),
      createdAt: Number(row.created_at),
      failedAt: Number(row.updated_at),
    }))
  }

  /** Put a dead letter back in line (attempts from zero, due now). */
  async retry(deliveryKey: string): Promise<void> {
    const now = this.clock.now()
    const { changes } = await this.db.run(
      "UPDATE core_outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL, updated_at = ?, lease_owner = NULL, lease_until = NULL WHERE delivery_key = ? AND state = 'dead'",
      [now, now, deliveryKey],
    )
    if (changes === 0) throw new CORE_ERR_DELIVERY_UNKNOWN(deliveryKey, await this.#stateNote(deliveryKey))
    this.log.info({ deliveryKey }, 'dead letter put back in line')
    this.#wake()
  }

  /** Give a dead letter up for good (kept as `dropped` until the retention prunes it). */
  async drop(deliveryKey: string): Promise<void> {
    const { changes } = await this.db.run("UPDATE core_outbox SET state = 'dropped', updated_at = ? WHERE delivery_key = ? AND state = 'dead'", [this.clock.now(), deliveryKey])
    if (changes === 0) throw new CORE_ERR_DELIVERY_UNKNOWN(deliveryKey, await this.#stateNote(deliveryKey))
    this.log.info({ deliveryKey }, 'dead letter dropped')
  }

  async #stateNote(key: string): Promise<string> {
    const row = await this.db.get<{ state: string }>('SELECT state FROM core_outbox WHERE delivery_key = ?', [key])
    return row ? ` (it is ${row.state})` : ''
  }

  /** Delete sent, cancelled and dropped rows older than `retentionMs`. Returns how many went. */
  async prune(retentionMs: number): Promise<number> {
    const { changes } = await this.db.run("DELETE FROM core_outbox WHERE state IN ('sent', 'cancelled', 'dropped') AND updated_at < ?", [this.clock.now() - retentionMs])
    return changes
  }

  /** Pending rows due now for these channels (the flush at shutdown waits for none). */
  async dueCount(channels: readonly string[], now: number): Promise<number> {
    if (channels.length === 0) return 0
    const row = await this.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM core_outbox WHERE state = 'pending' AND next_attempt_at <= ? AND channel IN (${channels.map(() => '?').join(', ')})`,
      [now, ...channels],
    )
    return Number(row?.n ?? 0)
  }

  async counts(): Promise<OutboxCounts> {
    const rows = await this.db.all<{ state: string; n: number }>("SELECT state, COUNT(*) AS n FROM core_outbox WHERE state IN ('pending', 'dead') GROUP BY state")
    return { pending: Number(rows.find((r) => r.state === 'pending')?.n ?? 0), dead: Number(rows.find((r) => r.state === 'dead')?.n ?? 0) }
  }
}

/** What a settled row means to the caller of `send`. */
export function outcomeOf(row: OutboxRow): DeliveryOutcome {
  if (row.state === 'sent') return { status: 'sent', receipt: JSON.parse(row.receipt!) as DeliveryReceipt }
  if (row.state === 'cancelled') return { status: 'cancelled' }
  const error = new CORE_ERR_DELIVERY_FAILED(row.channel, row.target, row.last_error ?? row.state)
  return { status: 'failed', error: { code: error.code, message: error.message } }
}
