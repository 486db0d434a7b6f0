import type { ChannelAccessConfig } from '../channels/channel-access-config.js'
import type { Logger } from '../logging/logger.js'
import type { MediaKind, OutboundMessage } from './messages.js'

/** How a channel renders text: the core converts the agent's markdown to this. */
export type TextFormat = 'plain' | 'markdown' | 'html'

/** A token bucket: `perSecond` tokens refill every second, up to `burst` (default `perSecond`). */
export interface ChannelRateLimit {
  readonly perSecond: number
  readonly burst?: number
  /** A tighter bucket per chat (Telegram: about 1 message a second to one chat). */
  readonly perChat?: { readonly perSecond: number; readonly burst?: number }
}

/**
 * What a channel can do. The core chunks and formats text to `text`, drops (with a note) media of a
 * kind the channel does not take, offers buttons, edits and typing only where declared.
 */
export interface ChannelCapabilities {
  /** Longest text one message may carry, and the format it is rendered in. Default 4000, plain. */
  readonly text?: { readonly maxLength: number; readonly format: TextFormat }
  /**
   * Media the channel sends, and the largest file it takes. Absent: no media. `perMessage`: how many
   * attachments one message (one `send()`) carries; `captionMaxLength`: the longest text (as plain
   * characters) that rides with them as a caption. With either, the outbox gives each message its own
   * row, so a retry (or a send in doubt) repeats one message, never the ones before it: attachments in
   * groups of `perMessage`, the text as the first one's caption when it fits, else as rows after them.
   */
  readonly media?: { readonly kinds: readonly MediaKind[]; readonly maxBytes: number; readonly perMessage?: number; readonly captionMaxLength?: number }
  readonly buttons?: boolean
  /** `edit()` works: streaming updates a draft message. */
  readonly edit?: boolean
  readonly delete?: boolean
  /** `typing()` shows a typing indicator. */
  readonly typing?: boolean
  /** A message can answer an earlier one (`replyToId`). */
  readonly replyTo?: boolean
  readonly threads?: boolean
  /** A structured card is passed through. */
  readonly cards?: boolean
  /** The delivery worker never sends faster than this. Default: no limit. */
  readonly rateLimit?: ChannelRateLimit
  /**
   * The receiver recognises a resend of the same delivery key (a webhook's `webhook-id`), so a send
   * cut off midway is simply sent again. Otherwise (Telegram: the Bot API has no idempotency key) the
   * worker records when each send begins, and a send cut off by a crash, or by a connection lost after
   * the request went out, is "in doubt": resent with a warning, or a dead letter, per `delivery.inDoubt`.
   */
  readonly idempotentSend?: boolean
}

export interface ChannelSendContext {
  /** 1 on the first try; the delivery worker retries failed sends with backoff. */
  readonly attempt: number
  readonly signal: AbortSignal
  readonly log: Logger
}

/** The channel's answer to a send: its id for the message, used to edit or delete it later. */
export interface ChannelSendResult {
  readonly messageId: string
}

/** Bytes a channel fetched for an inbound media reference. */
export interface FetchedMedia {
  readonly data: Uint8Array
  readonly mimeType?: string
  readonly name?: string
}

/** Liveness a channel account reports from real progress (the core adds its own send facts). */
export interface ChannelAccountProgress {
  /** Last successful receive or poll (epoch ms). A poller that is stuck stops moving this. */
  readonly lastReceiveAt?: number
  /** A poller: no progress for this long is unhealthy (`stale`), however alive the process. */
  readonly staleAfterMs?: number
  readonly lastError?: { readonly message: string; readonly at: number }
}

