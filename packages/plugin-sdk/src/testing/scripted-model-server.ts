import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { embeddingsAnswer, parseEmbeddingsBody } from './scripted-embeddings.js'

/** A tool call the scripted model makes. `arguments` is sent as JSON, or as-is when it is a string. */
export interface ScriptedToolCall {
  readonly id?: string
  readonly name: string
  readonly arguments: object | string
}

/** A successful model answer. */
export interface ScriptedReply {
  readonly type?: 'reply'
  readonly text?: string
  /** Anthropic only: a thinking block streamed before the text (OpenAI replies leave it out). */
  readonly thinking?: string
  readonly toolCalls?: readonly ScriptedToolCall[]
  /** Token counts; estimated from the request and reply when left out. */
  readonly usage?: { readonly input: number; readonly output: number }
  /** Default: `tool_calls` when there are tool calls, else `stop`. */
  readonly finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter'
  /** Wait this long before the response headers. */
  readonly delayMs?: number
  /** Streaming only: wait this long between events. */
  readonly chunkDelayMs?: number
  /**
   * Streaming only: after the text, an error event in the wire format (OpenAI `data: {"error": …}`,
   * Anthropic `event: error`) and the end of the response, as providers do when they fail mid-answer.
   */
  readonly streamError?: string
}

/** An HTTP error answer. Without `body`, an error body in the request's wire format is sent. */
export interface ScriptedFailure {
  readonly type: 'fail'
  readonly status: number
  readonly body?: object
  readonly headers?: Readonly<Record<string, string>>
  readonly delayMs?: number
}

/** No answer at all until the client gives up (or the server closes). */
export interface ScriptedHang {
  readonly type: 'hang'
}

/** What the server does with one model request. */
export type ScriptedStep = ScriptedReply | ScriptedFailure | ScriptedHang

export type WireFormat = 'openai' | 'anthropic'

/** A request the server received, in arrival order. */
export interface RecordedRequest {
  readonly path: string
  readonly method: string
  readonly headers: IncomingHttpHeaders
  /** The parsed JSON body; the raw text when it is not JSON; `undefined` when empty. */
  readonly body: unknown
  readonly format: WireFormat
  /** Epoch milliseconds. */
  readonly at: number
}

/**
 * The text of the last user message in a recorded request (OpenAI chat completions or Anthropic
 * messages): the content when it is a string, else its JSON (content parts); `''` when there is none.
 */
export function lastUserText(request: Pick<RecordedRequest, 'body'>): string {
  const messages = (request.body as { messages?: readonly { role: string; content: unknown }[] } | undefined)?.messages ?? []
  const last = messages.filter((m) => m.role === 'user').at(-1)
  if (last === undefined) return ''
  return typeof last.content === 'string' ? last.content : JSON.stringify(last.content)
}

export interface ScriptedModelServerOptions {
  /** Text of the reply when no step is queued and no `replyWith` fallback is set. Default `ok`. */
  readonly defaultText?: string
  /** Model ids listed by `GET /v1/models`. Default `['scripted-model']`. */
  readonly models?: readonly string[]
}

/**
 * A real HTTP server on `127.0.0.1` that speaks the OpenAI Chat Completions and Anthropic Messages
 * wire formats and answers with scripted steps, one step per model request, in order. It also serves
 * OpenAI's `POST /v1/embeddings` with deterministic vectors ({@link scriptedEmbedding}).
 */
export interface ScriptedModelServer {
  /** `http://127.0.0.1:<port>`: the base URL for Anthropic clients. */
  readonly url: string
  /** `${url}/v1`: the base URL for OpenAI clients. */
  readonly baseUrl: string
  /** Every request received so far (model calls, `GET /v1/models`, unknown paths). */
  readonly requests: readonly RecordedRequest[]
  /** Requests whose response has not finished yet (hanging, delayed or streaming). */
  readonly inFlight: number
  /** Queue a successful answer. */
  reply(reply: Omit<ScriptedReply, 'type'>): ScriptedModelServer
  /** Queue an HTTP error answer, `times` times (default 1). */
  fail(failure: Omit<ScriptedFailure, 'type'> & { readonly times?: number }): ScriptedModelServer
  /** Queue a request that is never answered. */
  hang(): ScriptedModelServer
  /**
   * The next `times` (default 1) `POST /v1/embeddings` requests fail with this status (and body).
   * Otherwise that endpoint always answers, outside the step queue, with {@link scriptedEmbedding}
   * vectors (`dimensions` as asked, default 256).
   */
  failEmbeddings(failure: { readonly status: number; readonly body?: object; readonly times?: number }): ScriptedModelServer
  /** Queue any step. */
  enqueue(step: ScriptedStep): ScriptedModelServer
  /** Decide the step of every request that finds the queue empty. */
  replyWith(fallback: (request: RecordedRequest) => ScriptedStep): ScriptedModelServer
  /** Forget queued steps, the fallback and the recorded requests. */
  reset(): void
  /** Stop listening and destroy open connections (hanging requests included). */
  close(): Promise<void>
}

