import type { MediaKind } from './messages.js'

/**
 * The chat an event happened in. `topic` is a topic (forum thread) inside a group: `id` is the
 * group's, `topicId` the topic's.
 */
export interface ChannelChat {
  readonly id: string
  readonly kind: 'direct' | 'group' | 'channel' | 'topic'
  readonly topicId?: string
  readonly title?: string
}

/** Who sent an event, as the channel names them. */
export interface ChannelSender {
  readonly id: string
  readonly name?: string
  readonly username?: string
  readonly isBot?: boolean
}

/**
 * Inbound media as a reference the channel resolves itself with `fetchMedia(ref)`. The reference may
 * carry what the channel needs (a file id, a URL with a token): the core keeps it in the inbox and
 * never shows it to a model, a transcript or a log.
 */
export interface InboundMediaRef {
  readonly ref: string
  readonly kind: MediaKind
  readonly mimeType?: string
  readonly name?: string
  /** Size in bytes, when the channel knows it before fetching. */
  readonly size?: number
}

interface ChannelEventBase {
  /** The channel's own id for the event; with `channel` and `accountId` it de-duplicates. */
  readonly id: string
  readonly channel: string
  /** The channel account that received it. Default `default`. */
  readonly accountId?: string
  readonly chat: ChannelChat
  readonly sender: ChannelSender
  /** Epoch milliseconds; default: when it was accepted. */
  readonly receivedAt?: number
  /** Route to this agent instead of the default one. */
  readonly agentId?: string
  /** The channel's raw update, for taps that need more than the envelope (kept out of transcripts). */
  readonly raw?: unknown
}

/** A new message. */
export interface ChannelMessageEvent extends ChannelEventBase {
  readonly kind: 'message'
  /** The channel's id for the message (to reply to or edit); default `id`. */
  readonly messageId?: string
  readonly text: string
  readonly attachments?: readonly InboundMediaRef[]
  readonly replyToId?: string
  /** A thread inside the chat (Slack/Discord threads); a topic is `chat.kind: 'topic'`. */
  readonly threadId?: string
  /** The bot was mentioned (or replied to): what `requireMention` looks at in groups. */
  readonly mentioned?: boolean
  /**
   * Parts of one album (Telegram's `media_group_id`) share this id: the inbox runs them as one turn
   * (docs/channels.md "Inbound batching").
   */
  readonly groupId?: string
}

/** A message the sender edited. */
export interface ChannelEditedEvent extends ChannelEventBase {
  readonly kind: 'edited'
  readonly messageId: string
  readonly text: string
  readonly attachments?: readonly InboundMediaRef[]
  readonly threadId?: string
  readonly mentioned?: boolean
}

/** A press on a button the agent sent. Answered through the channel's `answerButton()`. */
export interface ChannelButtonEvent extends ChannelEventBase {
  readonly kind: 'button'
  /** The button's callback data. */
  readonly data: string
  /** The channel's id for the press, to answer it. */
  readonly callbackId: string
  /** The message the button was under. */
  readonly messageId?: string
  readonly threadId?: string
}

/** What a channel hands to `api.inbound.accept()`. */
export type ChannelEvent = ChannelMessageEvent | ChannelEditedEvent | ChannelButtonEvent

/** The answer of `accept()`: the event is durable (`accepted`) or was seen before (`duplicate`). */
export interface AcceptOutcome {
  readonly status: 'accepted' | 'duplicate'
  /** The inbox row's id. */
  readonly inboxId: string
}
