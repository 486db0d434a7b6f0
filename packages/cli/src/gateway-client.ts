import { randomUUID } from 'node:crypto'
import { WebSocket, type RawData } from 'ws'
import { CLI_ERR_GATEWAY_AUTH, CLI_ERR_GATEWAY_CLOSED, CLI_ERR_GATEWAY_HANDSHAKE, CLI_ERR_GATEWAY_TIMEOUT, CLI_ERR_GATEWAY_UNREACHABLE } from './errors.js'
import type { GatewayCredential } from './gateway-credentials.js'
import { GatewayRpcError, isRpcErrorShape, type RpcErrorShape } from './gateway-rpc-error.js'
import { PROTOCOL_VERSION, type Frame as ProtocolFrame, type HelloOk } from '@openclaw/plugin-rpc'

/** The gateway protocol this client speaks (`minProtocol` = `maxProtocol`): the rpc plugin's, from one module. */
export { PROTOCOL_VERSION }
/** Methods whose params need an `idempotencyKey`; the client generates one unless the caller gave it. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['agent', 'chat.send', 'send'])
/** Methods that answer twice on one id: an ack (`accepted` / `in_flight`), then the final answer. */
const ANSWERS_TWICE: ReadonlySet<string> = new Set(['agent'])
const ACK_STATUSES: ReadonlySet<unknown> = new Set(['accepted', 'in_flight'])

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_CALL_TIMEOUT_MS = 30_000
/** Without `policy.tickIntervalMs` in `hello-ok`; the protocol's default. */
const DEFAULT_TICK_INTERVAL_MS = 15_000
/** How long `close()` waits for the server's close frame before dropping the socket. */
const CLOSE_GRACE_MS = 1000

const CLOSE_NORMAL = 1000
const CLOSE_POLICY = 1008
/** The protocol's close code for a client that heard nothing for two tick intervals. */
const CLOSE_TICK_TIMEOUT = 4000

/** A server event (`agent`, `chat`, a plugin's), as the callback of the call that caused it sees it. */
export interface GatewayEvent {
  readonly event: string
  readonly payload: unknown
  readonly seq?: number
}

export type { HelloOk }

export interface GatewayClientOptions {
  /** `ws://` or `wss://`. */
  readonly url: string
  /** Where the URL came from, named when the gateway cannot be reached (`--url`, `gateway.port in …`). */
  readonly urlSource?: string
  /** Sent as `auth.token` / `auth.password`; none for a gateway in `none` mode. */
  readonly credential?: GatewayCredential
  /** `client.version` in `connect`. */
  readonly clientVersion: string
  /** Time to open the socket and complete the handshake. Default 10 s. */
  readonly connectTimeoutMs?: number
}

export interface CallOptions {
  /** Events that belong to this call while it is pending (for `agent`/`chat.send`/`send`, those of its run id). */
  readonly onEvent?: (event: GatewayEvent) => void
  /** The first answer of a method that answers twice (`{ runId, sessionKey, status: 'accepted' | 'in_flight', … }`). */
  readonly onAck?: (ack: Readonly<Record<string, unknown>>) => void
  /** Give up after this long (`CLI_ERR_GATEWAY_TIMEOUT`); 0 means no limit. Default 30 s. */
  readonly timeoutMs?: number
  /** Wait past an `accepted` / `in_flight` answer for the final one. Default: true for `agent`. */
  readonly expectFinal?: boolean
}

/** A frame as received: the protocol's shape, not yet checked field by field. */
type Frame = { readonly [K in 'type' | 'id' | 'ok' | 'payload' | 'error' | 'event' | 'seq']?: unknown } & Partial<Pick<ProtocolFrame, 'type'>>

interface PendingCall {
  readonly method: string
  readonly expectFinal: boolean
  /** The run id of an idempotent call (its idempotency key): only that run's events reach `onEvent`. */
  readonly runId: string | undefined
  readonly options: CallOptions
  readonly resolve: (payload: unknown) => void
  readonly reject: (err: Error) => void
  timer: NodeJS.Timeout | undefined
}

