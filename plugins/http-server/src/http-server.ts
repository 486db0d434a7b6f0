import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { fastify, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type HTTPMethods } from 'fastify'
import { isCodedError, type HttpRouteDefinition, type HttpUpgradeDefinition, type Logger, type PluginApi, type RouteReply, type RouteRequest, type Token, type Tokens } from '@openclaw/plugin-sdk'
import type { AuthLimiter } from './auth-limiter.js'
import { checkCredential, type AuthVerdict } from './check-credential.js'
import { answerClientError } from './client-error.js'
import { errorBody, type ServerError } from './error-body.js'
import {
  HTTP_ERR_BAD_REQUEST,
  HTTP_ERR_BAD_URL,
  HTTP_ERR_BODY_TOO_LARGE,
  HTTP_ERR_DRAINING,
  HTTP_ERR_INTERNAL,
  HTTP_ERR_INVALID_JSON,
  HTTP_ERR_LISTEN_FAILED,
  HTTP_ERR_METHOD_NOT_ALLOWED,
  HTTP_ERR_NOT_FOUND,
  HTTP_ERR_NOT_READY,
  HTTP_ERR_PLUGIN_UNAVAILABLE,
  HTTP_ERR_PORT_IN_USE,
  HTTP_ERR_RATE_LIMITED,
  HTTP_ERR_UNAUTHORIZED,
  HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
} from './errors.js'
import type { OriginPolicy } from './origin-policy.js'
import { parseBearer } from './parse-bearer.js'
import { createSecretMatcher, type SecretMatcher } from './secret-matcher.js'

type HttpGuardCheck = Parameters<PluginApi['http']['guard']>[1]
type HttpGuardCredentials = Parameters<HttpGuardCheck>[1]
type HttpGuardVerdict = ReturnType<HttpGuardCheck>

/** A route guard a plugin registered (`api.http.guard`), with the plugin that owns it. */
export interface OwnedGuard {
  readonly owner: string
  readonly name: string
  readonly check: HttpGuardCheck
}


/** What `Tokens.HttpServer` holds (the core's HttpServerInfo), and its `inject` request and answer. */
type HttpServerInfo = typeof Tokens.HttpServer extends Token<infer T> ? T : never
export type HttpInjectRequest = Parameters<HttpServerInfo['inject']>[0]
export type HttpInjectResponse = Awaited<ReturnType<HttpServerInfo['inject']>>

/** A route or upgrade as the registry holds it, with the plugin that registered it. */
export interface OwnedRoute {
  readonly owner: string
  readonly definition: HttpRouteDefinition
}

export interface OwnedUpgrade {
  readonly owner: string
  readonly definition: HttpUpgradeDefinition
}

export interface HttpServerOptions {
  readonly routes: readonly OwnedRoute[]
  readonly upgrades: readonly OwnedUpgrade[]
  /** Routes of this plugin (the probes): answered while starting and draining, never gated. */
  readonly selfId: string
  readonly maxBodyBytes: number
  readonly headersTimeoutMs: number
  readonly requestTimeoutMs: number
  /** Guards plugins registered, by name; routes name them as `auth` (besides `gateway` and `none`). */
  readonly guards: ReadonlyMap<string, OwnedGuard>
  /** `undefined` when `gateway.auth.mode` is `none`. */
  readonly gatewaySecret: SecretMatcher | undefined
  readonly gatewayLimiter: AuthLimiter
  /** A fresh lockout with the gateway's limits: one per plugin guard, named for it (logs say which). */
  createLimiter(scope: string): AuthLimiter
  /** Browser origins and host names answered, on requests and upgrades. */
  readonly originPolicy: OriginPolicy
  readonly log: Logger
}

/** One HTTP method, as routes declare them. */
type HttpMethod = Exclude<HttpRouteDefinition['method'], readonly unknown[]>

const STARTING = 0
const STARTED = 1
const DRAINING = 2
type Phase = typeof STARTING | typeof STARTED | typeof DRAINING

