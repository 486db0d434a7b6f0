import type { BotMessage } from './chat-store.js'
import type { CallbackAnswer, ChatActionRecord } from './fake-telegram-state.js'
import type { DelayOptions, DropOptions, FakeTelegramFault, FaultTimes } from './fault-plan.js'
import type { FloodLimits } from './flood-control.js'
import type { TgBotUser, TgCallbackQuery, TgChat, TgMessage, TgUpdate, TgUser, TgWebhookInfo } from './telegram-types.js'
import type {
  FakeDocumentInput,
  FakeGroupOptions,
  FakeMessageTarget,
  FakePhotoInput,
  FakeUserOptions,
  GroupMessageInput,
  PressButtonInput,
  UserMessageInput,
} from './user-actions.js'
import type { WebhookDelivery } from './webhook-sender.js'

// The test-facing API of the fake Telegram Bot API server: its options, its handle, what it records.

export interface FakeTelegramOptions {
  /** The bot token the server accepts; any other answers `401 Unauthorized`. Default `123456789:TEST-fake-telegram-token`. */
  readonly token?: string
  /** The bot's username, without `@`. Default `openclaw_test_bot`. */
  readonly botUsername?: string
  /** The bot's first name. Default `OpenClaw Test Bot`. */
  readonly botName?: string
  /** Largest request body; a larger one answers `413`. Default 52 MB (Telegram's 50 MB upload limit plus the form). */
  readonly bodyLimitBytes?: number
  /** Webhook mode: first retry delay after a failed delivery, doubled up to 2 s. Default 100 ms. */
  readonly webhookRetryDelayMs?: number
  /** Webhook mode: how long one delivery may take before it counts as failed. Default 10 s. */
  readonly webhookTimeoutMs?: number
  /** Emulate Telegram's flood limits (default: none): sends and edits beyond them answer 429 with `retry_after`. */
  readonly floodLimits?: FloodLimits
}

/** A file part of a recorded call. */
export interface RecordedUpload {
  readonly field: string
  readonly fileName: string
  readonly contentType?: string
  readonly size: number
}

/** A Bot API call the server received (with the right token and a known method), in arrival order. */
export interface RecordedCall {
  /** The method's canonical name (`sendMessage`), whatever case the client used. */
  readonly method: string
  /** Parameters from the query string and the body, JSON fields decoded, numbers and booleans converted. */
  readonly params: Readonly<Record<string, unknown>>
  readonly uploads: readonly RecordedUpload[]
  /** `multipart`, `json`, `form` or `query` (no body). */
  readonly encoding: 'multipart' | 'json' | 'form' | 'query'
  /** Epoch milliseconds at arrival. */
  readonly at: number
  /**
   * The HTTP status answered (200 or the error code); `dropped` when `dropConnections` cut it;
   * `closed` when the client went away during a `delay` (the method did not run); unset while in flight.
   */
  readonly status?: number | 'dropped' | 'closed'
  /** The error description, when the call failed. */
  readonly description?: string
  /** The answer's `result`, when the call succeeded. */
  readonly result?: unknown
  /** Run from a webhook response body rather than an HTTP request to the API. */
  readonly viaWebhookReply?: boolean
}

/** Options of the `waitFor*` helpers. */
export interface WaitOptions {
  /** Default 5,000 ms. */
  readonly timeoutMs?: number
  /** Shown in the timeout error. */
  readonly description?: string
}

/**
 * A fake Telegram Bot API server on `127.0.0.1`, for tests of Telegram bots and channels. Point the
 * client at `apiRoot` (grammY: `new Bot(tg.token, { client: { apiRoot: tg.apiRoot } })`), push what
 * users do, and observe what the bot did. Every instance has its own state.
 */
export interface FakeTelegram {
  /** `http://127.0.0.1:<port>`: the Bot API root (no trailing slash). */
  readonly apiRoot: string
  readonly token: string
  /** The bot's user, as `getMe` answers it. */
  readonly bot: TgBotUser
  /** `{apiRoot}/bot<token>/<method>`. */
  url(method: string): string
  /** `{apiRoot}/file/bot<token>/<filePath>`: where a file is downloaded after `getFile`. */
  fileUrl(filePath: string): string

  // Users and chats.
  /** A new user (ids count up from 5000001). Its DM chat with the bot (id = user id) is known from now on. */
  user(options?: FakeUserOptions): TgUser
  /** A new group or supergroup (default), or a forum supergroup with `{ forum: true }`. */
  group(options?: FakeGroupOptions): TgChat
  /** Create a forum topic (queues its `forum_topic_created` service message); returns its thread id. */
  topic(chat: TgChat, options: { readonly name?: string; readonly from: TgUser }): number
  /** From now on, the bot's sends to this user's DM answer `403 Forbidden: bot was blocked by the user`. */
  block(user: TgUser): void
  unblock(user: TgUser): void