function parseFrame(data: RawData): Frame | undefined {
  try {
    const frame = JSON.parse(data.toString()) as unknown
    return typeof frame === 'object' && frame !== null && !Array.isArray(frame) ? (frame as Frame) : undefined
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `params` with an `idempotencyKey` when `method` needs one and the caller did not give it. */
export function withIdempotencyKey(method: string, params: unknown): unknown {
  if (!IDEMPOTENT_METHODS.has(method)) return params
  if (params === undefined || params === null) return { idempotencyKey: randomUUID() }
  if (!isRecord(params) || typeof params.idempotencyKey === 'string') return params
  return { ...params, idempotencyKey: randomUUID() }
}

/** What to tell the user when the gateway refuses the credential: where this one came from, and where the right one is. */
function authHint(credential: GatewayCredential | undefined, error: RpcErrorShape | undefined): string {
  const detail = error?.details?.code
  if (detail === 'AUTH_PASSWORD_MISSING') return 'the gateway uses a password (gateway.auth.mode "password"): pass --password or set OPENCLAW_GATEWAY_PASSWORD'
  if (detail === 'AUTH_RATE_LIMITED') return 'too many wrong credentials from this address; wait, then retry with the right one'
  if (credential === undefined || detail === 'AUTH_TOKEN_MISSING') {
    return 'no token was sent: pass --token or set OPENCLAW_GATEWAY_TOKEN; on the gateway host `openclaw gateway token` prints it (gateway.auth.token, else the token the gateway generated into <state dir>/gateway.token)'
  }
  if (credential.kind === 'password') return `the password came from ${credential.source}: pass the gateway's password (gateway.auth.password on its host) with --password or OPENCLAW_GATEWAY_PASSWORD`
  return `the token came from ${credential.source}: pass the gateway's token with --token or OPENCLAW_GATEWAY_TOKEN; on the gateway host \`openclaw gateway token\` prints it`
}

function isAuthRefusal(error: RpcErrorShape): boolean {
  // OpenClaw's protocol answers a refused credential INVALID_REQUEST and says why in details.code (AUTH_…).
  return typeof error.details?.code === 'string' && error.details.code.startsWith('AUTH_')
}

function describeClose(code: number, reason: string): string {
  return reason === '' ? `close code ${code}` : `close code ${code}: ${reason}`
}

/**
 * A gateway RPC client (protocol v4) over one WebSocket: {@link GatewayClient.connect} waits for
 * `connect.challenge`, sends `connect` and resolves once the gateway answers `hello-ok`; then
 * {@link GatewayClient.call} sends requests and resolves with their final answer. Failures are the
 * CLI's coded errors (`CLI_ERR_GATEWAY_*`), and a gateway's error answer is a {@link GatewayRpcError}.
 */
export class GatewayClient {
  readonly #ws: WebSocket
  readonly #options: GatewayClientOptions
  readonly #pending = new Map<string, PendingCall>()
  readonly #liveness: NodeJS.Timeout
  #nextId = 0
  #lastFrameAt = Date.now()
  /** Why the connection ended, once it has; pending and later calls fail with it. */
  #ended: Error | undefined
  /** The `shutdown` event's reason, when the gateway announced it is stopping. */
  #shutdownReason: string | undefined
  /** Set before the client closes the socket itself, so the close is not reported as the gateway's. */
  #endReason: Error | undefined

  private constructor(ws: WebSocket, readonly hello: HelloOk, options: GatewayClientOptions) {
    this.#ws = ws
    this.#options = options
    ws.on('message', (data: RawData) => this.#onMessage(data))
    ws.on('error', () => undefined) // 'close' follows and reports it
    ws.on('close', (code: number, reason: Buffer) => this.#onClose(code, reason.toString()))
    const tickMs = hello.policy.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS
    this.#liveness = setInterval(() => this.#checkLiveness(tickMs), tickMs)
    this.#liveness.unref()
  }

  get url(): string {
    return this.#options.url
  }

  /**
   * Open the socket and complete the handshake. Rejects with `CLI_ERR_GATEWAY_UNREACHABLE` (nothing
   * answers), `CLI_ERR_GATEWAY_AUTH` (credential refused), `CLI_ERR_GATEWAY_HANDSHAKE` (not a v4
   * gateway) or `CLI_ERR_GATEWAY_TIMEOUT`.
   */
  static connect(options: GatewayClientOptions): Promise<GatewayClient> {
    const { url } = options
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
    return new Promise<GatewayClient>((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs })
      const connectId = 'connect'
      let settled = false
      const settle = () => {
        settled = true
        clearTimeout(timer)
        ws.removeAllListeners()
      }
      const fail = (err: Error) => {
        if (settled) return
        settle()
        ws.on('error', () => undefined)
        ws.terminate()
        reject(err)
      }
      const timer = setTimeout(() => fail(new CLI_ERR_GATEWAY_TIMEOUT(url, 'the handshake', timeoutMs)), timeoutMs)

      ws.on('error', (err: Error & { code?: string }) => {
        // Protocol-level failures of ws carry WS_ERR_* codes; everything else is the network.
        if (err.code?.startsWith('WS_ERR_')) fail(new CLI_ERR_GATEWAY_HANDSHAKE(url, err.message, { cause: err }))
        else fail(new CLI_ERR_GATEWAY_UNREACHABLE(url, err.code ?? err.message, options.urlSource ?? 'the command line', { cause: err }))
      })
      ws.on('unexpected-response', (_req, res) => {
        const hint = res.statusCode === 429 ? ' (too many connections from this address)' : ' (is this an OpenClaw gateway with the rpc plugin?)'
        fail(new CLI_ERR_GATEWAY_HANDSHAKE(url, `HTTP ${res.statusCode} instead of a WebSocket upgrade${hint}`))
      })
      ws.on('close', (code: number, reason: Buffer) => {
        const text = reason.toString()
        if (code === CLOSE_POLICY && text === 'unauthorized') fail(new CLI_ERR_GATEWAY_AUTH(url, 'unauthorized', authHint(options.credential, undefined)))
        else fail(new CLI_ERR_GATEWAY_HANDSHAKE(url, `the connection closed during the handshake (${describeClose(code, text)})`))
      })
      ws.on('message', (data: RawData) => {
        const frame = parseFrame(data)
        if (frame === undefined) return
        if (frame.type === 'event' && frame.event === 'connect.challenge') {
          const { credential } = options
          const params = {
            minProtocol: PROTOCOL_VERSION,
            maxProtocol: PROTOCOL_VERSION,
            client: { id: 'cli', version: options.clientVersion, platform: process.platform, mode: 'cli' },
            ...(credential ? { auth: credential.kind === 'token' ? { token: credential.value } : { password: credential.value } } : {}),
          }
          ws.send(JSON.stringify({ type: 'req', id: connectId, method: 'connect', params }))
          return
        }
        if (frame.type !== 'res' || frame.id !== connectId) return
        if (frame.ok === true && isRecord(frame.payload)) {
          settle()
          resolve(new GatewayClient(ws, frame.payload as unknown as HelloOk, options))
          return
        }
        const error = isRpcErrorShape(frame.error) ? frame.error : { code: 'UNAVAILABLE' as const, message: 'the gateway refused the handshake without saying why' }
        const retry = error.retryAfterMs !== undefined ? `; retry in ${Math.ceil(error.retryAfterMs / 1000)} s` : ''
        if (isAuthRefusal(error)) fail(new CLI_ERR_GATEWAY_AUTH(url, `${error.message}${retry}`, authHint(options.credential, error)))
        else fail(new CLI_ERR_GATEWAY_HANDSHAKE(url, `${error.code}: ${error.message}${retry}`))
      })
    })
  }

  /**
   * Call `method` and resolve with its final answer's payload. `agent`, `chat.send` and `send` get a
   * generated `idempotencyKey` unless `params` has one. For `agent` the first answer is only the ack:
   * it goes to `onAck`, the run's `agent` events to `onEvent`, and the call resolves with the second
   * answer. Rejects with a {@link GatewayRpcError} for an error answer, `CLI_ERR_GATEWAY_TIMEOUT`
   * after `timeoutMs`, `CLI_ERR_GATEWAY_CLOSED` when the connection ends first.
   */
  call<T = unknown>(method: string, params?: unknown, options: CallOptions = {}): Promise<T> {
    if (this.#ended !== undefined) return Promise.reject(this.#ended)
    const id = `${++this.#nextId}`
    const body = withIdempotencyKey(method, params)
    const runId = IDEMPOTENT_METHODS.has(method) && isRecord(body) && typeof body.idempotencyKey === 'string' ? body.idempotencyKey : undefined
    const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
    return new Promise<T>((resolve, reject) => {
      const pending: PendingCall = {
        method,
        expectFinal: options.expectFinal ?? ANSWERS_TWICE.has(method),
        runId,
        options,
        resolve: resolve as (payload: unknown) => void,
        reject,
        timer: undefined,
      }
      if (timeoutMs > 0) {
        pending.timer = setTimeout(() => {
          this.#pending.delete(id)
          this.#send({ type: 'cancel', id })
          reject(new CLI_ERR_GATEWAY_TIMEOUT(this.url, `'${method}'`, timeoutMs))
        }, timeoutMs)
      }
      this.#pending.set(id, pending)
      this.#send({ type: 'req', id, method, ...(body !== undefined ? { params: body } : {}) })
    })
  }

  /** Close the connection (code 1000); calls still pending fail with `CLI_ERR_GATEWAY_CLOSED`. */
  async close(): Promise<void> {
    clearInterval(this.#liveness)
    const ws = this.#ws
    if (ws.readyState === WebSocket.CLOSED) return
    this.#endReason ??= new CLI_ERR_GATEWAY_CLOSED(this.url, 'the CLI closed it')
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS)
      ws.once('close', () => {
        clearTimeout(force)
        resolve()
      })
      if (ws.readyState === WebSocket.OPEN) ws.close(CLOSE_NORMAL)
    })
  }

  #send(frame: object): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(frame))
  }

  #onMessage(data: RawData): void {
    this.#lastFrameAt = Date.now()
    const frame = parseFrame(data)
    if (frame === undefined) return
    if (frame.type === 'res') return this.#onResponse(frame)
    if (frame.type !== 'event' || typeof frame.event !== 'string') return
    if (frame.event === 'tick') return
    if (frame.event === 'shutdown') {
      const reason = isRecord(frame.payload) && typeof frame.payload.reason === 'string' ? frame.payload.reason : 'shutdown'
      this.#shutdownReason = `the gateway is stopping: ${reason}`
      return
    }
    const event: GatewayEvent = { event: frame.event, payload: frame.payload, ...(typeof frame.seq === 'number' ? { seq: frame.seq } : {}) }
    const eventRunId = isRecord(frame.payload) && typeof frame.payload.runId === 'string' ? frame.payload.runId : undefined
    for (const pending of this.#pending.values()) {
      if (pending.options.onEvent === undefined) continue
      if (pending.runId !== undefined && eventRunId !== undefined && eventRunId !== pending.runId) continue
      pending.options.onEvent(event)
    }
  }

  #onResponse(frame: Frame): void {
    const id = typeof frame.id === 'string' ? frame.id : undefined
    const pending = id === undefined ? undefined : this.#pending.get(id)
    if (id === undefined || pending === undefined) return
    if (frame.ok !== true) {
      this.#settle(id, pending)
      const error = isRpcErrorShape(frame.error) ? frame.error : { code: 'UNAVAILABLE' as const, message: `the gateway answered '${pending.method}' with an error it did not describe` }
      pending.reject(new GatewayRpcError(pending.method, error))
      return
    }
    if (pending.expectFinal && isRecord(frame.payload) && ACK_STATUSES.has(frame.payload.status)) {
      pending.options.onAck?.(frame.payload)
      return
    }
    this.#settle(id, pending)
    pending.resolve(frame.payload)
  }

  #settle(id: string, pending: PendingCall): void {
    this.#pending.delete(id)
    if (pending.timer !== undefined) clearTimeout(pending.timer)
  }

  /** Two tick intervals without a frame: the gateway (or the network) is gone. */
  #checkLiveness(tickMs: number): void {
    const silentMs = Date.now() - this.#lastFrameAt
    if (silentMs <= 2 * tickMs || this.#ws.readyState !== WebSocket.OPEN) return
    this.#endReason ??= new CLI_ERR_GATEWAY_TIMEOUT(this.url, 'a tick (heartbeat)', 2 * tickMs)
    this.#ws.close(CLOSE_TICK_TIMEOUT, 'tick timeout')
    setTimeout(() => this.#ws.terminate(), CLOSE_GRACE_MS).unref()
  }

  #onClose(code: number, reason: string): void {
    clearInterval(this.#liveness)
    this.#ended = this.#endReason ?? new CLI_ERR_GATEWAY_CLOSED(this.url, this.#shutdownReason ?? describeClose(code, reason))
    for (const [id, pending] of [...this.#pending]) {
      this.#settle(id, pending)
      pending.reject(this.#ended)
    }
  }
}
