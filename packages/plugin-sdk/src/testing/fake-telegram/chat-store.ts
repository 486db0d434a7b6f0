import { badRequest, BotApiError } from './bot-api-error.js'
import type { StoredFile } from './file-store.js'
import type { TgChat, TgInlineKeyboardMarkup, TgMessage } from './telegram-types.js'

/** One edit of a message the bot sent: its content after the edit. */
export interface BotMessageEdit {
  readonly text: string
  readonly plainText: string
  readonly parseMode?: string
  readonly replyMarkup?: TgInlineKeyboardMarkup
  /** Epoch milliseconds. */
  readonly at: number
}

/** A message the bot sent (`sendMessage`, `sendPhoto`, `sendDocument`), with its edits applied. */
export interface BotMessage {
  readonly chatId: number
  readonly messageId: number
  readonly threadId?: number
  readonly kind: 'text' | 'photo' | 'document'
  /** The text (or caption) as the bot sent it, markup included, after the last edit. */
  readonly text: string
  /** What the user reads: `text` with `parse_mode: 'HTML'` parsed (other modes are kept as sent). */
  readonly plainText: string
  readonly parseMode?: string
  readonly replyMarkup?: TgInlineKeyboardMarkup
  /** The message it replies to (`reply_parameters.message_id` or `reply_to_message_id`). */
  readonly replyToMessageId?: number
  /** `link_preview_options.is_disabled` or `disable_web_page_preview`. */
  readonly linkPreviewDisabled: boolean
  /** The photo or document, for `sendPhoto` and `sendDocument`. */
  readonly file?: StoredFile
  /** Every edit, oldest first; the first version is `edits[0]`'s predecessor, `originalText`. */
  readonly edits: readonly BotMessageEdit[]
  readonly originalText: string
  readonly deleted: boolean
  /** Epoch milliseconds. */
  readonly sentAt: number
  /** The Message object as Telegram would answer it now. */
  readonly message: TgMessage
}

/** The writable record behind a {@link BotMessage}. */
export type MutableBotMessage = { -readonly [K in keyof BotMessage]: BotMessage[K] } & { edits: BotMessageEdit[] }

/** A chat and its messages (internal to the fake server). */
export interface ChatState {
  readonly chat: TgChat
  nextMessageId: number
  readonly messages: Map<number, { message: TgMessage; sent?: MutableBotMessage }>
  readonly sent: MutableBotMessage[]
  blocked: boolean
}

/** Chats the bot knows, their message ids, and the messages in them. */
export class ChatStore {
  private readonly chats = new Map<number, ChatState>()

  /** Register a chat (idempotent: an existing chat keeps its messages). */
  add(chat: TgChat): TgChat {
    const existing = this.chats.get(chat.id)
    if (existing) return existing.chat
    this.chats.set(chat.id, { chat, nextMessageId: 1, messages: new Map(), sent: [], blocked: false })
    return chat
  }

  chat(chatId: number): TgChat | undefined {
    return this.chats.get(chatId)?.chat
  }

  /** The chat a bot call names, or the Telegram error for an unknown or blocking one. */
  target(chatId: unknown): ChatState {
    if (chatId === undefined || chatId === '') throw badRequest('chat_id is empty')
    const state = typeof chatId === 'number' ? this.chats.get(chatId) : undefined
    if (!state) throw badRequest('chat not found')
    if (state.blocked) throw new BotApiError(403, 'Forbidden: bot was blocked by the user')
    return state
  }

  /** The next message id in a chat (ids count up per chat, users' and bot's messages alike). */
  nextMessageId(chatId: number): number {
    const state = this.chats.get(chatId)
    if (!state) throw new Error(`fake Telegram: unknown chat ${chatId}`)
    return state.nextMessageId++
  }

  /** Record a message in its chat. */
  store(message: TgMessage, sent?: MutableBotMessage): void {
    const state = this.chats.get(message.chat.id)
    if (!state) throw new Error(`fake Telegram: unknown chat ${message.chat.id}`)
    state.messages.set(message.message_id, { message, ...(sent ? { sent } : {}) })
    if (sent) state.sent.push(sent)
  }

  message(chatId: number, messageId: number): { message: TgMessage; sent?: MutableBotMessage } | undefined {
    return this.chats.get(chatId)?.messages.get(messageId)
  }

  /** What the bot sent to a chat, in order. */
  sentTo(chatId: number): readonly BotMessage[] {
    return this.chats.get(chatId)?.sent ?? []
  }

  setBlocked(chatId: number, blocked: boolean): void {
    const state = this.chats.get(chatId)
    if (!state) throw new Error(`fake Telegram: unknown chat ${chatId}`)
    state.blocked = blocked
  }

  /** The last message the bot sent to a chat (and did not delete). */
  lastSent(chatId: number): BotMessage | undefined {
    return this.chats
      .get(chatId)
      ?.sent.filter((sent) => !sent.deleted)
      .at(-1)
  }
}
