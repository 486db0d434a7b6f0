import type { AgentEvent, AgentRunResult, GatewayRuntime, Logger } from '@openclaw/plugin-sdk'
import { RPC_ERR_INTERNAL } from './errors.js'
import type { RequestId } from './frame-encoder.js'
import type { RpcConnection } from './rpc-connection.js'
import { RunPayloads } from './run-payloads.js'

/** What `api.gateway.agent.start()` returns. */
export type StartedRun = Awaited<ReturnType<GatewayRuntime['agent']['start']>>

/** `chat` deltas go out at most this often per run; the rest is coalesced (and flushed before `final`). */
const CHAT_DELTA_INTERVAL_MS = 150

interface FinalWaiter {
  readonly connection: RpcConnection
  readonly id: RequestId
}

/**
 * One kernel run as this plugin's clients see it. It follows the run's events once, serializes each
 * protocol event once, and sends that JSON to every subscribed connection (each with its own `seq`):
 * `agent` events to `agent` callers, `chat` events to `chat.send` callers, then the final `res` of
 * each `agent` request. Duplicates that join later get the events from then on (events are never
 * replayed).
 */
export class RunBroadcast {
  /** When the first request was accepted (epoch ms). */
  readonly acceptedAt = Date.now()
  readonly #agentSubscribers = new Set<RpcConnection>()
  readonly #chatSubscribers = new Set<RpcConnection>()
  readonly #finals: FinalWaiter[] = []
  #seq = 0
  #text = ''
  #chatSentLength = 0
  #chatSentAt = 0
  #pumping = false
  #done = false

  constructor(
    /** The id clients know the run by: its idempotency key, else the kernel's run id. */
    readonly runId: string,
    readonly started: StartedRun,
    private readonly log: Logger,
    private readonly onDone: (broadcast: RunBroadcast) => void,
  ) {}

  get kernelRunId(): string {
    return this.started.runId
  }

  get sessionKey(): string {
    return this.started.sessionKey
  }

  get agentId(): string {
    return this.started.agentId
  }

  get done(): boolean {
    return this.#done
  }

  /** Send this connection the run's `agent` events, and the final `res` of request `id`. */
  addAgentSubscriber(connection: RpcConnection, id: RequestId): void {
    this.#agentSubscribers.add(connection)
    this.#finals.push({ connection, id })
  }

  /** Send this connection the run's `chat` events. */
  addChatSubscriber(connection: RpcConnection): void {
    this.#chatSubscribers.add(connection)
  }

  /** The stored result, when the kernel answered the idempotency key from its store (the run finished earlier). */
  async storedResult(): Promise<AgentRunResult | undefined> {
    const pending = Symbol('pending')
    // A stored result is an already-resolved promise, so it wins the race; a live run's does not.
    const first = await Promise.race([this.started.result, Promise.resolve(pending)])
    return first === pending ? undefined : (first as AgentRunResult)
  }