/** While stopping, how often connections that turned idle are closed. */
const IDLE_SWEEP_MS = 25

const ALL_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/** Per mounted route: what its gate and error handler need, computed once. */
interface MountedRoute {
  readonly owner: string
  readonly definition: HttpRouteDefinition | undefined
  /** The plugin whose guard admits requests, when not the server's own. */
  readonly guardOwner?: string | undefined
  /** False once the owning plugin (or its guard's) has failed. */
  available: boolean
}

/** What a route's parsers need to know, set as fastify's route `config`. */
interface BodyOptions {
  readonly rawBody?: boolean | undefined
  readonly form?: boolean | undefined
}

function bodyOptions(request: FastifyRequest): BodyOptions {
  return (request.routeOptions.config ?? {}) as BodyOptions
}

/** A form body: an object of strings, an array for a repeated key; `__proto__` is a plain key. */
function parseForm(text: string): Record<string, string | string[]> {
  const fields = new Map<string, string | string[]>()
  for (const [key, value] of new URLSearchParams(text)) {
    const seen = fields.get(key)
    fields.set(key, seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value])
  }
  return Object.fromEntries(fields)
}

/** A guard's credential check before it knows the client: `check` takes the client's address too. */
interface GuardCredentials {
  check(secret: string | undefined, presented: string | undefined, client: string): AuthVerdict
  matches: HttpGuardCredentials['matches']
  fail(client: string): number
}

/** The guard credential check: constant-time compares (matchers cached per secret) and this guard's lockout. */
function guardCredentials(limiter: AuthLimiter): GuardCredentials {
  const matchers = new Map<string, SecretMatcher>()
  const matcher = (secret: string | undefined): SecretMatcher => {
    if (secret === undefined || secret === '') return () => false
    let m = matchers.get(secret)
    if (!m) matchers.set(secret, (m = createSecretMatcher(secret)))
    return m
  }
  return {
    check: (secret, presented, client) => checkCredential(limiter, matcher(secret), client, presented),
    matches: (secret, presented) => matcher(secret)(presented),
    fail: (client) => limiter.fail(client),
  }
}

type Gate = (request: FastifyRequest, reply: FastifyReply, done: () => void) => void

function sendError(reply: FastifyReply, route: HttpRouteDefinition | undefined, error: ServerError): void {
  reply.code(error.statusCode).send(errorBody(route, error))
}

function serverError(err: { statusCode?: number | undefined; code: string; message: string }): ServerError {
  return { statusCode: err.statusCode ?? 500, code: err.code, message: err.message }
}

/** Deepest nesting of objects and arrays a JSON body may have. */
const MAX_JSON_DEPTH = 64

/** Whether JSON text nests objects/arrays deeper than `max`; one pass, strings skipped. */
function jsonNestedDeeperThan(text: string, max: number): boolean {
  if (text.length <= max * 2) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // a backslash escapes the next character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return false
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/'
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}

/**
 * Map what fastify raises (body limits, bad or `__proto__`-poisoned JSON, bad media type) and coded
 * 4xx errors of handlers to the server's own answers; `undefined` means a 500.
 */
function classify(err: FastifyError): ServerError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return serverError(new HTTP_ERR_BODY_TOO_LARGE())
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return serverError(new HTTP_ERR_INVALID_JSON())
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return serverError(new HTTP_ERR_UNSUPPORTED_MEDIA_TYPE())
    default:
      break
  }
  if (typeof err.code === 'string' && err.code.startsWith('FST_') && typeof err.statusCode === 'number' && err.statusCode < 500) {
    return serverError(new HTTP_ERR_BAD_REQUEST(err.message))
  }
  // A coded error a handler threw on purpose with a 4xx status is a client error with a safe message.
  if (isCodedError(err) && typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return { statusCode: err.statusCode, code: err.code, message: err.message }
  }
  return undefined
}

/**
 * The gateway's HTTP server: fastify on one port, serving whatever routes plugins registered, with
 * auth, lockout, limits, uniform errors and security headers decided here once, per route.
 */
