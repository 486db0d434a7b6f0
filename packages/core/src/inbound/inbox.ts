import { randomBytes } from 'node:crypto'
import type { Clock } from '../clock/clock.js'
import type { GatewayConfig } from '../config/config-schema.js'
import { channelSessionKey } from '../channels/channel-session-key.js'
import type { ChannelStatusBoard } from '../channels/channel-status.js'
import { orderKey } from '../coordination/order-key.js'
import { CORE_ERR_EVENT_INVALID, CORE_ERR_INBOUND_CLOSED } from '../errors/codes.js'
import type { SqlStore } from '../store/state-store.js'
import type { AcceptOutcome, ChannelEvent } from '../types/channel-events.js'
import { ChannelEventSchema } from './channel-event-schema.js'

/** A row of `core_inbox`. */
export interface InboxRow extends Record<string, unknown> {
  id: string
  channel: string
  account_id: string
  event_id: string
  session_key: string
  event: string
  /** `pending` (waiting or running), `done`, `failed` (unroutable: see `reason`), `dropped` (access control), `batched` (ran as part of the `batch_of` row's turn). */
  state: string
  reason: string | null
  /** A `batched` row: the leading row it ran with; a leading row: its own id once its batch is recorded (migration 7). */
  batch_of: string | null
  attempts: number
  due_at: number
  created_at: number
  updated_at: number
}

/** An inbox row as operators see it. */
export interface InboxEntry {
  readonly id: string
  readonly channel: string
  readonly accountId: string
  readonly eventId: string
  readonly sessionKey: string
  readonly state: string
  readonly reason?: string
  readonly attempts: number
  readonly createdAt: number
}

/**
 * The durable inbox. `accept()` checks an event, derives its session key and writes it, de-duplicated
 * by (channel, account, event id) while the row is kept (`inbound.dedupeWindowHours`), then returns:
 * a few milliseconds, never the run. The inbox worker runs what it accepted.
 */
export class Inbox {
  #closed = false
  #wake: () => void = () => {}

  constructor(
    private readonly db: SqlStore,
    private readonly config: GatewayConfig,
    private readonly status: ChannelStatusBoard,
    private readonly clock: Clock,
    /** Whether a channel batches text (a quiet window over 0): then an arrival wakes its session's waiting batch. */
    private readonly batching: (channel: string) => boolean = () => false,
  ) {}

  onAccept(wake: () => void): void {
    this.#wake = wake
  }

  /** Refuse new events from now on (shutdown). */
  close(): void {
    this.#closed = true
  }

  async accept(input: ChannelEvent): Promise<AcceptOutcome> {
    if (this.#closed) throw new CORE_ERR_INBOUND_CLOSED()
    const parsed = ChannelEventSchema.safeParse(input)
    if (!parsed.success) {
      const channel = typeof (input as { channel?: unknown })?.channel === 'string' ? (input as { channel: string }).channel.slice(0, 64) : '?'
      throw new CORE_ERR_EVENT_INVALID(channel, parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; '))
    }
    const event = parsed.data as ChannelEvent
    const accountId = event.accountId ?? 'default'
    const sessionKey = channelSessionKey({
      agentId: event.agentId ?? 'main',
      channel: event.channel,
      accountId,
      chat: event.chat,
      senderId: event.sender.id,
      threadId: 'threadId' in event ? event.threadId : undefined,
      dmScope: this.config.session.dmScope,
      groupScope: this.config.session.groupScope,
    })
    const now = this.clock.now()
    const id = `${orderKey(now)}.${randomBytes(4).toString('hex')}`
    const stored = { ...event, accountId, receivedAt: event.receivedAt ?? now }
    const { changes } = await this.db.run(
      `INSERT INTO core_inbox (id, channel, account_id, event_id, session_key, event, state, attempts, due_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (channel, account_id, event_id) DO NOTHING`,
      [id, event.channel, accountId, event.id, sessionKey, JSON.stringify(stored), now, now, now],
    )
    this.status.received(event.channel, accountId, now)
    if (changes === 0) {
      const row = await this.db.get<{ id: string }>('SELECT id FROM core_inbox WHERE channel = ? AND account_id = ? AND event_id = ?', [event.channel, accountId, event.id])
      return { status: 'duplicate', inboxId: row?.id ?? '' }
    }
    // A batch waiting in its quiet window looks again now: this arrival extends it, or closes it (another
    // sender, media, a command). Only where batching is on; off (the default but on Telegram), no query.
    if ((event.kind === 'message' && event.groupId !== undefined) || this.batching(event.channel)) {
      await this.db.run("UPDATE core_inbox SET due_at = ? WHERE session_key = ? AND state = 'pending' AND due_at > ? AND id < ?", [now, sessionKey, now, id])
    }
    this.#wake()
    return { status: 'accepted', inboxId: id }
  }

  /**
   * Rows past the de-duplication window that are done with (any state but pending), except the
   * `batched` members of a leading row still pending (its redo reads them back).
   */
  async prune(): Promise<number> {
    const cutoff = this.clock.now() - this.config.inbound.dedupeWindowHours * 3_600_000
    const { changes } = await this.db.run(
      `DELETE FROM core_inbox WHERE state <> 'pending' AND updated_at < ?
       AND NOT (state = 'batched' AND batch_of IN (SELECT l.id FROM core_inbox l WHERE l.state = 'pending'))`,
      [cutoff],
    )
    return changes
  }

  async list(options: { readonly state?: string; readonly channel?: string; readonly limit?: number } = {}): Promise<InboxEntry[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (options.state) {
      where.push('state = ?')
      params.push(options.state)
    }
    if (options.channel) {
      where.push('channel = ?')
      params.push(options.channel)
    }
    const rows = await this.db.all<InboxRow>(
      `SELECT * FROM core_inbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...params, Math.min(Math.max(options.limit ?? 50, 1), 1000)],
    )
    return rows.map((r) => ({
      id: r.id, channel: r.channel, accountId: r.account_id, eventId: r.event_id, sessionKey: r.session_key, state: r.state,
      ...(r.reason ? { reason: r.reason } : {}), attempts: Number(r.attempts), createdAt: Number(r.created_at),
    }))
  }

  async pendingCount(): Promise<number> {
    const row = await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM core_inbox WHERE state = 'pending'")
    return Number(row?.n ?? 0)
  }
}
