import type { ChatStore } from './chat-store.js'
import type { BotCommandEntry } from './command-methods.js'
import type { FileStore } from './file-store.js'
import type { UploadedFile } from './parse-params.js'
import type { TgBotUser } from './telegram-types.js'
import type { UpdateQueue } from './update-queue.js'
import type { WebhookSender } from './webhook-sender.js'

/** An `answerCallbackQuery` the bot made. */
export interface CallbackAnswer {
  readonly callbackQueryId: string
  readonly text?: string
  readonly showAlert: boolean
  readonly url?: string
  /** Epoch milliseconds. */
  readonly at: number
}

/** A `sendChatAction` the bot made (`typing`, `upload_photo`, …). */
export interface ChatActionRecord {
  readonly chatId: number
  readonly action: string
  readonly threadId?: number
  /** Epoch milliseconds. */
  readonly at: number
}

/** Everything one fake server instance holds; the Bot API methods read and change it. */
export interface FakeTelegramState {
  readonly bot: TgBotUser
  readonly updates: UpdateQueue
  readonly files: FileStore
  readonly chats: ChatStore
  readonly webhook: WebhookSender
  /** Callback queries pushed by the test, by id, and whether the bot answered them. */
  readonly callbackQueries: Map<string, { answered: boolean }>
  readonly callbackAnswers: CallbackAnswer[]
  readonly chatActions: ChatActionRecord[]
  /** The bot's command menus (`setMyCommands`), by scope and language. */
  readonly commands: Map<string, readonly BotCommandEntry[]>
}

/** One Bot API call, as a method sees it. */
export interface MethodCall {
  readonly params: Readonly<Record<string, unknown>>
  readonly files: ReadonlyMap<string, UploadedFile>
  /** Aborts when the client closed the connection. */
  readonly closed: AbortSignal
}

/** A Bot API method: its `result`, or a thrown `BotApiError`. */
export type BotApiMethod = (call: MethodCall, state: FakeTelegramState) => unknown
