import type { GatewayConfig } from '../config/config-schema.js'
import type { SqlStore } from '../store/state-store.js'
import type { ChannelEvent } from '../types/channel-events.js'
import type { ChannelDefinition } from '../types/channels.js'
import type { InboxRow } from './inbox.js'
import { parseResetTrigger } from './reset-trigger.js'

/** A text batch holds at most this many messages, leading one included (OpenClaw's bound). */
export const BATCH_MAX_MESSAGES = 12
/** … and at most this many characters of text. */
export const BATCH_MAX_CHARS = 50_000
/** A batch collects for at most this long after its first message (or its quiet window, if longer). */
export const BATCH_DEADLINE_MS = 7_500
/** The quiet window of an album's parts (whatever the text window is). */
export const ALBUM_WINDOW_MS = 500
/** An album has at most this many parts (Telegram's limit). */
export const ALBUM_MAX_PARTS = 10

/** A row absorbed into a batch, with its event. */
export interface BatchMember {
  readonly row: InboxRow
  readonly event: ChannelEvent
}

/** What to do with a leading row: wait for its quiet window (put it back, due at `dueAt`), or run it with `members`. */
export type BatchPlan =
  | { readonly action: 'wait'; readonly dueAt: number; /** The last row of the session looked at. */ readonly seen: string }
  | { readonly action: 'run'; readonly members: readonly BatchMember[] }

/** How a leading event gathers others: quick texts, an album's parts, or (undefined) not at all. */
export type BatchMode = { readonly kind: 'text'; readonly windowMs: number } | { readonly kind: 'album'; readonly groupId: string; readonly windowMs: number }

/** The quiet window of a channel's text messages: `messages.inbound.byChannel.<id>`, else `messages.inbound.debounceMs`, else the channel's default, else 0. */
export function debounceMsFor(config: GatewayConfig, channel: ChannelDefinition): number {
  return config.messages.inbound.byChannel[channel.id] ?? config.messages.inbound.debounceMs ?? channel.inbound?.debounceMs ?? 0
}

/** Plain text, no media, no album, not a chat command: what text batching takes. */
function isBatchableText(event: ChannelEvent, triggers: readonly string[]): boolean {
  return event.kind === 'message' && !event.attachments?.length && event.groupId === undefined && event.text.trim() !== '' && parseResetTrigger(event.text, triggers) === undefined
}

/** How `event` (a session's first pending row) may gather the rows after it. Cheap: no query, no allocation when off. */
export function batchModeOf(event: ChannelEvent, windowMs: number, triggers: readonly string[]): BatchMode | undefined {
  if (event.kind !== 'message') return undefined
  if (event.groupId !== undefined) return { kind: 'album', groupId: event.groupId, windowMs: ALBUM_WINDOW_MS }
  if (windowMs > 0 && isBatchableText(event, triggers)) return { kind: 'text', windowMs }
  return undefined
}

/** Same conversation (channel + account + chat + topic/thread) and same sender. */
function sameConversation(a: ChannelEvent, b: ChannelEvent): boolean {
  const threadA = 'threadId' in a ? a.threadId : undefined
  const threadB = 'threadId' in b ? b.threadId : undefined
  return a.channel === b.channel && (a.accountId ?? 'default') === (b.accountId ?? 'default') && a.chat.id === b.chat.id && a.chat.topicId === b.chat.topicId && threadA === threadB && a.sender.id === b.sender.id
}

/**
 * Inbound batching over the inbox: which pending rows of a session join its first one, recorded
 * durably (state `batched`, `batch_of` = the leading row's id) before the turn runs, so a redo of the
 * leading row runs with exactly the same members. See docs/channels.md "Inbound batching".
 */
export class InboxBatch {
  constructor(
    private readonly db: SqlStore,
    private readonly triggers: () => readonly string[],
  ) {}