export class HttpServer {
  readonly #app: FastifyInstance
  readonly #options: HttpServerOptions
  readonly #mounted: MountedRoute[] = []
  readonly #upgrades = new Map<string, OwnedUpgrade & { available: boolean }>()
  readonly #upgraded = new Set<Duplex>()
  #guardCredentials: ReadonlyMap<string, GuardCredentials> = new Map()
  #phase: Phase = STARTING
  #closing: Promise<void> | undefined

  constructor(options: HttpServerOptions) {
    this.#options = options
    this.#app = fastify({
      serverFactory: (handler) =>
        createServer(
          // Slow or silent clients (slowloris) do not hold a connection for Node's default minutes.
          {
            headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs),
            requestTimeout: options.requestTimeoutMs,
            // How often Node looks for clients past those limits (its default: every 30 s).
            connectionsCheckingInterval: Math.min(5_000, options.headersTimeoutMs),
          },
          (req: IncomingMessage, res: ServerResponse) => {
            // Every response, whatever answers it (a route, 404, 405, 413, an error, fastify itself).
            res.setHeader('X-Content-Type-Options', 'nosniff')
            res.setHeader('Referrer-Policy', 'no-referrer')
            handler(req, res)
          },
        ),
      clientErrorHandler: answerClientError,
      // A URL fastify cannot decode (`/%zz`): the server's 400, not fastify's own body.
      frameworkErrors: (_err, _request, reply) => sendError(reply, undefined, serverError(new HTTP_ERR_BAD_URL())),
      logger: false,
      bodyLimit: options.maxBodyBytes,
      exposeHeadRoutes: false,
      return503OnClosing: false,
    })
    // JSON bodies: fastify's parser (prototype-poisoning checks), after a nesting limit: JSON.parse
    // takes any depth, but what handles the value later (schemas, JSON.stringify) recurses and would
    // fail with a stack overflow far from the request. JSON sent as text/plain (clients that cannot set
    // a content type) is read as JSON too; fastify would hand routes a string.
    // Bodies are read as bytes so a route with `rawBody: true` gets them as received (signature checks).
    const parseJson = this.#app.getDefaultJsonParser('error', 'error')
    this.#app.decorateRequest('rawBody', undefined)
    this.#app.removeContentTypeParser(['application/json', 'text/plain'])
    this.#app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (request, body, done) => {
      const bytes = body as Buffer // parseAs: 'buffer'
      if (bodyOptions(request).rawBody) (request as { rawBody?: Buffer }).rawBody = bytes
      const text = bytes.toString('utf8')
      if (jsonNestedDeeperThan(text, MAX_JSON_DEPTH)) return done(new HTTP_ERR_BAD_REQUEST(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), undefined)
      parseJson(request, text, done)
    })
    // Form bodies only for routes that ask (`form: true`); the others answer 415 as for any other type.
    this.#app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body, done) => {
      const options = bodyOptions(request)
      if (!options.form) return done(new HTTP_ERR_UNSUPPORTED_MEDIA_TYPE(), undefined)
      const bytes = body as Buffer // parseAs: 'buffer'
      if (options.rawBody) (request as { rawBody?: Buffer }).rawBody = bytes
      done(null, parseForm(bytes.toString('utf8')))
    })
    // Before any route (and the 404): a browser page of an origin not listed, or a rebound DNS name.
    this.#app.addHook('onRequest', (request, reply, done) => {
      const refused = options.originPolicy.refuse(request.headers)
      if (refused === undefined) return done()
      reply.header('connection', 'close')
      sendError(reply, undefined, serverError(refused))
    })
    this.#app.setNotFoundHandler((_request, reply) => sendError(reply, undefined, serverError(new HTTP_ERR_NOT_FOUND())))
    this.#app.setErrorHandler((err: FastifyError, request, reply) => this.#onError(err, request, reply, undefined))
    this.#guardCredentials = new Map([...options.guards.keys()].map((name) => [name, guardCredentials(options.createLimiter(name))]))
    this.#mountRoutes(options.routes)
    for (const upgrade of options.upgrades) this.#upgrades.set(upgrade.definition.path, { ...upgrade, available: true })
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#onUpgrade(req, socket, head))
  }

  get server(): Server {
    return this.#app.server
  }

  /** Listen; a port in use is a coded error naming it. Resolves with the bound address. */
  async listen(host: string, port: number): Promise<AddressInfo> {
    try {
      await this.#app.listen({ host, port })
    } catch (err) {
      const code = (err as { code?: string }).code
      if (code === 'EADDRINUSE') throw new HTTP_ERR_PORT_IN_USE(port, host, { cause: err })
      throw new HTTP_ERR_LISTEN_FAILED(host, port, code ?? (err instanceof Error ? err.message : String(err)), { cause: err })
    }
    return this.server.address() as AddressInfo
  }

  /** Answer one request in process through the same routes, gates and error handling (fastify's inject). */
  async inject(request: HttpInjectRequest): Promise<HttpInjectResponse> {
    const response = await this.#app.inject({
      method: request.method,
      url: request.url,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.payload !== undefined ? { payload: request.payload } : {}),
    })
    return { statusCode: response.statusCode, headers: response.headers, body: response.body, json: <T,>() => JSON.parse(response.body) as T }
  }

  /** The gateway has started: serve every route, except those of plugins that failed. */
  markStarted(failedPlugins: ReadonlySet<string>): void {
    if (this.#phase === DRAINING) return
    for (const route of this.#mounted) route.available = !failedPlugins.has(route.owner) && !(route.guardOwner !== undefined && failedPlugins.has(route.guardOwner))
    for (const upgrade of this.#upgrades.values()) upgrade.available = !failedPlugins.has(upgrade.owner)
    this.#phase = STARTED
  }

  /** The gateway is stopping: new requests get 503 (probes still answer). */
  markDraining(): void {
    this.#phase = DRAINING
  }

  /**
   * Stop accepting connections, let in-flight requests finish within `timeoutMs`, then close what
   * is left. Upgraded sockets (WebSockets) belong to plugins that have stopped by now; any still
   * open are closed at once. Safe to call twice.
   */
  close(timeoutMs: number): Promise<void> {
    this.#closing ??= this.#close(timeoutMs)
    return this.#closing
  }

  async #close(timeoutMs: number): Promise<void> {
    this.#phase = DRAINING
    for (const socket of this.#upgraded) socket.destroy()
    this.#upgraded.clear()
    const closed = this.#app.close()
    // Keep-alive connections whose request finishes after close() began turn idle, and the server
    // does not reap them by itself: sweep them until it has closed.
    const sweep = setInterval(() => this.server.closeIdleConnections(), IDLE_SWEEP_MS)
    let timer: NodeJS.Timeout | undefined
    const timedOut = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs)
      }),
    ])
    clearTimeout(timer)
    clearInterval(sweep)
    if (timedOut) {
      this.#options.log.warn({ timeoutMs }, 'in-flight HTTP requests did not finish in time; closing their connections')
      this.server.closeAllConnections()
      await closed
    }
  }

  #mountRoutes(routes: readonly OwnedRoute[]): void {
    const byPath = new Map<string, OwnedRoute[]>()
    for (const route of routes) {
      const list = byPath.get(route.definition.path)
      if (list) list.push(route)
      else byPath.set(route.definition.path, [route])
    }
    for (const [path, list] of byPath) {
      const methods = new Set<HttpMethod>()
      for (const route of list) for (const m of [route.definition.method].flat()) methods.add(m)
      // HEAD follows GET unless a plugin serves HEAD itself.
      const autoHead = methods.has('GET') && !methods.has('HEAD')
      if (autoHead) methods.add('HEAD')
      for (const route of list) {
        const own = [route.definition.method].flat()
        const routeMethods = autoHead && own.includes('GET') ? [...own, 'HEAD' as const] : own
        this.#mount(path, routeMethods, route)
      }
      const others = ALL_METHODS.filter((m) => !methods.has(m))
      if (others.length > 0) this.#mountMethodNotAllowed(path, others, [...methods], list)
    }
  }

  #mount(path: string, methods: readonly HttpMethod[], route: OwnedRoute): void {
    const { definition, owner } = route
    const mounted: MountedRoute = { owner, definition, guardOwner: this.#options.guards.get(definition.auth)?.owner, available: true }
    this.#mounted.push(mounted)
    const handler = definition.handler
    const gate = owner === this.#options.selfId ? undefined : this.#gate(mounted, definition.auth)
    const config: BodyOptions = { rawBody: definition.rawBody === true, form: definition.form === true }
    this.#app.route({
      method: methods as HTTPMethods[],
      url: path,
      config,
      bodyLimit: definition.bodyLimit ?? this.#options.maxBodyBytes,
      ...(gate ? { onRequest: gate } : {}),
      errorHandler: (err, request, reply) => this.#onError(err, request, reply, mounted),
      handler: (request, reply) => {
        const result: unknown = handler(request as RouteRequest, reply as unknown as RouteReply)
        // A synchronous handler that returns the reply has already answered.
        return result === reply ? undefined : result
      },
    })
  }

  /** A path's other methods: 405 with `Allow`, behind the same auth when the path's routes agree on it. */
  #mountMethodNotAllowed(path: string, methods: readonly HttpMethod[], allowed: readonly HttpMethod[], routes: readonly OwnedRoute[]): void {
    const first = routes[0]!
    const sameAuth = routes.every((r) => r.definition.auth === first.definition.auth)
    const mounted: MountedRoute = {
      owner: first.owner,
      definition: first.definition.formatError ? first.definition : undefined,
      guardOwner: sameAuth ? this.#options.guards.get(first.definition.auth)?.owner : undefined,
      available: true,
    }
    this.#mounted.push(mounted)
    const gate = first.owner === this.#options.selfId ? undefined : this.#gate(mounted, sameAuth ? first.definition.auth : 'none')
    const allow = allowed.join(', ')
    this.#app.route({
      method: methods as HTTPMethods[],
      url: path,
      ...(gate ? { onRequest: gate } : {}),
      errorHandler: (err, request, reply) => this.#onError(err, request, reply, mounted),
      handler: (request, reply) => {
        reply.header('allow', allow)
        sendError(reply, mounted.definition, serverError(new HTTP_ERR_METHOD_NOT_ALLOWED(request.method, allow)))
      },
    })
  }

  /**
   * The `onRequest` check for one route, chosen once: not serving yet (or any more) → 503; then
   * its auth. Runs before the body is read, so unauthenticated bodies are never parsed.
   */
  #gate(route: MountedRoute, auth: HttpRouteDefinition['auth']): Gate {
    const { gatewaySecret, gatewayLimiter } = this.#options
    const definition = route.definition
    const unavailable = (reply: FastifyReply): void => {
      const err = this.#phase === STARTING ? new HTTP_ERR_NOT_READY() : this.#phase === DRAINING ? new HTTP_ERR_DRAINING() : new HTTP_ERR_PLUGIN_UNAVAILABLE()
      reply.header('retry-after', '1')
      if (this.#phase === DRAINING) reply.header('connection', 'close')
      sendError(reply, definition, serverError(err))
    }
    /** Let the request through, or answer what `checkCredential` (or a plugin's guard) decided. */
    const admit = (verdict: AuthVerdict | HttpGuardVerdict, reply: FastifyReply, done: () => void): void => {
      if (verdict.ok) return done()
      if (verdict.reason === 'refused') {
        const { code, message, statusCode } = verdict.error // often an Error: its message is not enumerable
        const refuse = (): void => sendError(reply, definition, { statusCode: statusCode ?? 400, code, message })
        // A refusal counted as a failed authentication is answered as late as one (`delayMs`).
        return void (verdict.delayMs ? setTimeout(refuse, verdict.delayMs) : refuse())
      }
      if (verdict.reason === 'locked') {
        reply.header('retry-after', String(Math.ceil(verdict.retryAfterMs / 1000)))
        return sendError(reply, definition, serverError(new HTTP_ERR_RATE_LIMITED()))
      }
      const error = serverError(new HTTP_ERR_UNAUTHORIZED())
      if (verdict.reason === 'missing' || verdict.delayMs === 0) return sendError(reply, definition, error)
      // Slow guessing down without holding the event loop.
      setTimeout(() => sendError(reply, definition, error), verdict.delayMs)
    }

    if (auth === 'none' || (auth === 'gateway' && gatewaySecret === undefined)) {
      return (_request, reply, done) => {
        if (this.#phase !== STARTED || !route.available) return unavailable(reply)
        done()
      }
    }
    if (auth === 'gateway') {
      const matches = gatewaySecret!
      return (request, reply, done) => {
        if (this.#phase !== STARTED || !route.available) return unavailable(reply)
        admit(checkCredential(gatewayLimiter, matches, request.ip, parseBearer(request.headers.authorization)), reply, done)
      }
    }
    // A guard a plugin registered (the core checked the name when the route was registered).
    const guard = this.#options.guards.get(auth)
    const credentials = this.#guardCredentials.get(auth)
    if (guard === undefined || credentials === undefined) {
      // Its plugin was rolled back since: fail closed.
      return (_request, reply) => unavailable(reply)
    }
    return (request, reply, done) => {
      if (this.#phase !== STARTED || !route.available) return unavailable(reply)
      const client = request.ip
      let verdict: HttpGuardVerdict
      try {
        verdict = guard.check(
          { method: request.method, url: request.url, headers: request.headers, ip: client, bearer: parseBearer(request.headers.authorization) },
          { check: (secret, presented) => credentials.check(secret, presented, client), matches: credentials.matches, fail: () => credentials.fail(client) },
        )
      } catch (err) {
        this.#options.log.error({ owner: guard.owner, guard: guard.name, err }, `HTTP guard '${guard.name}' of plugin '${guard.owner}' failed`)
        return sendError(reply, definition, serverError(new HTTP_ERR_INTERNAL()))
      }
      admit(verdict, reply, done)
    }
  }

  #onError(err: FastifyError, request: FastifyRequest, reply: FastifyReply, route: MountedRoute | undefined): void {
    const known = classify(err)
    if (known) {
      if (known.statusCode === 413 || known.statusCode === 400) reply.header('connection', 'close')
      return sendError(reply, route?.definition, known)
    }
    this.#options.log.error(
      { owner: route?.owner, method: request.method, path: pathOf(request.url), err },
      `HTTP handler of plugin '${route?.owner ?? 'unknown'}' failed`,
    )
    sendError(reply, route?.definition, serverError(new HTTP_ERR_INTERNAL()))
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy())
    // Browsers may open a WebSocket to any origin: the origin and host checks are the only gate before auth.
    if (this.#options.originPolicy.refuse(req.headers) !== undefined) return rejectUpgrade(socket, 403, 'Forbidden')
    const upgrade = this.#upgrades.get(pathOf(req.url))
    if (upgrade === undefined) return rejectUpgrade(socket, 404, 'Not Found')
    if (this.#phase !== STARTED || !upgrade.available) return rejectUpgrade(socket, 503, 'Service Unavailable')
    this.#upgraded.add(socket)
    socket.once('close', () => this.#upgraded.delete(socket))
    try {
      upgrade.definition.handler(req, socket, head)
    } catch (err) {
      this.#options.log.error({ owner: upgrade.owner, path: upgrade.definition.path, err }, `upgrade handler of plugin '${upgrade.owner}' failed`)
      rejectUpgrade(socket, 500, 'Internal Server Error')
    }
  }
}

/** Answer an upgrade request with a bare status and close the socket. */
function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n` +
      'X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n\r\n',
  )
  socket.once('finish', () => socket.destroy())
}
