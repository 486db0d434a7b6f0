import { BotApiError } from './bot-api-error.js'
import type { TgUpdate } from './telegram-types.js'

/** The update types Telegram sends when `allowed_updates` was never set (or set to `[]`). */
const DEFAULT_EXCLUDED_TYPES = new Set(['chat_member', 'message_reaction', 'message_reaction_count'])
const FIRST_UPDATE_ID = 700_000_001

/** One `getUpdates` call, as the queue sees it. */
export interface PollRequest {
  readonly offset?: number
  readonly limit: number
  readonly timeoutMs: number
  /** Aborts when the client closed the connection. */
  readonly closed: AbortSignal
}

interface Waiter {
  readonly request: PollRequest
  readonly arrivedAt: number
  readonly resolve: (updates: TgUpdate[]) => void
  readonly reject: (error: BotApiError) => void
  timer?: NodeJS.Timeout
  settled: boolean
}

/** The type of an update: its one field besides `update_id`. */
export function updateType(update: object): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown'
}

/**
 * The bot's queue of updates not yet confirmed, with Telegram's `getUpdates` semantics: a call with
 * `offset` forgets every update below it; a long poll waits up to `timeout` for the first update; a
 * second concurrent poll terminates the first with `409 Conflict`; `allowed_updates` is remembered
 * and filters the updates created afterwards. It can also stall: polls are then held, unanswered and
 * with their connections open, until it resumes.
 */
export class UpdateQueue {
  private readonly pending: TgUpdate[] = []
  /** Every update pushed, queued or filtered out, in order. */
  readonly history: TgUpdate[] = []
  private nextId = FIRST_UPDATE_ID
  private allowed: ReadonlySet<string> | undefined
  private active: Waiter | undefined
  private held: Waiter[] = []
  private stalled = false
  /** A wake of the waiting poll is queued (one per microtask). */
  private wakeQueued = false
  private readonly listeners = new Set<() => void>()

  /** Updates not yet confirmed, oldest first. */
  get updates(): readonly TgUpdate[] {
    return this.pending
  }

  /** `getUpdates` calls being held open: a long poll waiting for an update, or stalled calls. */
  get waitingPolls(): number {
    return (this.active ? 1 : 0) + this.held.length
  }

  get isStalled(): boolean {
    return this.stalled
  }

  get allowedUpdates(): readonly string[] | undefined {
    return this.allowed ? [...this.allowed] : undefined
  }

  /** Give the update an id and queue it, unless `allowed_updates` excludes its type (then it is only in `history`). */
  push(update: Omit<TgUpdate, 'update_id'> & { readonly update_id?: number }): TgUpdate {
    const id = update.update_id ?? this.nextId
    this.nextId = Math.max(this.nextId, id + 1)
    const stored: TgUpdate = { ...update, update_id: id }
    this.history.push(stored)
    const type = updateType(stored)
    const allowed = this.allowed ? this.allowed.has(type) : !DEFAULT_EXCLUDED_TYPES.has(type)
    if (allowed) {
      this.pending.push(stored)
      this.wakeActive()
      for (const listener of this.listeners) listener()
    }
    return stored
  }

  /** Call `listener` whenever an update is queued. Returns the unsubscribe function. */
  onPush(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Remember `allowed_updates` for the updates created from now on (`[]` restores the default). */
  setAllowedUpdates(types: readonly string[] | undefined): void {
    if (types === undefined) return
    this.allowed = types.length === 0 ? undefined : new Set(types)
  }

  /** Forget every update below `offset`; a negative offset keeps only the last `-offset` updates. */
  confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return
    if (offset < 0) {
      this.pending.splice(0, Math.max(0, this.pending.length + offset))
      return
    }
    const keepFrom = this.pending.findIndex((update) => update.update_id >= offset)
    this.pending.splice(0, keepFrom === -1 ? this.pending.length : keepFrom)
  }

  /** Forget every pending update (`drop_pending_updates`). */
  dropPending(): void {
    this.pending.length = 0
  }

  /** Answer one `getUpdates` call: now, when an update arrives, when the timeout passes, or with a 409. */
  poll(request: PollRequest): Promise<TgUpdate[]> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { request, arrivedAt: Date.now(), resolve, reject, settled: false }
      request.closed.addEventListener('abort', () => this.forget(waiter), { once: true })
      if (request.closed.aborted) return this.settle(waiter, [])
      if (this.stalled) {
        this.held.push(waiter)
        return
      }
      this.serve(waiter)
    })
  }

  /** Stop answering `getUpdates` (calls are held, connections stay open), or resume. */
  stall(on: boolean): void {
    if (this.stalled === on) return
    this.stalled = on
    if (on) {
      // The poll in progress hangs too: it is held with the new ones.
      if (this.active) {
        clearTimeout(this.active.timer)
        this.held.push(this.active)
        this.active = undefined
      }
      return
    }
    const held = this.held
    this.held = []
    for (const waiter of held) this.serve(waiter)
  }

  /** Fail every open poll with a 409 (`setWebhook` ends polling this way). */
  terminate(description: string): void {
    for (const waiter of [...this.held, ...(this.active ? [this.active] : [])]) this.fail(waiter, new BotApiError(409, description))
  }

  /** Answer every open poll with no updates (the server is closing). */
  close(): void {
    for (const waiter of [...this.held, ...(this.active ? [this.active] : [])]) this.settle(waiter, [])
  }

  private serve(waiter: Waiter): void {
    if (waiter.settled) return
    if (this.active) this.fail(this.active, new BotApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'))
    this.confirm(waiter.request.offset)
    const remainingMs = waiter.request.timeoutMs - (Date.now() - waiter.arrivedAt)
    if (this.pending.length > 0 || remainingMs <= 0) {
      this.settle(waiter, this.take(waiter.request.limit))
      return
    }
    this.active = waiter
    waiter.timer = setTimeout(() => this.settle(waiter, []), remainingMs)
  }

  /**
   * Answer the waiting poll with what arrived, a microtask later: updates pushed together (a test's
   * back-to-back sends, an album's parts) go out in one answer, as Telegram gives what it has.
   */
  private wakeActive(): void {
    if (!this.active || this.wakeQueued) return
    this.wakeQueued = true
    queueMicrotask(() => {
      this.wakeQueued = false
      const waiter = this.active
      if (waiter) this.settle(waiter, this.take(waiter.request.limit))
    })
  }

  private take(limit: number): TgUpdate[] {
    return this.pending.slice(0, limit)
  }

  private forget(waiter: Waiter): void {
    this.settle(waiter, [])
  }

  private settle(waiter: Waiter, updates: TgUpdate[]): void {
    if (waiter.settled) return
    this.release(waiter)
    waiter.resolve(updates)
  }

  private fail(waiter: Waiter, error: BotApiError): void {
    if (waiter.settled) return
    this.release(waiter)
    waiter.reject(error)
  }

  private release(waiter: Waiter): void {
    waiter.settled = true
    clearTimeout(waiter.timer)
    if (this.active === waiter) this.active = undefined
    this.held = this.held.filter((held) => held !== waiter)
  }
}
