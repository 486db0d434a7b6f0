import type { Clock } from '../clock/clock.js'
import type { GatewayConfig } from '../config/config-schema.js'
import { decideAccess } from '../channels/channel-access.js'
import type { PairingStore } from '../channels/pairing-store.js'
import type { WorkQueue } from '../coordination/work-queue.js'
import type { Outbox } from '../delivery/outbox.js'
import { CORE_ERR_INBOUND_UNROUTABLE, CORE_ERR_SESSION_BUSY } from '../errors/codes.js'
import { isCodedError } from '../errors/create-error.js'
import { hasTaps, type KernelHooks } from '../hooks/kernel-hooks.js'
import type { Logger } from '../logging/logger.js'
import type { AgentRuntime } from '../plugins/plugin-api.js'
import type { Registry } from '../registry/registry.js'
import type { ChannelEvent } from '../types/channel-events.js'
import type { ChannelDefinition } from '../types/channels.js'
import type { AgentRunResult } from '../types/agent.js'
import type { Attachment, InboundMessage } from '../types/messages.js'
import type { Inbox, InboxRow } from './inbox.js'
import { batchModeOf, debounceMsFor, type BatchMember, type InboxBatch } from './inbox-batch.js'
import type { MediaStore } from './media-store.js'
import { ReplyStream } from './reply-stream.js'
import { parseResetTrigger } from './reset-trigger.js'
import { staleReason, tracksInteraction } from '../sessions/reset-policy.js'
import type { SessionStore } from '../sessions/session-store.js'
import { PollPause } from '../delivery/poll-pause.js'

const TYPING_EVERY_MS = 4000
/** The answer to a reset trigger with nothing after it (no model turn runs). */
export const RESET_ACKNOWLEDGEMENT = 'New session started.'

export interface InboxWorkerDeps {
  readonly inbox: Inbox
  /** Inbound batching (`messages.inbound.*`, albums): which rows join a session's first one. */
  readonly batch: InboxBatch
  readonly queue: WorkQueue<InboxRow>
  readonly outbox: Outbox
  readonly pairing: PairingStore
  readonly media: MediaStore
  readonly channels: Registry<ChannelDefinition>
  readonly agent: AgentRuntime
  /** Chat commands and the reset policy (`session.resetTriggers`, `session.reset`) reset sessions and read their freshness. */
  readonly sessions: Pick<SessionStore, 'get' | 'resetOnce' | 'touch'>
  /** To record the conversation as the session's last route (`deliver: true`, cron's `last`). */
  readonly setLastRoute: (sessionKey: string, route: { channel: string; to: string; accountId?: string; threadId?: string }) => Promise<void>
  readonly hooks: KernelHooks
  readonly config: GatewayConfig
  readonly clock: Clock
  readonly log: Logger
}

/** The text an agent sees for an event. */
function promptOf(event: ChannelEvent): string {
  if (event.kind === 'button') return `(button pressed) ${event.data}`
  if (event.kind === 'edited') return `(edited message ${event.messageId}) ${event.text}`
  return event.text
}

/** The legacy envelope the `inboundMessage` and `messageReceived` hooks carry. */
function envelopeOf(event: ChannelEvent, sessionKey: string): InboundMessage {
  return {
    id: event.id,
    channel: event.channel,
    accountId: event.accountId ?? 'default',
    peer: { id: event.chat.id, kind: event.chat.kind === 'topic' ? 'group' : event.chat.kind, ...(event.chat.title ? { name: event.chat.title } : {}) },
    sender: { id: event.sender.id, ...(event.sender.name ? { name: event.sender.name } : {}) },
    text: promptOf(event),
    ...('threadId' in event && event.threadId ? { threadId: event.threadId } : event.chat.topicId ? { threadId: event.chat.topicId } : {}),
    ...(event.kind === 'message' && event.replyToId ? { replyToId: event.replyToId } : {}),
    receivedAt: event.receivedAt ?? Date.now(),
    sessionKey,
    ...(event.agentId ? { agentId: event.agentId } : {}),
  }
}

