import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { BotApiError } from './bot-api-error.js'
import { findMethod } from './bot-api-methods.js'
import { ChatStore } from './chat-store.js'
import { defaultMenu } from './command-methods.js'
import type { FakeTelegram, FakeTelegramOptions, RecordedCall, WaitOptions } from './fake-telegram.js'
import type { BotApiMethod, FakeTelegramState } from './fake-telegram-state.js'
import { faultError, FaultPlan } from './fault-plan.js'
import { FileStore } from './file-store.js'
import { FloodControl } from './flood-control.js'
import { parseParams, type CallParams } from './parse-params.js'
import { readRequestBody } from './read-request-body.js'
import type { TgApiResponse, TgBotUser } from './telegram-types.js'
import { UpdateQueue } from './update-queue.js'
import { UserActions } from './user-actions.js'
import { WebhookSender } from './webhook-sender.js'

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
    commands: new Map(),
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
    const heldMs = faults.takeDelay(found.name, 'after')
    // The method took effect; only its answer waits (and is lost if the client goes away meanwhile).
    if (heldMs > 0) await sleep(heldMs, undefined, { signal: closed }).catch(() => undefined)
    if (closed.aborted) return
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
    sendAlbum: (target, photos) => push(() => users.album(target, photos)),
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
    get commands() {
      return defaultMenu(state)
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
      faults.delay(method, ms, faultOptions.times ?? Infinity, faultOptions.when ?? 'before')
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