  // What users do: each call queues one update and returns its message (or callback query).
  /** A user writes to the bot in private. `@mentions`, `/commands` and URLs get their entities. */
  sendDm(from: TgUser, message: string | UserMessageInput): TgMessage
  /** A user writes in a group: with `mention: true` the text starts with `@<botUsername>`; `replyToBot` replies to the bot. */
  sendGroupMessage(input: GroupMessageInput): TgMessage
  /** A user sends a photo; `getFile` and the download path serve its bytes. */
  sendPhoto(target: FakeMessageTarget, photo: FakePhotoInput): TgMessage
  /** A user sends an album: 2 to 10 photos, one update each, sharing a `media_group_id` (as Telegram delivers it). */
  sendAlbum(target: FakeMessageTarget, photos: readonly FakePhotoInput[]): TgMessage[]
  /** A user sends a document; `getFile` and the download path serve its bytes. */
  sendDocument(target: FakeMessageTarget, document: FakeDocumentInput): TgMessage
  /** A user presses an inline button of a message the bot sent (a `callback_query` update). */
  pressButton(input: PressButtonInput): TgCallbackQuery
  /** Queue any update; `update_id` is assigned unless given. Chats found in it become known. */
  pushUpdate(update: Omit<TgUpdate, 'update_id'> & { readonly update_id?: number }): TgUpdate

  // What the bot did.
  /** Every API call received, in order. */
  readonly calls: readonly RecordedCall[]
  /** The calls of one method (any case). */
  callsOf(method: string): RecordedCall[]
  /** Every update pushed, in order (confirmed or not). */
  readonly updates: readonly TgUpdate[]
  /** Updates not yet confirmed by an `offset` (or, in webhook mode, not yet delivered). */
  readonly pendingUpdates: readonly TgUpdate[]
  /** `getUpdates` calls held open right now (a long poll, or stalled calls). */
  readonly waitingPolls: number
  /** What the bot sent to a chat (optionally one forum topic), in order, edits applied, deleted ones included. */
  messagesTo(chatId: number, options?: { readonly threadId?: number }): readonly BotMessage[]
  /** How many messages the bot sent to a chat: for "answered exactly once" checks. */
  sentCount(chatId: number): number
  /** The bot's messages in a chat that reply to message `messageId`. */
  repliesTo(chatId: number, messageId: number): BotMessage[]
  /** Every `answerCallbackQuery`, in order. */
  readonly callbackAnswers: readonly CallbackAnswer[]
  /** Every `sendChatAction`, in order. */
  readonly chatActions: readonly ChatActionRecord[]
  /** The bot's default command menu, as `setMyCommands` last set it (each call is in `callsOf('setMyCommands')`). */
  readonly commands: readonly { readonly command: string; readonly description: string }[]
  /** What `getWebhookInfo` answers now. */
  readonly webhookInfo: TgWebhookInfo
  /** Every webhook POST, in order. */
  readonly webhookDeliveries: readonly WebhookDelivery[]
  /**
   * Resolve with `check()`'s value once it is truthy; re-checked after every call, update and
   * delivery (and every 20 ms). Rejects after `timeoutMs` (default 5 s).
   */
  waitFor<T>(check: () => T | undefined | null | false, options?: WaitOptions): Promise<T>
  /** Wait until the bot sent at least `count` messages to the chat; resolves with all of them. */
  waitForMessages(chatId: number, count: number, options?: WaitOptions & { readonly threadId?: number }): Promise<readonly BotMessage[]>
  /** Wait for a finished call of `method` (matching `where`) and resolve with it. Calls already made count. */
  waitForCall(method: string, options?: WaitOptions & { readonly where?: (call: RecordedCall) => boolean }): Promise<RecordedCall>
  /** Call `listener` with every call as it arrives (before it is answered). Returns the unsubscribe function. */
  onCall(listener: (call: RecordedCall) => void): () => void
  /**
   * Call `listener` with every call once its answer was written to the socket (`status` and `result`
   * set): e.g. to act right after the bot received a batch of updates. Returns the unsubscribe function.
   */
  onAnswer(listener: (call: RecordedCall) => void): () => void

  // Faults. `method` is a Bot API method name (any case) or `*` for every method.
  /** The next `times` (default 1) calls of `method` answer this error instead of running. */
  failNext(method: string, fault: FakeTelegramFault, options?: FaultTimes): FakeTelegram
  /**
   * Add `ms` of latency to the next `times` calls of `method` (default: every call until `delay(method, 0)`,
   * with the same `when`): before the method runs (default), or with `when: 'after'` once it took
   * effect, holding only the answer (the message is sent; a bot killed meanwhile never hears so).
   */
  delay(method: string, ms: number, options?: DelayOptions): FakeTelegram
  /**
   * Cut the connection of the next `times` (default 1) calls of `method` without an answer: before
   * the method runs (default), or with `when: 'after'` once it took effect (the bot's message is sent
   * but the bot never hears so).
   */
  dropConnections(method: string, options?: DropOptions): FakeTelegram
  /** `true`: `getUpdates` stops answering and holds its connections open. `false`: held calls are answered again. */
  stallGetUpdates(stalled: boolean): FakeTelegram
  /** Forget every injected failure, delay and drop (a stall stays until `stallGetUpdates(false)`). */
  clearFaults(): FakeTelegram
  /** Emulate Telegram's flood limits from now on (`undefined`: none); counting starts afresh. */
  setFloodLimits(limits: FloodLimits | undefined): FakeTelegram

  /** Stop: answer held polls, stop webhook deliveries, close every connection. */
  close(): Promise<void>
}