/**
 * Runs accepted events: claims due inbox rows (a session's first pending row only, so one session's
 * events run in order, one at a time, on any replica), up to `inbound.concurrency` sessions at once.
 * Each event goes through access control (pairing codes for unknown senders), the inbound hooks and
 * one agent run (idempotency key `inbox:<id>`, so a redo after a crash never runs twice), and its
 * reply is written to the outbox under keys derived from the row, so it is never sent twice. A busy
 * session puts it back; an unroutable one fails visibly (row, `inboundFailed`, a log line). A reset
 * trigger (`/new`) or a session stale under `session.reset` starts the session over first, once per
 * row (`SessionStore.resetOnce`), so a redo never wipes the turn that ran after the reset.
 */
export class InboxWorker {
  readonly #active = new Set<Promise<void>>()
  readonly #aborts = new Set<AbortController>()
  #running: Promise<void> | undefined
  /** The pause between polls, cut short when work is enqueued. */
  readonly #pause = new PollPause()
  #claiming = true
  /** Stops hearing the other replicas' announcements. */
  readonly #unhear: () => void

  constructor(private readonly deps: InboxWorkerDeps) {
    // An accepted event wakes this worker, and (several replicas) the others' through the queue.
    deps.inbox.onAccept(() => {
      this.#pause.wake()
      deps.queue.announce()
    })
    this.#unhear = deps.queue.onAnnounce(() => this.#pause.wake())
  }

  start(): void {
    this.#running ??= this.#loop()
  }

  get inFlight(): number {
    return this.#active.size
  }

  /** Stop claiming; let the runs in flight finish within `timeoutMs`, then abort them (their rows stay pending). */
  async stop(timeoutMs: number): Promise<void> {
    this.#claiming = false
    this.#unhear()
    this.#pause.wake()
    await this.#running
    const all = Promise.allSettled([...this.#active])
    const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref?.())])
    if (timedOut) {
      for (const controller of this.#aborts) controller.abort(new Error('the gateway is stopping'))
      await all
    }
  }

