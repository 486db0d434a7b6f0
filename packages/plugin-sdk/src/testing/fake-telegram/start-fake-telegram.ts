import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { BotApiError } from './bot-api-error.js'
import { findMethod } from './bot-api-methods.js'
import { ChatStore, type BotMessage } from './chat-store.js'
import type { BotApiMethod, CallbackAnswer, ChatActionRecord, FakeTelegramState } from './fake-telegram-state.js'
import { faultError, FaultPlan, type DropOptions, type FakeTelegramFault, type FaultTimes } from './fault-plan.js'
import { FileStore } from './file-store.js'
import { FloodControl, type FloodLimits } from './flood-control.js'
import { parseParams, type CallParams } from './parse-params.js'
import { readRequestBody } from './read-request-body.js'
import type { TgApiResponse, TgBotUser, TgCallbackQuery, TgChat, TgMessage, TgUpdate, TgUser, TgWebhookInfo } from './telegram-types.js'
import { UpdateQueue } from './update-queue.js'
import {
  UserActions,
  type FakeDocumentInput,
  type FakeGroupOptions,
  type FakeMessageTarget,
  type FakePhotoInput,
  type FakeUserOptions,
  type GroupMessageInput,
  type PressButtonInput,
  type UserMessageInput,
} from './user-actions.js'
import { WebhookSender, type WebhookDelivery } from './webhook-sender.js'

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
  /** Add `ms` of latency to the next `times` calls of `method` (default: every call until `delay(method, 0)`). */
  delay(method: string, ms: number, options?: FaultTimes): FakeTelegram
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

const DEFAULT_TOKEN = '123456789:TEST-fake-telegram-token'
const DEFAULT_BODY_LIMIT = 52 * 1024 * 1024
const DEFAULT_WAIT_MS = 5_000
const WAIT_POLL_MS = 20

type MutableCall = { -readonly [K in keyof RecordedCall]: RecordedCall[K] }

