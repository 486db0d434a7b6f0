import type { Logger } from '../logging/logger.js'
import type { OutboundMessage } from './messages.js'

export interface ChannelCapabilities {
  readonly media?: boolean
  readonly buttons?: boolean
  readonly cards?: boolean
  readonly threads?: boolean
  readonly markdown?: boolean
}

export interface ChannelSendContext {
  /** 1 on the first try; the outbox retries failed sends with backoff. */
  readonly attempt: number
  readonly signal: AbortSignal
  readonly log: Logger
}

/**
 * A channel delivers outbound messages. Inbound messages enter through `api.inbound.receive()`.
 * `send` resolves with the channel's message id; to ask for a later retry, throw an error with a
 * numeric `retryAfterMs`; to fail for good, throw one with `permanent: true`.
 */
export interface ChannelDefinition {
  readonly id: string
  readonly label?: string
  readonly capabilities?: ChannelCapabilities
  send(message: OutboundMessage, ctx: ChannelSendContext): Promise<{ readonly messageId: string }>
}
