import { randomBytes, randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { GatewayAuth, GatewayRuntime, Logger, RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { WebSocketServer, type WebSocket } from 'ws'
import { CallContext, RESPONDED } from './call-context.js'
import { ConnectParamsSchema, type ConnectParams } from './connect-params.js'
import { PROTOCOL_VERSION, SERVER_CAPABILITIES, SERVER_EVENTS } from './protocol.js'
import { describeParamsError } from './describe-params-error.js'
import {
  RPC_ERR_ALREADY_CONNECTED,
  RPC_ERR_AUTH_MISMATCH,
  RPC_ERR_AUTH_MISSING,
  RPC_ERR_AUTH_RATE_LIMITED,
  RPC_ERR_HANDSHAKE_REQUIRED,
  RPC_ERR_INVALID_FRAME,
  RPC_ERR_INVALID_PARAMS,
  RPC_ERR_METHOD_TIMEOUT,
  RPC_ERR_METHOD_UNKNOWN,
  RPC_ERR_PROTOCOL_MISMATCH,
} from './errors.js'
import type { RequestId } from './frame-encoder.js'
import { MAX_FRAME_DEPTH, nestedDeeperThan } from './json-depth.js'
import type { RpcConfig } from './rpc-config.js'
import { CLOSE_GOING_AWAY, CLOSE_POLICY, RpcConnection } from './rpc-connection.js'
import { toRpcError, type RpcError } from './to-rpc-error.js'

/** Frames before the handshake may not be larger than this (the `connect` request is small). */
const PRE_AUTH_MAX_BYTES = 64 * 1024
/** How long `stop()` waits for clients to answer the close frame before cutting their sockets. */
const STOP_GRACE_MS = 1000
/** What a shared-secret operator may do: everything (OpenClaw grants full operator scopes to the gateway secret). */
const OPERATOR_SCOPES = ['operator.admin', 'operator.approvals', 'operator.pairing', 'operator.read', 'operator.talk.secrets', 'operator.write'] as const

export interface RpcServerOptions {
  readonly config: RpcConfig
  readonly gateway: GatewayRuntime
  /** The gateway credential check `core:http` shares (`Tokens.GatewayAuth`). */
  readonly auth: GatewayAuth
  readonly log: Logger
}

export interface RpcServerStats {
  readonly connections: number
  readonly slowConsumerDisconnects: number
}

type Frame = Record<string, unknown>

function isFrame(value: unknown): value is Frame {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function requestIdOf(frame: Frame): RequestId | null {
  const id = frame.id
  return (typeof id === 'string' && id !== '' && id.length <= 256) || (typeof id === 'number' && Number.isFinite(id)) ? id : null
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function'
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so one client is one key whatever the socket family. */
function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown'
  return address.startsWith('::ffff:') ? address.slice(7) : address
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  socket.once('finish', () => socket.destroy())
}

function codedError(err: Error): RpcError {
  return toRpcError(err).error
}

/**
 * The WebSocket side of the gateway port: upgrades, the v4 handshake, request dispatch through the
 * kernel's RPC method registry, liveness (ticks, ping/pong) and limits. Per frame it parses JSON
 * once, looks the method up, validates params with the method's schema, and answers.
 */
export class RpcServer {
  readonly #options: RpcServerOptions
  readonly #wss: WebSocketServer
  readonly #connections = new Set<RpcConnection>()
  readonly #perIp = new Map<string, number>()
  /** Connections whose wrong credential is being answered (after the failure delay). */
  readonly #refusing = new WeakSet<RpcConnection>()
  readonly #methods: GatewayRuntime['registry']['rpcMethods']
  readonly #idPrefix = randomBytes(3).toString('hex')
  readonly #startedAt = Date.now()
  readonly #timer: NodeJS.Timeout
  readonly #onSlowConsumer = (connection: RpcConnection): void => {
    this.#slowConsumers++
    this.#options.log.warn({ connId: connection.id, ip: connection.ip, maxBufferedBytes: this.#options.config.maxBufferedBytes }, 'client cut off: slow consumer')
  }
  #nextId = 0
  #slowConsumers = 0
  #closing = false

  constructor(options: RpcServerOptions) {
    this.#options = options
    this.#methods = options.gateway.registry.rpcMethods
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: options.config.maxPayload, perMessageDeflate: false, clientTracking: false })
    this.#timer = setInterval(() => this.#tick(), options.config.tickIntervalMs)
    this.#timer.unref()
  }

  stats(): RpcServerStats {
    return { connections: this.#connections.size, slowConsumerDisconnects: this.#slowConsumers }
  }

  /** The `api.http.upgrade` handler: per-IP limit, then the WebSocket handshake. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#closing) return rejectUpgrade(socket, 503, 'Service Unavailable')
    const ip = clientIp(req)
    const open = this.#perIp.get(ip) ?? 0
    if (open >= this.#options.config.maxConnectionsPerIp) {
      this.#options.log.warn({ ip, limit: this.#options.config.maxConnectionsPerIp }, 'WebSocket refused: too many connections from this address')
      return rejectUpgrade(socket, 429, 'Too Many Requests')
    }
    this.#perIp.set(ip, open + 1)
    socket.once('close', () => {
      const left = (this.#perIp.get(ip) ?? 1) - 1
      if (left <= 0) this.#perIp.delete(ip)
      else this.#perIp.set(ip, left)
    })
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws, ip))
  }

  /** Tell every client the gateway stops, close their sockets, and stop the timers. */
  async stop(): Promise<void> {
    this.#closing = true
    clearInterval(this.#timer)
    const shutdown = JSON.stringify({ reason: 'gateway stopping' })
    for (const connection of this.#connections) {
      if (connection.client) connection.sendEvent('shutdown', shutdown)
      connection.close(CLOSE_GOING_AWAY, 'gateway stopping')
    }
    const deadline = Date.now() + STOP_GRACE_MS
    while (this.#connections.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    for (const connection of this.#connections) connection.ws.terminate()
    this.#connections.clear()
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()))
  }

  #onConnection(ws: WebSocket, ip: string): void {
    const { config, log } = this.#options
    const connection = new RpcConnection(`${this.#idPrefix}-${(++this.#nextId).toString(36)}`, ws, ip, config.maxBufferedBytes, this.#onSlowConsumer)
    this.#connections.add(connection)
    ws.on('message', (data: Buffer, isBinary: boolean) => this.#onMessage(connection, data, isBinary))
    ws.on('pong', () => {
      connection.alive = true
    })
    ws.on('error', (err) => log.debug({ connId: connection.id, err }, 'WebSocket error'))
    ws.on('close', () => {
      connection.markClosed()
      this.#connections.delete(connection)
    })
    connection.handshakeTimer = setTimeout(() => {
      connection.handshakeTimer = undefined
      if (connection.client === undefined) connection.close(CLOSE_POLICY, 'handshake timeout')
    }, config.handshakeTimeoutMs)
    connection.sendEvent('connect.challenge', JSON.stringify({ nonce: randomUUID(), ts: Date.now() }))
  }

  #onMessage(connection: RpcConnection, data: Buffer, isBinary: boolean): void {
    connection.alive = true
    if (connection.client === undefined) return this.#onHandshakeFrame(connection, data, isBinary)
    if (isBinary) return void connection.sendError(null, codedError(new RPC_ERR_INVALID_FRAME('binary frames are not supported; send JSON text')))
    let frame: unknown
    try {
      frame = JSON.parse(data.toString())
    } catch {
      return void connection.sendError(null, codedError(new RPC_ERR_INVALID_FRAME('not valid JSON')))
    }
    if (!isFrame(frame)) return void connection.sendError(null, codedError(new RPC_ERR_INVALID_FRAME('expected a JSON object')))
    if (nestedDeeperThan(frame, MAX_FRAME_DEPTH)) {
      return void connection.sendError(requestIdOf(frame), codedError(new RPC_ERR_INVALID_FRAME(`JSON nested deeper than ${MAX_FRAME_DEPTH} levels`)))
    }
    const type = frame.type
    if (type === 'req') {
      const id = requestIdOf(frame)
      if (id === null) return void connection.sendError(null, codedError(new RPC_ERR_INVALID_FRAME("a 'req' frame needs an 'id': a non-empty string of at most 256 characters, or a number")))
      const method = frame.method
      if (typeof method !== 'string' || method === '') return void connection.sendError(id, codedError(new RPC_ERR_INVALID_FRAME("a 'req' frame needs a 'method'")))
      return this.#dispatch(connection, id, method, frame.params)
    }
    // `cancel` is accepted for compatibility; runs are stopped with `chat.abort`.
    if (type === 'cancel') return
    connection.sendError(requestIdOf(frame), codedError(new RPC_ERR_INVALID_FRAME(`unknown frame type ${JSON.stringify(type) ?? 'undefined'}; expected 'req'`)))
  }

  #dispatch(connection: RpcConnection, id: RequestId, name: string, params: unknown): void {
    const method = this.#methods.get(name)
    if (method === undefined) {
      if (name === 'connect') return void connection.sendError(id, codedError(new RPC_ERR_ALREADY_CONNECTED()))
      // The name as sent, but not a 100 KB one echoed back.
      // OpenClaw's answer (`INVALID_REQUEST`, `unknown method: <name>`; its clients match that text), with the name as sent, but not a 100 KB one echoed back.
      const shown = name.length > 100 ? `${name.slice(0, 100)}…` : name
      return void connection.sendError(id, codedError(new RPC_ERR_METHOD_UNKNOWN(shown, { details: { method: shown } })))
    }
    let input = params
    if (method.params !== undefined) {
      const parsed = method.params.safeParse(params === undefined || params === null ? {} : params)
      if (!parsed.success) {
        const error = codedError(new RPC_ERR_INVALID_PARAMS(name, describeParamsError(parsed.error)))
        const issues = parsed.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.map(String), message: issue.message }))
        return void connection.sendError(id, { ...error, details: { ...error.details, method: name, issues } })
      }
      input = parsed.data
    }
    let output: unknown
    try {
      output = method.handler(input, new CallContext(connection, id))
    } catch (err) {
      return this.#fail(connection, id, method, err)
    }
    if (isThenable(output)) return this.#settle(connection, id, method, output)
    this.#answer(connection, id, method, output)
  }

  #settle(connection: RpcConnection, id: RequestId, method: RpcMethodDefinition, pending: PromiseLike<unknown>): void {
    const timeoutMs = this.#options.config.methodTimeoutMs
    let settled = false
    const timer = setTimeout(() => {
      settled = true
      const error = codedError(new RPC_ERR_METHOD_TIMEOUT(method.name, timeoutMs))
      connection.sendError(id, { ...error, details: { ...error.details, method: method.name } })
    }, timeoutMs)
    pending.then(
      (output) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.#answer(connection, id, method, output)
      },
      (err: unknown) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.#fail(connection, id, method, err)
      },
    )
  }

  #answer(connection: RpcConnection, id: RequestId, method: RpcMethodDefinition, output: unknown): void {
    if (output === RESPONDED) return
    let json: string
    try {
      json = JSON.stringify(output) ?? 'null'
    } catch (err) {
      return this.#fail(connection, id, method, err)
    }
    connection.sendOk(id, json)
  }

  #fail(connection: RpcConnection, id: RequestId, method: RpcMethodDefinition, err: unknown): void {
    const { error: mapped, unexpected } = toRpcError(err)
    // Which method failed, as OpenClaw's clients read it (`details.method`), unless the error names its own.
    const error = mapped.details?.method === undefined ? { ...mapped, details: { ...mapped.details, method: method.name } } : mapped
    if (unexpected) {
      const owner = this.#methods.owner(method.name)
      this.#options.log.error({ err, method: method.name, plugin: owner }, `RPC method '${method.name}' of plugin '${owner ?? 'unknown'}' failed`)
    }
    connection.sendError(id, error)
  }

  // ── handshake ──────────────────────────────────────────────────────────────────────────────────

  #onHandshakeFrame(connection: RpcConnection, data: Buffer, isBinary: boolean): void {
    if (this.#refusing.has(connection)) return
    if (data.length > PRE_AUTH_MAX_BYTES) return connection.close(1009, 'handshake frame too large')
    let frame: unknown
    try {
      frame = isBinary ? undefined : JSON.parse(data.toString())
    } catch {
      frame = undefined
    }
    if (!isFrame(frame)) return this.#refuse(connection, null, new RPC_ERR_INVALID_FRAME('not a JSON object'), 'invalid handshake')
    const id = requestIdOf(frame)
    if (frame.type !== 'req' || frame.method !== 'connect' || id === null) {
      const got = frame.type === 'req' ? `method ${JSON.stringify(frame.method) ?? 'undefined'}` : `frame type ${JSON.stringify(frame.type) ?? 'undefined'}`
      return this.#refuse(connection, id, new RPC_ERR_HANDSHAKE_REQUIRED(id === null && frame.method === 'connect' ? 'a connect without an id' : got), 'connect required')
    }
    const parsed = ConnectParamsSchema.safeParse(frame.params ?? {})
    if (!parsed.success) return this.#refuse(connection, id, new RPC_ERR_INVALID_PARAMS('connect', describeParamsError(parsed.error)), 'invalid connect params')
    const params = parsed.data
    if (params.minProtocol > PROTOCOL_VERSION || params.maxProtocol < PROTOCOL_VERSION) {
      const err = new RPC_ERR_PROTOCOL_MISMATCH(params.minProtocol, params.maxProtocol, PROTOCOL_VERSION, {
        details: { code: 'PROTOCOL_MISMATCH', expectedProtocol: PROTOCOL_VERSION, minProtocol: params.minProtocol, maxProtocol: params.maxProtocol },
      })
      return this.#refuse(connection, id, err, 'protocol mismatch')
    }
    const denied = this.#authenticate(connection.ip, params)
    if (denied) {
      if (denied.delayMs === 0) return this.#refuse(connection, id, denied.error, 'unauthorized')
      // A wrong credential is answered later, as over HTTP: guessing gets slower with every failure.
      // Frames sent meanwhile are ignored.
      this.#refusing.add(connection)
      setTimeout(() => this.#refuse(connection, id, denied.error, 'unauthorized'), denied.delayMs).unref()
      return
    }

    connection.client = {
      id: params.client.id,
      version: params.client.version,
      mode: params.client.mode,
      ...(params.client.platform ? { platform: params.client.platform } : {}),
    }
    connection.toolEvents = params.caps?.includes('tool-events') ?? false
    if (connection.handshakeTimer !== undefined) {
      clearTimeout(connection.handshakeTimer)
      connection.handshakeTimer = undefined
    }
    connection.sendOk(id, JSON.stringify(this.#hello(connection, params)))
  }

  /**
   * `undefined` when the credential is good; else the error to answer with, and how long to wait
   * first. The check and its lockout are core:http's (`Tokens.GatewayAuth`): one count per client
   * for HTTP and WebSocket together.
   */
  #authenticate(ip: string, params: ConnectParams): { error: Error; delayMs: number } | undefined {
    const { auth } = this.#options
    const field = auth.mode === 'password' ? 'password' : 'token'
    const verdict = auth.verify(ip, params.auth?.[field])
    if (verdict.ok) return undefined
    switch (verdict.reason) {
      case 'locked':
        return {
          delayMs: 0,
          error: Object.assign(
            new RPC_ERR_AUTH_RATE_LIMITED({ details: { code: 'AUTH_RATE_LIMITED', authReason: 'rate_limited', recommendedNextStep: 'wait_then_retry' } }),
            { retryAfterMs: verdict.retryAfterMs },
          ),
        }
      case 'missing':
        return {
          delayMs: 0,
          error: new RPC_ERR_AUTH_MISSING(field, {
            details: { code: field === 'token' ? 'AUTH_TOKEN_MISSING' : 'AUTH_PASSWORD_MISSING', authReason: `${field}_missing`, recommendedNextStep: 'update_auth_configuration' },
          }),
        }
      case 'mismatch':
        return {
          delayMs: verdict.delayMs,
          error: new RPC_ERR_AUTH_MISMATCH(field, {
            details: { code: field === 'token' ? 'AUTH_TOKEN_MISMATCH' : 'AUTH_PASSWORD_MISMATCH', authReason: `${field}_mismatch`, recommendedNextStep: 'update_auth_credentials' },
          }),
        }
    }
  }

  /** Answer the handshake with an error, then close 1008 with `reason`. */
  #refuse(connection: RpcConnection, id: RequestId | null, err: Error, reason: string): void {
    this.#options.log.debug({ connId: connection.id, ip: connection.ip, code: (err as { code?: string }).code }, `WebSocket handshake refused: ${reason}`)
    connection.sendError(id, codedError(err))
    connection.close(CLOSE_POLICY, reason)
  }

  #hello(connection: RpcConnection, params: ConnectParams): object {
    const { config, gateway } = this.#options
    const uptimeMs = Date.now() - this.#startedAt
    return {
      type: 'hello-ok',
      protocol: PROTOCOL_VERSION,
      server: { version: gateway.version, connId: connection.id },
      features: { methods: this.#methods.keys(), events: SERVER_EVENTS, capabilities: SERVER_CAPABILITIES },
      snapshot: { presence: [], health: { ok: gateway.isReady() }, stateVersion: { presence: 0, health: 0 }, uptimeMs },
      auth: { role: params.role ?? 'operator', scopes: OPERATOR_SCOPES },
      policy: { maxPayload: config.maxPayload, maxBufferedBytes: config.maxBufferedBytes, tickIntervalMs: config.tickIntervalMs },
    }
  }

  // ── liveness ───────────────────────────────────────────────────────────────────────────────────

  /** Every `tickIntervalMs`: drop peers that did not answer the last ping, ping the rest, send `tick`. */
  #tick(): void {
    const tick = `{"ts":${Date.now()}}`
    for (const connection of this.#connections) {
      if (!connection.open) continue
      if (!connection.alive) {
        this.#options.log.debug({ connId: connection.id }, 'client missed a pong; dropping it')
        connection.markClosed()
        connection.ws.terminate()
        continue
      }
      connection.alive = false
      connection.ws.ping()
      if (connection.client !== undefined) connection.sendEvent('tick', tick)
    }
  }
}
