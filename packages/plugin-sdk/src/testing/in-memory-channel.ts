import { randomUUID } from 'node:crypto'
import type { AcceptOutcome, ChannelCapabilities, ChannelDefinition, ChannelMessageEvent, GatewayRuntime, InboundMessage, InboundOutcome, OutboundMessage, PluginDefinition } from '@openclaw/core'

export interface InMemoryChannelOptions {
  /** Channel id; default `memory`. */
  readonly id?: string
  /** Make the next `n` sends fail (to exercise retries); each failure asks for a retry after `retryAfterMs`. */
  readonly failFirst?: number
  readonly retryAfterMs?: number
  /** Declare `edit` (streamed replies edit a draft) and record edits in `edits`. */
  readonly edit?: boolean
  /** Longest text of one message (default 100,000). */
  readonly maxLength?: number
}

/**
 * A channel that lives in memory: push inbound messages as if a user wrote them, read what the
 * gateway delivered. It is a real plugin: add `channel.plugin` to the gateway's plugins.
 */
export class InMemoryChannel implements ChannelDefinition {
  readonly id: string
  readonly label = 'In-memory channel'
  readonly capabilities: ChannelCapabilities
  /** Every edit of a sent message, in order. */
  readonly edits: { readonly messageId: string; readonly text: string }[] = []
  /** Every message the gateway delivered, in order. */
  readonly delivered: OutboundMessage[] = []
  /** Send attempts, including failed ones. */
  attempts = 0
  readonly plugin: PluginDefinition
  #gateway: GatewayRuntime | undefined
  #failuresLeft: number
  readonly #retryAfterMs: number
  readonly #waiters: { count: number; resolve: () => void }[] = []

  constructor(options: InMemoryChannelOptions = {}) {
    this.id = options.id ?? 'memory'
    this.#failuresLeft = options.failFirst ?? 0
    this.#retryAfterMs = options.retryAfterMs ?? 1
    this.capabilities = {
      text: { maxLength: options.maxLength ?? 100_000, format: 'markdown' },
      media: { kinds: ['image', 'audio', 'video', 'file'], maxBytes: 20 * 1024 * 1024 },
      buttons: true,
      cards: true,
      threads: true,
      replyTo: true,
      edit: options.edit === true,
    }
    if (options.edit) {
      this.edit = async (target: { messageId: string; text: string }) => {
        this.edits.push({ messageId: target.messageId, text: target.text })
      }
    }
    this.plugin = {
      id: `channel:${this.id}`,
      version: '1.0.0',
      kind: 'channel',
      register: (api) => {
        this.#gateway = api.gateway
        api.channels.register(this)
      },
    }
  }

  edit?: ChannelDefinition['edit']

  async send(message: OutboundMessage): Promise<{ messageId: string }> {
    this.attempts++
    if (this.#failuresLeft > 0) {
      this.#failuresLeft--
      throw Object.assign(new Error('in-memory channel: scripted failure'), { retryAfterMs: this.#retryAfterMs })
    }
    this.delivered.push(message)
    for (const waiter of [...this.#waiters]) {
      if (this.delivered.length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
    return { messageId: `mem_${this.delivered.length}` }
  }

  /** Deliver a message to the gateway as if a user sent it; resolves when the gateway has handled it. */
  push(message: Partial<InboundMessage> & { text: string }): Promise<InboundOutcome> {
    if (!this.#gateway) throw new Error(`InMemoryChannel '${this.id}' is not registered with a gateway: add channel.plugin to its plugins`)
    return this.#gateway.inbound.receive({
      id: randomUUID(),
      channel: this.id,
      peer: { id: 'user-1', kind: 'direct' },
      receivedAt: Date.now(),
      ...message,
    })
  }

  /** Hand the gateway an event as a channel does (`api.gateway.inbound.accept`): durable, answered at once. */
  accept(event: Partial<ChannelMessageEvent> & { text: string }): Promise<AcceptOutcome> {
    if (!this.#gateway) throw new Error(`InMemoryChannel '${this.id}' is not registered with a gateway: add channel.plugin to its plugins`)
    return this.#gateway.inbound.accept({
      kind: 'message',
      id: randomUUID(),
      channel: this.id,
      chat: { id: 'user-1', kind: 'direct' },
      sender: { id: 'user-1' },
      ...event,
    })
  }

  /** Resolves once at least `count` messages have been delivered. */
  waitForDeliveries(count: number): Promise<void> {
    if (this.delivered.length >= count) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push({ count, resolve }))
  }
}