/** One channel account's liveness, as `channels.status` and `/readyz` report it. */
export interface ChannelAccountStatus {
  readonly channel: string
  readonly accountId: string
  /** `ok`; `idle` (nothing yet); `stale` (a poller made no progress within `staleAfterMs`); `error` (the last thing that happened failed). */
  readonly state: 'ok' | 'idle' | 'stale' | 'error'
  readonly healthy: boolean
  readonly lastReceiveAt?: number
  readonly lastSendAt?: number
  readonly lastError?: { readonly message: string; readonly at: number }
  /** Sends in doubt on this replica since it started (cut off after they began: they may have arrived), and the last one's time. */
  readonly inDoubt?: { readonly count: number; readonly lastAt: number }
}

/**
 * A channel: it delivers outbound messages and hands inbound events to `api.inbound.accept()`.
 *
 * To ask for a later retry, throw an error with a numeric `retryAfterMs`; to fail for good (the user
 * blocked the bot, the chat is gone), throw one with `permanent: true`, and add `recipient: true`
 * when it is the recipient's doing, not the account's (the account's status stays healthy). Any
 * other error is retried with backoff; add `maybeDelivered: true` when the request may have reached
 * the service (the connection broke after it went out, a timeout), so the retry is treated as in
 * doubt (see `capabilities.idempotentSend`). See docs/channels.md.
 */
export interface ChannelDefinition {
  readonly id: string
  readonly label?: string
  readonly capabilities?: ChannelCapabilities
  /**
   * Inbound defaults. `debounceMs`: the quiet window within which one sender's quick text messages
   * become one turn (Telegram 300; default 0, off); `messages.inbound.*` in the config overrides it.
   */
  readonly inbound?: { readonly debounceMs?: number }
  /** Send one message (text already chunked and formatted to `capabilities.text`). */
  send(message: OutboundMessage, ctx: ChannelSendContext): Promise<ChannelSendResult>
  /** Replace the text of a message it sent (`capabilities.edit`). */
  edit?(target: { readonly to: string; readonly accountId?: string; readonly messageId: string; readonly text: string }, ctx: ChannelSendContext): Promise<void>
  delete?(target: { readonly to: string; readonly accountId?: string; readonly messageId: string }, ctx: ChannelSendContext): Promise<void>
  /** Show a typing indicator in a chat for a few seconds (`capabilities.typing`); the core repeats it. */
  typing?(target: { readonly to: string; readonly accountId?: string; readonly threadId?: string }): Promise<void>
  /** Answer a button press (stop the client's spinner, show a short notice). */
  answerButton?(press: { readonly accountId: string; readonly callbackId: string; readonly text?: string }): Promise<void>
  /** Resolve an inbound media reference to bytes, at most `maxBytes` (throw beyond). */
  fetchMedia?(ref: string, options: { readonly accountId: string; readonly maxBytes: number; readonly signal: AbortSignal }): Promise<FetchedMedia>
  /**
   * An account's access rules (`dmPolicy`, `allowFrom`, `groupPolicy`, `groupAllowFrom`, `groups`),
   * applied by the core before an event runs. Without it every accepted event runs.
   */
  access?(accountId: string): ChannelAccessConfig | undefined
  /**
   * How an account's replies stream where the channel can edit (default `partial`): `off` sends the
   * finished reply only; `partial` edits a draft as the text grows; `block` edits it by whole
   * paragraphs. The gateway's `streaming.enabled: false` turns it off everywhere.
   */
  streaming?(accountId: string): 'off' | 'partial' | 'block' | 'progress'
  /**
   * Whether an account's replies quote the message they answer (OpenClaw's `replyToMode`, default
   * `off`): `first` quotes it on the reply's first message, `all` on every message the reply sends.
   */
  replyToMode?(accountId: string): 'off' | 'first' | 'all'
  /** The accounts this channel runs, with their progress; the core adds sends and errors it saw. */
  status?(): readonly ({ readonly accountId: string } & ChannelAccountProgress)[]
}

/** Default text capability: 4000 characters, plain text. */
export const DEFAULT_TEXT_CAPABILITY = Object.freeze({ maxLength: 4000, format: 'plain' as TextFormat })
