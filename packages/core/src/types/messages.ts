/** What kind of media a file is. */
export type MediaKind = 'image' | 'audio' | 'video' | 'file'

/** Media attached to a message: by URL, or inline as base64 `data`. */
export interface Attachment {
  readonly kind: MediaKind
  readonly url?: string
  /** Base64 payload, when the media is inline. */
  readonly data?: string
  readonly mimeType?: string
  readonly name?: string
}

/** Who a message is from or to, as the channel names them. */
export interface Peer {
  readonly id: string
  readonly kind: 'direct' | 'group' | 'channel'
  readonly name?: string
}

/** A message a channel received, on its way to an agent. */
export interface InboundMessage {
  /** The channel's own id for the message; with `channel` it identifies the message for de-duplication. */
  readonly id: string
  /** Channel id, e.g. `telegram`. */
  readonly channel: string
  readonly accountId?: string
  /** The conversation the message arrived in (a chat, a group, a webhook caller). */
  readonly peer: Peer
  readonly sender?: { readonly id: string; readonly name?: string }
  readonly text: string
  readonly attachments?: readonly Attachment[]
  readonly threadId?: string
  readonly replyToId?: string
  /** Epoch milliseconds. */
  readonly receivedAt: number
  /** Route the message to this agent instead of the default one. */
  readonly agentId?: string
  /** Route the message to this session instead of the one derived from channel and peer. */
  readonly sessionKey?: string
  /** The channel's raw update, for taps that need more than the envelope. */
  readonly raw?: unknown
}

/** An interactive button under an outbound message, for channels that support them. */
export interface MessageButton {
  readonly text: string
  readonly data?: string
  readonly url?: string
}

/** A message on its way to a channel. */
export interface OutboundMessage {
  readonly channel: string
  /** The channel's target: a chat id, a user id, a URL, … */
  readonly to: string
  readonly accountId?: string
  readonly text: string
  readonly attachments?: readonly Attachment[]
  /** Rows of buttons. */
  readonly buttons?: readonly (readonly MessageButton[])[]
  /** A structured card, passed through to channels that render one. */
  readonly card?: Readonly<Record<string, unknown>>
  readonly threadId?: string
  readonly replyToId?: string
  /** Session the message belongs to, if any. */
  readonly sessionKey?: string
  /** The outbox never sends two messages with the same key. */
  readonly deliveryKey: string
}

/** What a channel reports once it has sent a message. */
export interface DeliveryReceipt {
  readonly deliveryKey: string
  readonly channel: string
  readonly to: string
  /** The channel's id for the sent message. */
  readonly messageId: string
  /** Epoch milliseconds. */
  readonly deliveredAt: number
}