interface ModelRequestBody {
  readonly model?: unknown
  readonly stream?: unknown
  readonly stream_options?: { readonly include_usage?: unknown }
}

type SendEvent = (data: object, event?: string) => Promise<boolean>

const DEFAULT_MODELS = ['scripted-model']

/** Start a scripted model server on `127.0.0.1`, on a free port. */
export async function createScriptedModelServer(options: ScriptedModelServerOptions = {}): Promise<ScriptedModelServer> {
  const defaultText = options.defaultText ?? 'ok'
  const models = options.models ?? DEFAULT_MODELS
  const queue: ScriptedStep[] = []
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  let fallback: ((request: RecordedRequest) => ScriptedStep) | undefined
  const embeddingFailures: { status: number; body?: object }[] = []
  let inFlight = 0
  let sequence = 0
  const nextId = (prefix: string) => `${prefix}${(++sequence).toString(36).padStart(6, '0')}`

  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    inFlight++
    res.once('close', () => inFlight--)
    handle(req, res).catch(() => {
      // The client went away mid-answer, or the body could not be written: nothing left to tell anyone.
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500).end()
      }
    })
  })
  server.keepAliveTimeout = 60_000
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('clientError', (_err, socket) => socket.destroy())

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined)
    res.on('error', () => undefined)
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const body = await readBody(req)
    const format = formatOf(path, req.headers)
    const record: RecordedRequest = { path, method: req.method ?? 'GET', headers: req.headers, body, format, at: Date.now() }
    requests.push(record)

    if (record.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'scripted' })) })
      return
    }
    if (record.method === 'POST' && (path === '/v1/embeddings' || path === '/embeddings')) {
      const failure = embeddingFailures.shift()
      if (failure) return void sendJson(res, failure.status, failure.body ?? errorBody('openai', failure.status))
      const parsed = parseEmbeddingsBody(body ?? {})
      if ('error' in parsed) return void sendJson(res, 400, errorBody('openai', 400, parsed.error))
      return void sendJson(res, 200, embeddingsAnswer(parsed.model, parsed.input, parsed.dimensions))
    }
    if (record.method !== 'POST' || !isModelPath(path)) {
      sendJson(res, 404, errorBody(format, 404, `No route for ${record.method} ${path}`))
      return
    }
    if (typeof body !== 'object' || body === null) {
      sendJson(res, 400, errorBody(format, 400, 'The request body is not a JSON object'))
      return
    }

    const step = queue.shift() ?? fallback?.(record) ?? { text: defaultText }
    const closed = closedSignal(res)
    if (step.type === 'hang') {
      await new Promise<void>((resolve) => closed.addEventListener('abort', () => resolve(), { once: true }))
      return
    }
    if (step.delayMs && !(await pause(step.delayMs, closed))) return
    if (step.type === 'fail') {
      const headers = { 'content-type': 'application/json', ...step.headers }
      res.writeHead(step.status, headers).end(JSON.stringify(step.body ?? errorBody(format, step.status)))
      return
    }

    const reply = resolveReply(step, body, nextId)
    const model = typeof (body as ModelRequestBody).model === 'string' ? ((body as ModelRequestBody).model as string) : models[0] ?? 'scripted-model'
    const streaming = (body as ModelRequestBody).stream === true
    if (!streaming) {
      sendJson(res, 200, format === 'openai' ? openAiCompletion(reply, model, nextId) : anthropicMessage(reply, model, nextId))
      return
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    const chunkDelay = step.chunkDelayMs ?? 0
    if (chunkDelay === 0) res.cork()
    const send: SendEvent = async (data, event) => {
      if (res.destroyed || closed.aborted) return false
      if (chunkDelay > 0 && !(await pause(chunkDelay, closed))) return false
      res.write(event === undefined ? `data: ${JSON.stringify(data)}\n\n` : `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
      return true
    }
    const completed =
      format === 'openai'
        ? await streamOpenAi(send, reply, model, nextId, (body as ModelRequestBody).stream_options?.include_usage === true)
        : await streamAnthropic(send, reply, model, nextId)
    if (!completed) return
    if (format === 'openai' && reply.streamError === undefined) res.write('data: [DONE]\n\n')
    if (chunkDelay === 0) res.uncork()
    res.end()
  }

  const api: ScriptedModelServer = {
    url,
    baseUrl: `${url}/v1`,
    get requests() {
      return requests
    },
    get inFlight() {
      return inFlight
    },
    reply(reply) {
      queue.push({ ...reply, type: 'reply' })
      return api
    },
    fail({ times = 1, ...failure }) {
      for (let i = 0; i < times; i++) queue.push({ ...failure, type: 'fail' })
      return api
    },
    hang() {
      queue.push({ type: 'hang' })
      return api
    },
    failEmbeddings({ times = 1, status, body }) {
      for (let i = 0; i < times; i++) embeddingFailures.push({ status, ...(body ? { body } : {}) })
      return api
    },
    enqueue(step) {
      queue.push(step)
      return api
    },
    replyWith(fn) {
      fallback = fn
      return api
    },
    reset() {
      queue.length = 0
      embeddingFailures.length = 0
      requests.length = 0
      fallback = undefined
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      })
    },
  }
  return api
}

// ── request handling ─────────────────────────────────────────────────────────────────────────────

function isModelPath(path: string): boolean {
  return path === '/v1/chat/completions' || path === '/chat/completions' || path === '/v1/messages' || path === '/messages'
}

function formatOf(path: string, headers: IncomingHttpHeaders): WireFormat {
  if (path.endsWith('/messages')) return 'anthropic'
  if (path.endsWith('/chat/completions') || path.endsWith('/models')) return 'openai'
  return headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined ? 'anthropic' : 'openai'
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  if (chunks.length === 0) return undefined
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** A signal that aborts when the response closes before it ended: the client went away. */
function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  res.once('close', () => {
    if (!res.writableEnded) controller.abort()
  })
  return controller.signal
}

/** Wait `ms`; `false` when the client went away meanwhile. */
async function pause(ms: number, closed: AbortSignal): Promise<boolean> {
  if (closed.aborted) return false
  try {
    await sleep(ms, undefined, { signal: closed })
    return true
  } catch {
    return false
  }
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text)
}

const STATUS_TEXT: Readonly<Record<number, readonly [openAiType: string, anthropicType: string, message: string]>> = {
  400: ['invalid_request_error', 'invalid_request_error', 'Invalid request'],
  401: ['invalid_request_error', 'authentication_error', 'Invalid API key'],
  403: ['invalid_request_error', 'permission_error', 'Permission denied'],
  404: ['invalid_request_error', 'not_found_error', 'Not found'],
  429: ['rate_limit_exceeded', 'rate_limit_error', 'Rate limit exceeded'],
  500: ['server_error', 'api_error', 'Internal server error'],
  503: ['server_error', 'overloaded_error', 'Service unavailable'],
  529: ['server_error', 'overloaded_error', 'Overloaded'],
}

function errorBody(format: WireFormat, status: number, message?: string): object {
  const [openAiType, anthropicType, text] = STATUS_TEXT[status] ?? (status >= 500 ? STATUS_TEXT[500]! : STATUS_TEXT[400]!)
  return format === 'openai'
    ? { error: { message: message ?? text, type: openAiType, param: null, code: null } }
    : { type: 'error', error: { type: anthropicType, message: message ?? text } }
}

// ── replies ──────────────────────────────────────────────────────────────────────────────────────

interface ResolvedReply {
  readonly text: string
  readonly thinking: string
  readonly toolCalls: readonly { readonly id: string; readonly name: string; readonly arguments: string }[]
  readonly usage: { readonly input: number; readonly output: number }
  readonly finishReason: 'stop' | 'length' | 'tool_calls' | 'content_filter'
  readonly streamError: string | undefined
}

function resolveReply(step: ScriptedReply, body: object, nextId: (prefix: string) => string): ResolvedReply {
  const text = step.text ?? ''
  const toolCalls = (step.toolCalls ?? []).map((call) => ({
    id: call.id ?? nextId('call_'),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }))
  const outputChars = text.length + toolCalls.reduce((n, call) => n + call.name.length + call.arguments.length, 0)
  return {
    text,
    thinking: step.thinking ?? '',
    toolCalls,
    usage: step.usage ?? { input: Math.max(1, Math.ceil(JSON.stringify(body).length / 4)), output: Math.max(1, Math.ceil(outputChars / 4)) },
    finishReason: step.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    streamError: step.streamError,
  }
}

/** Split text into word-sized deltas, so clients see several chunks. */
function textDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*|\s+/g) ?? []
}

/** Split a tool call's arguments into (up to) three pieces, so clients must join them. */
function argumentPieces(args: string): string[] {
  if (args.length < 3) return args.length === 0 ? [] : [args]
  const size = Math.ceil(args.length / 3)
  const pieces: string[] = []
  for (let i = 0; i < args.length; i += size) pieces.push(args.slice(i, i + size))
  return pieces
}

const ANTHROPIC_STOP: Readonly<Record<ResolvedReply['finishReason'], string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
}

function openAiCompletion(reply: ResolvedReply, model: string, nextId: (prefix: string) => string): object {
  return {
    id: nextId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text === '' && reply.toolCalls.length > 0 ? null : reply.text,
          ...(reply.toolCalls.length > 0 && {
            tool_calls: reply.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
          }),
        },
        finish_reason: reply.finishReason,
      },
    ],
    usage: { prompt_tokens: reply.usage.input, completion_tokens: reply.usage.output, total_tokens: reply.usage.input + reply.usage.output },
  }
}

async function streamOpenAi(send: SendEvent, reply: ResolvedReply, model: string, nextId: (prefix: string) => string, includeUsage: boolean): Promise<boolean> {
  const base = { id: nextId('chatcmpl-'), object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model }
  const chunk = (delta: object, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
    ...(includeUsage && { usage: null }),
  })
  if (!(await send(chunk({ role: 'assistant', content: '' })))) return false
  for (const delta of textDeltas(reply.text)) {
    if (!(await send(chunk({ content: delta })))) return false
  }
  if (reply.streamError !== undefined) return send({ error: { message: reply.streamError, type: 'server_error', param: null, code: null } })
  for (const [index, call] of reply.toolCalls.entries()) {
    const head = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }
    if (!(await send(chunk({ tool_calls: [head] })))) return false
    for (const piece of argumentPieces(call.arguments)) {
      if (!(await send(chunk({ tool_calls: [{ index, function: { arguments: piece } }] })))) return false
    }
  }
  if (!(await send(chunk({}, reply.finishReason)))) return false
  if (includeUsage) {
    const usage = { prompt_tokens: reply.usage.input, completion_tokens: reply.usage.output, total_tokens: reply.usage.input + reply.usage.output }
    if (!(await send({ ...base, choices: [], usage }))) return false
  }
  return true
}

function anthropicMessage(reply: ResolvedReply, model: string, nextId: (prefix: string) => string): object {
  return {
    id: nextId('msg_'),
    type: 'message',
    role: 'assistant',
    model,
    content: [
      ...(reply.thinking !== '' ? [{ type: 'thinking', thinking: reply.thinking, signature: 'scripted-signature' }] : []),
      ...(reply.text !== '' ? [{ type: 'text', text: reply.text }] : []),
      ...reply.toolCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: parseInput(call.arguments) })),
    ],
    stop_reason: ANTHROPIC_STOP[reply.finishReason],
    stop_sequence: null,
    usage: { input_tokens: reply.usage.input, output_tokens: reply.usage.output },
  }
}

function parseInput(args: string): unknown {
  try {
    return JSON.parse(args) as unknown
  } catch {
    return {}
  }
}

async function streamAnthropic(send: SendEvent, reply: ResolvedReply, model: string, nextId: (prefix: string) => string): Promise<boolean> {
  const message = {
    id: nextId('msg_'),
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: reply.usage.input, output_tokens: 1 },
  }
  const emit = (type: string, data: object) => send({ type, ...data }, type)
  if (!(await emit('message_start', { message }))) return false
  let index = 0
  if (reply.thinking !== '') {
    if (!(await emit('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } }))) return false
    for (const delta of textDeltas(reply.thinking)) {
      if (!(await emit('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: delta } }))) return false
    }
    if (!(await emit('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'scripted-signature' } }))) return false
    if (!(await emit('content_block_stop', { index }))) return false
    index++
  }
  if (reply.text !== '') {
    if (!(await emit('content_block_start', { index, content_block: { type: 'text', text: '' } }))) return false
    for (const delta of textDeltas(reply.text)) {
      if (!(await emit('content_block_delta', { index, delta: { type: 'text_delta', text: delta } }))) return false
    }
    if (!(await emit('content_block_stop', { index }))) return false
    index++
  }
  if (reply.streamError !== undefined) return emit('error', { error: { type: 'overloaded_error', message: reply.streamError } })
  for (const call of reply.toolCalls) {
    if (!(await emit('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }))) return false
    for (const piece of argumentPieces(call.arguments)) {
      if (!(await emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }))) return false
    }
    if (!(await emit('content_block_stop', { index }))) return false
    index++
  }
  const stop = { stop_reason: ANTHROPIC_STOP[reply.finishReason], stop_sequence: null }
  if (!(await emit('message_delta', { delta: stop, usage: { output_tokens: reply.usage.output } }))) return false
  return emit('message_stop', {})
}