  /**
   * The consecutive pending rows after `leader` in its session that qualify (same sender and
   * conversation; texts for a text batch, the same album's parts for an album; `admitted` by access
   * control), within the bounds; then wait (still inside the quiet window and the deadline, and the
   * batch could still grow) or run.
   */
  async plan(leader: InboxRow, event: ChannelEvent, mode: BatchMode, now: number, admitted: (event: ChannelEvent) => boolean): Promise<BatchPlan> {
    const maxParts = mode.kind === 'album' ? ALBUM_MAX_PARTS : BATCH_MAX_MESSAGES
    const rows = await this.db.all<InboxRow>(
      "SELECT * FROM core_inbox WHERE session_key = ? AND state = 'pending' AND id > ? ORDER BY id LIMIT ?",
      [leader.session_key, leader.id, maxParts],
    )
    const members: BatchMember[] = []
    let chars = event.kind === 'message' ? event.text.length : 0
    let lastArrival = Number(leader.created_at)
    let closed = false // a row that cannot join follows, or a bound is reached: the batch cannot grow
    for (const row of rows) {
      const candidate = JSON.parse(row.event) as ChannelEvent
      const fits = candidate.kind === 'message' && sameConversation(event, candidate) &&
        (mode.kind === 'album' ? candidate.groupId === mode.groupId : isBatchableText(candidate, this.triggers())) &&
        (mode.kind === 'album' || chars + 1 + candidate.text.length <= BATCH_MAX_CHARS) &&
        admitted(candidate)
      if (!fits) {
        closed = true
        break
      }
      members.push({ row, event: candidate })
      chars += 1 + candidate.text.length
      lastArrival = Math.max(lastArrival, Number(row.created_at))
    }
    if (members.length + 1 >= maxParts) closed = true
    const deadline = Number(leader.created_at) + Math.max(BATCH_DEADLINE_MS, mode.windowMs)
    const quietAt = lastArrival + mode.windowMs
    if (!closed && now < quietAt && now < deadline) return { action: 'wait', dueAt: Math.min(quietAt, deadline), seen: members.at(-1)?.row.id ?? leader.id }
    return { action: 'run', members }
  }

  /**
   * Record the batch in one transaction: the members become `batched` under the leading row, and the
   * leading row is marked as recorded. False (nothing written) when the leading row is no longer
   * held by `owner` or a member is no longer pending.
   */
  async seal(leader: InboxRow, members: readonly BatchMember[], now: number): Promise<boolean> {
    try {
      return await this.db.transaction(async (tx) => {
        const { changes } = await tx.run("UPDATE core_inbox SET batch_of = ?, updated_at = ? WHERE id = ? AND state = 'pending' AND lease_owner = ?", [leader.id, now, leader.id, leader.lease_owner])
        if (changes !== 1) throw new BatchLost()
        for (const member of members) {
          const moved = await tx.run(
            "UPDATE core_inbox SET state = 'batched', batch_of = ?, reason = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
            [leader.id, `batched into ${leader.id}`, now, member.row.id],
          )
          if (moved.changes !== 1) throw new BatchLost()
        }
        return true
      })
    } catch (err) {
      if (err instanceof BatchLost) return false
      throw err
    }
  }

  /**
   * After a waiting leading row was put back: if a row arrived in its session after the scan (whose
   * wake-up the put-back may have overwritten), make it due now. An arrival after this statement
   * finds the row put back and wakes it itself (`Inbox.accept`), so no arrival is missed.
   */
  async wakeIfNewer(leader: InboxRow, seen: string, now: number): Promise<void> {
    await this.db.run(
      `UPDATE core_inbox SET due_at = ? WHERE id = ? AND state = 'pending' AND due_at > ?
       AND EXISTS (SELECT 1 FROM core_inbox n WHERE n.session_key = ? AND n.state = 'pending' AND n.id > ?)`,
      [now, leader.id, now, leader.session_key, seen],
    )
  }

  /** The members recorded for a leading row (a redo), in arrival order. */
  async recorded(leader: InboxRow): Promise<BatchMember[]> {
    const rows = await this.db.all<InboxRow>('SELECT * FROM core_inbox WHERE batch_of = ? AND id <> ? ORDER BY id', [leader.id, leader.id])
    return rows.map((row) => ({ row, event: JSON.parse(row.event) as ChannelEvent }))
  }

  /** The leading row settled other than `done` (failed, dropped): its members say so too. */
  async settleMembers(leaderId: string, state: string, reason: string, now: number): Promise<void> {
    await this.db.run("UPDATE core_inbox SET state = ?, reason = ?, updated_at = ? WHERE batch_of = ? AND id <> ? AND state = 'batched'", [state, reason, now, leaderId, leaderId])
  }
}

/** Thrown inside the sealing transaction to undo it. */
class BatchLost extends Error {}