  /** Start following the run's events (they are buffered by the kernel until then). */
  start(): void {
    if (this.#pumping) return
    this.#pumping = true
    void this.#pump()
  }

  /** Answer every subscriber from a stored result: no events, just the final answers. */
  finishStored(result: AgentRunResult): void {
    this.#finish(result, false)
  }

  async #pump(): Promise<void> {
    try {
      for await (const event of this.started.events.subscribe()) this.#onEvent(event)
      if (!this.#done) this.#finish(await this.started.result, true)
    } catch (err) {
      this.log.error({ err, runId: this.kernelRunId }, 'following an agent run failed')
      if (!this.#done) {
        const result = await this.started.result.catch(() => undefined)
        if (result) this.#finish(result, true)
        else this.#abandon()
      }
    }
  }

  #onEvent(event: AgentEvent): void {
    if (event.type === 'text') {
      this.#text += event.delta
      const seq = ++this.#seq
      if (this.#agentSubscribers.size > 0) this.#sendAgent(seq, 'assistant', { text: this.#text, delta: event.delta }, false)
      if (this.#chatSubscribers.size > 0) {
        const now = Date.now()
        if (now - this.#chatSentAt >= CHAT_DELTA_INTERVAL_MS) this.#sendChatDelta(seq, now)
      }
      return
    }
    if (event.type === 'tool') {
      const seq = ++this.#seq
      // The model's text after tool results is a new assistant message; the result's text is the last one.
      if (event.phase === 'start' && this.#text !== '') {
        this.#text = ''
        this.#chatSentLength = 0
      }
      if (this.#agentSubscribers.size === 0) return
      const data =
        event.phase === 'start'
          ? { phase: 'start', name: event.call.name, toolCallId: event.call.id, args: event.call.arguments }
          : {
              phase: 'end',
              name: event.result.name,
              toolCallId: event.result.toolCallId,
              isError: !event.result.ok,
              ...(event.result.ok ? { result: event.result.output } : { error: event.result.error }),
              durationMs: Math.round(event.result.durationMs),
            }
      this.#sendAgent(seq, 'tool', data, true)
      return
    }
    if (event.phase === 'start') {
      this.#sendAgent(++this.#seq, 'lifecycle', { phase: 'start', startedAt: Date.now() }, false)
      return
    }
    this.#finish(event.result, true)
  }

  /** The run ended: its last `agent` event (when it was followed live), the `chat` final, every final `res`. */
  #finish(result: AgentRunResult, live: boolean): void {
    if (this.#done) return
    this.#done = true
    const now = Date.now()
    const seq = ++this.#seq
    if (live) {
      const phase = result.status === 'ok' ? 'end' : 'error'
      this.#sendAgent(seq, 'lifecycle', { phase, endedAt: now, status: result.status, stopReason: result.finishReason, ...(result.error ? { error: result.error } : {}) }, false)
    }
    if (this.#chatSubscribers.size > 0) this.#sendChatFinal(seq, now, result, live)
    if (this.#finals.length > 0) {
      const json = JSON.stringify(RunPayloads.agentFinal(this.runId, result))
      for (const waiter of this.#finals) waiter.connection.sendOk(waiter.id, json)
    }
    this.#release()
  }

  /** The run cannot be followed any further (should not happen): tell the waiters instead of leaving them hanging. */
  #abandon(): void {
    this.#done = true
    for (const waiter of this.#finals) waiter.connection.sendError(waiter.id, { code: 'UNAVAILABLE', message: 'internal error', details: { code: RPC_ERR_INTERNAL.code } })
    this.#release()
  }

  #release(): void {
    this.#agentSubscribers.clear()
    this.#chatSubscribers.clear()
    this.#finals.length = 0
    this.onDone(this)
  }

  #sendAgent(seq: number, stream: 'lifecycle' | 'assistant' | 'tool', data: object, toolsOnly: boolean): void {
    if (this.#agentSubscribers.size === 0) return
    const json = JSON.stringify({ runId: this.runId, seq, stream, ts: Date.now(), sessionKey: this.sessionKey, data })
    for (const connection of this.#agentSubscribers) {
      if (!connection.open) this.#agentSubscribers.delete(connection)
      else if (!toolsOnly || connection.toolEvents) connection.sendEvent('agent', json)
    }
  }

  #sendChat(payload: object): void {
    const json = JSON.stringify(payload)
    for (const connection of this.#chatSubscribers) {
      if (!connection.open) this.#chatSubscribers.delete(connection)
      else connection.sendEvent('chat', json)
    }
  }

  #sendChatDelta(seq: number, now: number): void {
    const deltaText = this.#text.slice(this.#chatSentLength)
    this.#chatSentLength = this.#text.length
    this.#chatSentAt = now
    this.#sendChat({
      runId: this.runId, sessionKey: this.sessionKey, agentId: this.agentId, seq, state: 'delta', deltaText,
      message: RunPayloads.assistantMessage(this.#text, now),
    })
  }

  #sendChatFinal(seq: number, now: number, result: AgentRunResult, live: boolean): void {
    const text = result.status === 'ok' ? result.text : this.#text
    let finalSeq = seq
    if (live && text.length > this.#chatSentLength) {
      this.#text = text
      this.#sendChatDelta(seq, now)
      // The final follows that delta: it needs a seq of its own, or clients deduplicating on
      // (runId, seq) would drop it.
      finalSeq = ++this.#seq
    }
    const base = { runId: this.runId, sessionKey: this.sessionKey, agentId: this.agentId, seq: finalSeq }
    if (result.status === 'ok') {
      this.#sendChat({ ...base, state: 'final', stopReason: result.finishReason, usage: result.usage, message: RunPayloads.assistantMessage(text, now) })
    } else if (result.status === 'aborted') {
      this.#sendChat({ ...base, state: 'aborted', ...(text !== '' ? { message: RunPayloads.assistantMessage(text, now) } : {}) })
    } else {
      this.#sendChat({
        ...base, state: 'error', errorMessage: result.error?.message ?? result.status, errorKind: result.status === 'timeout' ? 'timeout' : 'unknown',
        ...(result.error ? { errorCode: result.error.code } : {}),
      })
    }
  }
}