/** Start a fake Telegram Bot API server on `127.0.0.1`, on a free port. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? DEFAULT_TOKEN
  const botId = Number(/^(\d+):/.exec(token)?.[1] ?? 123456789)
  const bot: TgBotUser = {
    id: botId,
    is_bot: true,
    first_name: options.botName ?? 'OpenClaw Test Bot',
    username: options.botUsername ?? 'openclaw_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  }
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT
  const calls: MutableCall[] = []
  const callListeners = new Set<(call: RecordedCall) => void>()
  const answerListeners = new Set<(call: RecordedCall) => void>()
  const changeListeners = new Set<() => void>()
  const changed = () => {
    for (const listener of changeListeners) listener()
  }
  const faults = new FaultPlan()
  const flood = new FloodControl(options.floodLimits)
  const updates = new UpdateQueue()
  const state: FakeTelegramState = {
    bot,
    updates,
    files: new FileStore(),
    chats: new ChatStore(),
    webhook: new WebhookSender(updates, {
      retryDelayMs: options.webhookRetryDelayMs ?? 100,
      timeoutMs: options.webhookTimeoutMs ?? 10_000,
      onReply: async (body) => {
        const { method, ...params } = body
        const found = findMethod(String(method))
        if (!found) return
        const call = record(found.name, { params, files: new Map() }, 'json', true)
        await runMethod(found.name, found.method, call, { params, files: new Map() }, new AbortController().signal).catch(() => undefined)
      },
      onChange: changed,
    }),
    callbackQueries: new Map(),
    callbackAnswers: [],
    chatActions: [],
  }
  const users = new UserActions(state)
  const sockets = new Set<Socket>()

  function record(method: string, parsed: CallParams, encoding: RecordedCall['encoding'], viaWebhookReply = false): MutableCall {
    const call: MutableCall = {
      method,
      params: parsed.params,
      uploads: [...parsed.files].map(([field, file]) => ({ field, fileName: file.fileName, ...(file.contentType ? { contentType: file.contentType } : {}), size: file.data.length })),
      encoding,
      at: Date.now(),
      ...(viaWebhookReply ? { viaWebhookReply } : {}),
    }
    calls.push(call)
    notify(callListeners, call)
    return call
  }

  function notify(listeners: ReadonlySet<(call: RecordedCall) => void>, call: RecordedCall): void {
    for (const listener of listeners) {
      try {
        listener(call)
      } catch {
        // A test's listener that throws must not break the server.
      }
    }
  }

  /** Run a method with the injected failure, if any; fills `call.status` and returns the answer. */
  async function runMethod(name: string, method: BotApiMethod, call: MutableCall, parsed: CallParams, closed: AbortSignal): Promise<TgApiResponse> {
    let response: TgApiResponse
    try {
      const fault = faults.takeFailure(name)
      if (fault) throw faultError(fault)
      const chatType = typeof parsed.params.chat_id === 'number' ? state.chats.chat(parsed.params.chat_id)?.type : undefined
      flood.check(name, parsed.params.chat_id, chatType === 'group' || chatType === 'supergroup')
      const result = await method({ params: parsed.params, files: parsed.files, closed }, state)
      response = { ok: true, result }
      call.status = 200
      call.result = result
    } catch (error) {
      const apiError = error instanceof BotApiError ? error : new BotApiError(500, 'Internal Server Error')
      response = { ok: false, error_code: apiError.errorCode, description: apiError.description, ...(apiError.parameters ? { parameters: apiError.parameters } : {}) }
      call.status = apiError.errorCode
      call.description = apiError.description
    }
    changed()
    return response
  }

  async function handle(req: IncomingMessage, res: ServerResponse, closed: AbortSignal): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname)
    if (fileMatch) return serveFile(res, fileMatch[1]!, safeDecode(fileMatch[2]!))
    const match = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname)
    if (!match || (req.method !== 'GET' && req.method !== 'POST')) {
      return void sendJson(res, { ok: false, error_code: 404, description: 'Not Found' })
    }
    if (safeDecode(match[1]!) !== token) return void sendJson(res, { ok: false, error_code: 401, description: 'Unauthorized' })
    const found = findMethod(match[2]!)
    if (!found) return void sendJson(res, { ok: false, error_code: 404, description: 'Not Found' })
    let parsed: CallParams
    try {
      parsed = parseParams(url, req.headers, await readRequestBody(req, bodyLimit))
    } catch (error) {
      const apiError = error instanceof BotApiError ? error : new BotApiError(400, 'Bad Request: invalid request body')
      res.setHeader('connection', 'close')
      return void sendJson(res, { ok: false, error_code: apiError.errorCode, description: apiError.description })
    }
    const call = record(found.name, parsed, encodingOf(req))
    if (faults.takeDrop(found.name, 'before')) return dropCall(call, res)
    const delayMs = faults.takeDelay(found.name)
    if (delayMs > 0) {
      await sleep(delayMs, undefined, { signal: closed }).catch(() => undefined)
      if (closed.aborted) {
        // The client gave up while the answer was delayed: the method never ran.
        call.status = 'closed'
        changed()
        return
      }
    }
    const response = await runMethod(found.name, found.method, call, parsed, closed)
    if (faults.takeDrop(found.name, 'after')) return dropCall(call, res)
    sendJson(res, response)
    notify(answerListeners, call)
  }

  function dropCall(call: MutableCall, res: ServerResponse): void {
    call.status = 'dropped'
    res.socket?.destroy()
    changed()
  }

  function serveFile(res: ServerResponse, fileToken: string, filePath: string): void {
    const file = fileToken === token ? state.files.atPath(filePath) : undefined
    if (!file) return void sendJson(res, { ok: false, error_code: 404, description: 'Not Found' })
    res.writeHead(200, { 'content-type': file.mimeType ?? 'application/octet-stream', 'content-length': file.bytes.length })
    res.end(file.bytes)
  }

  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    const controller = new AbortController()
    res.once('close', () => controller.abort())
    handle(req, res, controller.signal).catch(() => {
      if (!res.headersSent && !res.destroyed) sendJson(res, { ok: false, error_code: 500, description: 'Internal Server Error' })
    })
  })
  server.keepAliveTimeout = 60_000
  server.headersTimeout = 30_000
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('clientError', (_error, socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  function push<T>(action: () => T): T {
    const result = action()
    changed()
    return result
  }

  async function waitFor<T>(check: () => T | undefined | null | false, waitOptions: WaitOptions = {}): Promise<T> {
    const timeoutMs = waitOptions.timeoutMs ?? DEFAULT_WAIT_MS
    return new Promise<T>((resolve, reject) => {
      let done = false
      const attempt = () => {
        if (done) return
        let value: T | undefined | null | false
        try {
          value = check()
        } catch (error) {
          finish()
          reject(error)
          return
        }
        if (value) {
          finish()
          resolve(value)
        }
      }
      const interval = setInterval(attempt, WAIT_POLL_MS)
      const timer = setTimeout(() => {
        finish()
        reject(new Error(`fake Telegram: timed out after ${timeoutMs} ms waiting for ${waitOptions.description ?? 'a condition'}`))
      }, timeoutMs)
      const finish = () => {
        done = true
        clearInterval(interval)
        clearTimeout(timer)
        changeListeners.delete(attempt)
      }
      changeListeners.add(attempt)
      attempt()
    })
  }

  const tg: FakeTelegram = {
    apiRoot,
    token,
    bot,
    url: (method) => `${apiRoot}/bot${token}/${method}`,
    fileUrl: (filePath) => `${apiRoot}/file/bot${token}/${filePath}`,

    user: (userOptions) => users.user(userOptions),
    group: (groupOptions) => users.group(groupOptions),
    topic: (chat, topicOptions) => push(() => users.topic(chat, topicOptions)),
    block: (user) => state.chats.setBlocked(user.id, true),
    unblock: (user) => state.chats.setBlocked(user.id, false),

    sendDm: (from, message) => push(() => users.dm(from, message)),
    sendGroupMessage: (input) => push(() => users.groupMessage(input)),
    sendPhoto: (target, photo) => push(() => users.photo(target, photo)),
    sendDocument: (target, document) => push(() => users.document(target, document)),
    pressButton: (input) => push(() => users.pressButton(input)),
    pushUpdate: (update) => push(() => users.raw(update)),

    get calls() {
      return calls
    },
    callsOf: (method) => calls.filter((call) => call.method.toLowerCase() === method.toLowerCase()),
    get updates() {
      return updates.history
    },
    get pendingUpdates() {
      return updates.updates
    },
    get waitingPolls() {
      return updates.waitingPolls
    },
    messagesTo: (chatId, filter) => state.chats.sentTo(chatId).filter((message) => filter?.threadId === undefined || message.threadId === filter.threadId),
    sentCount: (chatId) => state.chats.sentTo(chatId).length,
    repliesTo: (chatId, messageId) => state.chats.sentTo(chatId).filter((message) => message.replyToMessageId === messageId),
    get callbackAnswers() {
      return state.callbackAnswers
    },
    get chatActions() {
      return state.chatActions
    },
    get webhookInfo() {
      return state.webhook.info()
    },
    get webhookDeliveries() {
      return state.webhook.deliveries
    },
    waitFor,
    waitForMessages: (chatId, count, waitOptions = {}) =>
      waitFor(
        () => {
          const messages = tg.messagesTo(chatId, waitOptions)
          return messages.length >= count ? messages : undefined
        },
        { description: `${count} bot message(s) in chat ${chatId}`, ...waitOptions },
      ),
    waitForCall: (method, waitOptions = {}) =>
      waitFor(() => tg.callsOf(method).find((call) => call.status !== undefined && (waitOptions.where?.(call) ?? true)), {
        description: `a ${method} call`,
        ...waitOptions,
      }),
    onCall: (listener) => {
      callListeners.add(listener)
      return () => callListeners.delete(listener)
    },
    onAnswer: (listener) => {
      answerListeners.add(listener)
      return () => answerListeners.delete(listener)
    },

    failNext: (method, fault, faultOptions = {}) => {
      faults.fail(method, fault, faultOptions.times ?? 1)
      return tg
    },
    delay: (method, ms, faultOptions = {}) => {
      faults.delay(method, ms, faultOptions.times ?? Infinity)
      return tg
    },
    dropConnections: (method, dropOptions = {}) => {
      faults.drop(method, dropOptions.when ?? 'before', dropOptions.times ?? 1)
      return tg
    },
    stallGetUpdates: (stalled) => {
      updates.stall(stalled)
      changed()
      return tg
    },
    clearFaults: () => {
      faults.clear()
      return tg
    },
    setFloodLimits: (limits) => {
      flood.set(limits)
      return tg
    },

    close: () =>
      new Promise<void>((resolve) => {
        updates.close()
        state.webhook.close()
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
        server.closeAllConnections()
      }),
  }
  updates.onPush(changed)
  return tg

  function encodingOf(req: IncomingMessage): RecordedCall['encoding'] {
    const contentType = (req.headers['content-type'] ?? '').toLowerCase()
    if (contentType.startsWith('multipart/form-data')) return 'multipart'
    if (contentType.startsWith('application/json')) return 'json'
    if (contentType.startsWith('application/x-www-form-urlencoded')) return 'form'
    return 'query'
  }
}

/** A percent-decoded path segment; a malformed one stays as it is (and matches nothing). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function sendJson(res: ServerResponse, body: TgApiResponse): void {
  if (res.headersSent || res.destroyed) return
  const status = body.ok ? 200 : body.error_code
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}