  async #loop(): Promise<void> {
    const { config, queue, clock, log } = this.deps
    while (this.#claiming) {
      let claimed = 0
      const free = config.inbound.concurrency - this.#active.size
      if (free > 0) {
        try {
          const rows = await queue.claim(free, clock.now())
          claimed = rows.length
          for (const row of rows) {
            const work: Promise<void> = this.#process(row)
              .catch((err: unknown) => log.error({ err, inboxId: row.id }, 'inbox worker failed on an event'))
              .finally(() => {
                this.#active.delete(work)
                this.#pause.wake()
              })
            this.#active.add(work)
          }
        } catch (err) {
          log.error({ err }, 'inbox worker could not claim events')
        }
      }
      if (claimed === 0 || this.#active.size >= config.inbound.concurrency) {
        await this.#pause.wait(200)
      }
    }
  }

  async #finish(row: InboxRow, set: Record<string, unknown>): Promise<void> {
    const done = await this.deps.queue.complete(row.id, { ...set, updated_at: this.deps.clock.now() })
    if (!done) this.deps.log.warn({ inboxId: row.id }, 'inbox claim was lost before the event finished (its lease ran out)')
  }

  async #fail(row: InboxRow, event: ChannelEvent, code: string, reason: string, batched = false): Promise<void> {
    const { hooks, log } = this.deps
    log.error({ inboxId: row.id, channel: row.channel, accountId: row.account_id, eventId: row.event_id, code }, `inbound event failed: ${reason}`)
    await this.#finish(row, { state: 'failed', reason: `${code}: ${reason}` })
    // Its batch fails with it, visibly (each member's row says which leading row it ran with).
    if (batched) await this.deps.batch.settleMembers(row.id, 'failed', `${code}: ${reason} (batched into ${row.id})`, this.deps.clock.now())
    if (hasTaps(hooks.inboundFailed)) {
      await hooks.inboundFailed.promise({ inboxId: row.id, event, code, reason }).catch((err: unknown) => log.warn({ err }, 'an inboundFailed tap failed'))
    }
  }

  async #process(row: InboxRow): Promise<void> {
    const { channels, agent, hooks, log, clock, config } = this.deps
    const event = JSON.parse(row.event) as ChannelEvent
    const accountId = row.account_id
    const channel = channels.get(row.channel)
    if (!channel) {
      await this.#fail(row, event, 'CORE_ERR_CHANNEL_UNKNOWN', `channel '${row.channel}' is not installed`)
      return
    }
    // 1. Access control (the account's current rules and approvals).
    const rules = channel.access?.(accountId)
    let admitted = (_other: ChannelEvent): boolean => true
    if (rules) {
      const approved = event.chat.kind === 'direct' && rules.dmPolicy === 'pairing' ? await this.deps.pairing.isApproved(row.channel, accountId, event.sender.id) : false
      // A batch holds one sender's events only, each admitted on its own (a group's requireMention).
      admitted = (other) => decideAccess(other, rules, () => approved).action === 'run'
      const decision = decideAccess(event, rules, () => approved)
      if (decision.action === 'pair') {
        await this.#pair(row, event, channel)
        return
      }
      if (decision.action === 'drop') {
        log.info({ inboxId: row.id, channel: row.channel, accountId, senderId: event.sender.id, reason: decision.reason }, 'inbound event not run')
        await this.#finish(row, { state: 'dropped', reason: decision.reason })
        return
      }
    }
    // 2. Routing: the agent must exist.
    const agentId = (event.agentId ?? 'main').toLowerCase()
    if (!agent.agentIds().includes(agentId)) {
      await this.#fail(row, event, CORE_ERR_INBOUND_UNROUTABLE.code, `agent '${agentId}' is not configured (configured: ${agent.agentIds().join(', ')})`)
      return
    }
    // 2b. Inbound batching: quick texts of one sender, an album's parts. Recorded before the run; off: no query.
    let members: readonly BatchMember[] = []
    if (row.batch_of === row.id) {
      members = await this.deps.batch.recorded(row) // a redo: exactly the members recorded
    } else {
      const mode = batchModeOf(event, debounceMsFor(config, channel), config.session.resetTriggers)
      if (mode) {
        const plan = await this.deps.batch.plan(row, event, mode, clock.now(), admitted)
        if (plan.action === 'wait') {
          await this.#finish(row, { due_at: plan.dueAt }) // inside the quiet window: back in line, due when it ends
          await this.deps.batch.wakeIfNewer(row, plan.seen, clock.now())
          return
        }
        if (plan.members.length > 0) {
          if (!(await this.deps.batch.seal(row, plan.members, clock.now()))) {
            log.warn({ inboxId: row.id }, 'inbound batch not recorded (the claim was lost or a member moved); the event is put back')
            await this.#finish(row, {})
            return
          }
          members = plan.members
          log.debug({ inboxId: row.id, members: members.map((m) => m.row.id) }, 'inbound events batched into one turn')
        }
      }
    }
    // 3. The inbound hooks, as for every message (each member of a batch too).
    let envelope: InboundMessage | null = envelopeOf(event, row.session_key)
    if (hasTaps(hooks.inboundMessage)) envelope = await hooks.inboundMessage.promise(envelope)
    const heard: { event: ChannelEvent; text: string }[] = []
    if (envelope !== null) {
      if (hasTaps(hooks.messageReceived)) await hooks.messageReceived.promise(envelope)
      heard.push({ event, text: envelope.text })
    }
    for (const member of members) {
      let memberEnvelope: InboundMessage | null = envelopeOf(member.event, member.row.session_key)
      if (hasTaps(hooks.inboundMessage)) memberEnvelope = await hooks.inboundMessage.promise(memberEnvelope)
      if (memberEnvelope === null) {
        log.debug({ inboxId: member.row.id, batchOf: row.id }, 'batched event dropped by an inboundMessage tap')
        continue
      }
      if (hasTaps(hooks.messageReceived)) await hooks.messageReceived.promise(memberEnvelope)
      heard.push({ event: member.event, text: memberEnvelope.text })
    }
    if (envelope === null && heard.length === 0) {
      await this.#finish(row, { state: 'dropped', reason: 'dropped by an inboundMessage tap' })
      if (members.length > 0) await this.deps.batch.settleMembers(row.id, 'dropped', `dropped by an inboundMessage tap (batched into ${row.id})`, clock.now())
      return
    }
    envelope ??= envelopeOf(heard[0]!.event, row.session_key)
    // 4. Chat commands and the reset policy, in the session's order: a reset happens once per row.
    const sessionKey = envelope.sessionKey ?? row.session_key
    const command = event.kind === 'message' && members.length === 0 ? parseResetTrigger(envelope.text, config.session.resetTriggers) : undefined
    const reset = await this.#resetIfAsked(row, event, agentId, sessionKey, command?.trigger)
    if (command && command.rest === '' && !('attachments' in event && event.attachments?.length)) {
      await this.#acknowledgeReset(row, event, sessionKey, reset)
      return
    }
    if (event.kind === 'button' && channel.answerButton) {
      await channel.answerButton({ accountId, callbackId: event.callbackId }).catch((err: unknown) => log.warn({ err, inboxId: row.id }, 'answering a button press failed'))
    }
    // 5. Media: fetched lazily through the channel into the media store; the reference never leaves the inbox row.
    const attachments: Attachment[] = []
    for (const part of members.length > 0 ? heard.map((h) => h.event) : [event]) {
      try {
        if ('attachments' in part && part.attachments?.length) attachments.push(...(await this.deps.media.fetchAll(channel, accountId, part.attachments)))
      } catch (err) {
        log.warn({ inboxId: row.id, code: (err as { code?: string }).code, err: (err as Error).message }, 'inbound media not fetched')
      }
    }
    // A batch: the texts joined by a newline in arrival order; the reply answers the last message.
    const text = members.length > 0 ? heard.map((h) => h.text).filter((t) => t.trim() !== '').join('\n') : envelope.text
    const last = members.length > 0 ? heard.at(-1)!.event : event
    // 6. The run, with typing while it is busy and a streamed reply where the channel edits.
    const controller = new AbortController()
    this.#aborts.add(controller)
    const lease = setInterval(() => void this.deps.queue.renew([row.id], clock.now()).catch(() => {}), Math.max(1000, config.inbound.leaseMs / 3))
    const target = {
      channel: row.channel,
      to: event.chat.id,
      accountId,
      ...(event.chat.kind === 'topic' && event.chat.topicId ? { threadId: event.chat.topicId } : 'threadId' in event && event.threadId ? { threadId: event.threadId } : {}),
    }
    const typing = this.#typing(channel, target)
    try {
      let result: AgentRunResult
      const reply = new ReplyStream(this.deps.outbox, channel, target, `inbox:${row.id}`, row.session_key, config.streaming, log, last.kind === 'button' ? undefined : (last.messageId ?? (last.kind === 'message' ? last.id : undefined)))
      try {
        const started = await agent.start({
          agentId,
          sessionKey,
          message: command ? command.rest : text,
          ...(attachments.length > 0 ? { attachments } : {}),
          idempotencyKey: `inbox:${row.id}`,
          origin: { channel: row.channel, peer: event.chat.id },
          route: target,
          signal: controller.signal,
        })
        reply.follow(started.events.subscribe())
        result = await started.result
      } catch (err) {
        if (isCodedError(err, CORE_ERR_SESSION_BUSY.code)) return await this.#later(row)
        if (isCodedError(err) && err.statusCode === 400) return await this.#fail(row, event, err.code, err.message, members.length > 0)
        throw err
      }
      if (result.status === 'error' && result.error?.code === CORE_ERR_SESSION_BUSY.code) return await this.#later(row)
      if (result.status === 'aborted' && controller.signal.aborted) return await this.#finish(row, {}) // stopping: pending for the next start
      await reply.finish(result)
      await this.deps.setLastRoute(result.sessionKey, target).catch((err: unknown) => log.debug({ err }, 'last route not recorded'))
      await this.#finish(row, { state: 'done', attempts: Number(row.attempts) + 1 })
    } finally {
      clearInterval(lease)
      typing.stop()
      this.#aborts.delete(controller)
    }
  }

  /**
   * Reset the session when a trigger asks for it, or when it is stale under `session.reset` (the policy
   * reads the session only when it is on); record the interaction while the policy looks at idleness.
   * Keyed by the row: a redo finds the reset done and leaves the session alone. Why it was reset, if it was.
   */
  async #resetIfAsked(row: InboxRow, event: ChannelEvent, agentId: string, sessionKey: string, trigger: string | undefined): Promise<string | undefined> {
    const { sessions, config, clock, log } = this.deps
    const policy = config.session.reset
    let why = trigger !== undefined ? `trigger ${trigger}` : undefined
    if (why === undefined && policy.mode !== 'none') {
      const session = await sessions.get(sessionKey)
      const stale = session ? staleReason(session, policy, clock.now()) : undefined
      if (stale) why = `${stale} reset policy`
    }
    if (why !== undefined) {
      const fresh = await sessions.resetOnce(sessionKey, agentId, `inbox:${row.id}`, { channel: row.channel, peer: event.chat.id })
      log.info({ inboxId: row.id, sessionKey, reason: why, redo: !fresh }, fresh ? 'session reset' : 'session already reset by this event')
    }
    if (tracksInteraction(policy)) await sessions.touch(sessionKey)
    return why
  }

  /** A trigger alone: no model turn, a short answer through the outbox (keyed by the row: sent once). */
  async #acknowledgeReset(row: InboxRow, event: ChannelEvent, sessionKey: string, why: string | undefined): Promise<void> {
    const { outbox, log } = this.deps
    const threadId = event.chat.kind === 'topic' && event.chat.topicId ? event.chat.topicId : 'threadId' in event && event.threadId ? event.threadId : undefined
    await outbox.enqueue({
      channel: row.channel, accountId: row.account_id, to: event.chat.id, ...(threadId ? { threadId } : {}),
      text: RESET_ACKNOWLEDGEMENT, sessionKey, deliveryKey: `inbox:${row.id}:reset`,
    }, { preformatted: true })
    log.debug({ inboxId: row.id, sessionKey, reason: why }, 'reset acknowledged; no model turn')
    await this.#finish(row, { state: 'done', attempts: Number(row.attempts) + 1 })
  }

  /** A busy session: back in line, never dropped. */
  async #later(row: InboxRow): Promise<void> {
    const { clock, config, log } = this.deps
    log.debug({ inboxId: row.id, sessionKey: row.session_key }, 'session busy; event put back in line')
    await this.#finish(row, { due_at: clock.now() + config.inbound.busyRetryMs, attempts: Number(row.attempts) + 1 })
  }

  /** An unknown sender under `dmPolicy: pairing`: a code (answered only when newly issued), and nothing runs. */
  async #pair(row: InboxRow, event: ChannelEvent, channel: ChannelDefinition): Promise<void> {
    const { pairing, outbox, log } = this.deps
    const ask = await pairing.ask(row.channel, row.account_id, event.sender)
    log.info({ channel: row.channel, accountId: row.account_id, senderId: event.sender.id, pairing: ask.status }, 'pairing request')
    if (ask.status === 'issued') {
      const text = [
        'OpenClaw: access not configured.',
        `Your ${channel.label ?? channel.id} user id: ${event.sender.id}`,
        `Pairing code: ${ask.code}`,
        `Ask the bot owner to approve with:\nopenclaw pairing approve ${row.channel} ${ask.code}`,
      ].join('\n\n')
      await outbox.enqueue({ channel: row.channel, accountId: row.account_id, to: event.chat.id, text, deliveryKey: `pairing:${row.id}` }, { preformatted: true })
    }
    await this.#finish(row, { state: 'dropped', reason: `pairing ${ask.status}` })
  }

  #typing(channel: ChannelDefinition, target: { to: string; accountId: string; threadId?: string }): { stop(): void } {
    if (!channel.capabilities?.typing || !channel.typing) return { stop: () => {} }
    const tick = () => void channel.typing!(target).catch(() => {})
    tick()
    const timer = setInterval(tick, TYPING_EVERY_MS)
    return { stop: () => clearInterval(timer) }
  }
}
