import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'

/**
 * Who may call a route, by guard name: `gateway` needs the gateway token or password, `none` is open
 * (health probes); any other name is a guard a plugin registered with `api.http.guard()` (http:hooks
 * registers `hooks`). A name no plugin registered is a coded error when the route is registered.
 */
export type RouteAuth = 'gateway' | 'none' | (string & {})

/** What a guard sees of a request: its head only, since guards run before the body is read. */
export interface HttpGuardRequest {
  readonly method: string
  /** Path and query, as sent. */
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly ip: string
  /** The token of an `Authorization: Bearer <token>` header, if there is one. */
  readonly bearer: string | undefined
}

/** What the server offers a guard to check a credential with. */
export interface HttpGuardCredentials {
  /**
   * Compare `presented` with `secret` in constant time, counting wrong ones against this guard's own
   * per-client lockout (`gateway.authRateLimit`). A missing `secret` matches nothing.
   */
  check(secret: string | undefined, presented: string | undefined): AuthVerdict
  /** Constant-time compare, not counted. */
  matches(secret: string | undefined, presented: string): boolean
  /**
   * Count a failed authentication for this client that no secret was compared for (a credential
   * where none belongs, such as the query string); returns how long to wait before answering.
   */
  fail(): number
}

/** A guard's decision: a credential verdict, or a refusal with the coded error the client gets. */
export type HttpGuardVerdict =
  | AuthVerdict
  | {
      readonly ok: false
      readonly reason: 'refused'
      readonly error: { readonly statusCode?: number | undefined; readonly code: string; readonly message: string }
      /** Answer this much later (a refusal counted with `credentials.fail()`). */
      readonly delayMs?: number
    }

/** Decide whether a request may reach a route, before its body is read. Synchronous. */
export type HttpGuardCheck = (request: HttpGuardRequest, credentials: HttpGuardCredentials) => HttpGuardVerdict

/** A guard as `api.http.guard(name, check)` registers it. */
export interface HttpGuardDefinition {
  readonly name: string
  readonly check: HttpGuardCheck
}

/** The request a route handler receives. The gateway's HTTP server passes fastify's request, which fits. */
export interface RouteRequest {
  readonly id: string
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: unknown
  /** The body's bytes as received, for routes that set `rawBody: true` (signature checks); else undefined. */
  readonly rawBody?: Buffer | undefined
  readonly params: unknown
  readonly query: unknown
  readonly ip: string
  readonly raw: IncomingMessage
}

/** The reply a route handler writes to. */
export interface RouteReply {
  code(statusCode: number): RouteReply
  header(name: string, value: unknown): RouteReply
  send(payload?: unknown): RouteReply
  /** Take over `raw` (for streaming); the server then leaves the response alone. */
  hijack(): RouteReply
  readonly raw: ServerResponse
}

export interface HttpRouteDefinition {
  readonly method: HttpMethod | readonly HttpMethod[]
  /** Path with `:param` segments, e.g. `/v1/models/:id`. */
  readonly path: string
  readonly auth: RouteAuth
  /** Largest accepted body in bytes; larger bodies get 413. Default: `gateway.http.maxBodyBytes`. */
  readonly bodyLimit?: number
  /** Hand the handler the body's raw bytes as `request.rawBody`, next to the parsed `body`. */
  readonly rawBody?: boolean
  /**
   * Also accept `application/x-www-form-urlencoded` bodies, parsed into an object of strings (a
   * repeated key gives an array). Other routes answer such a body with 415.
   */
  readonly form?: boolean
  /**
   * The body this route's clients expect for errors the server raises on its behalf (bad JSON, 401,
   * 413, 429, 500): e.g. OpenAI's `{ error: { message, type, code } }`. Default `{ ok: false, error: { type, message } }`.
   */
  formatError?(error: { readonly statusCode: number; readonly code: string; readonly message: string }): unknown
  handler(request: RouteRequest, reply: RouteReply): unknown
}

/**
 * A protocol upgrade (WebSocket) on a path of the gateway port. The handler owns the socket from
 * then on, including authentication of whatever protocol it speaks.
 */
export interface HttpUpgradeDefinition {
  readonly path: string
  handler(request: IncomingMessage, socket: Duplex, head: Buffer): void
}

/** Where the gateway's HTTP server listens, exposed by the server plugin as `Tokens.HttpServer`. */
export interface HttpServerInfo {
  readonly host: string
  readonly port: number
  /** `http://host:port`. */
  readonly url: string
  /**
   * Answer one request in process, without a socket (fastify's `inject`): the same routes, auth,
   * limits and error bodies as over the port. For tests; only once the gateway has started.
   */
  inject(request: HttpInjectRequest): Promise<HttpInjectResponse>
}

/** A request for {@link HttpServerInfo.inject}. */
export interface HttpInjectRequest {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'
  /** Path and query, e.g. `/tools/invoke`. */
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  /** An object is sent as JSON (with `content-type: application/json` unless a header says otherwise). */
  readonly payload?: string | object
}

/** The answer to an injected request. */
export interface HttpInjectResponse {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>
  readonly body: string
  /** The body parsed as JSON. */
  json<T = unknown>(): T
}

/**
 * The gateway credential, exposed by the HTTP server plugin as `Tokens.GatewayAuth`, so every surface
 * (HTTP, RPC, webhooks) checks the same secret the same way.
 */
export interface GatewayAuth {
  readonly mode: 'token' | 'password' | 'none'
  /** Constant-time check of a presented credential. Always false in `none` mode (there is none). */
  matches(presented: string): boolean
  /** Where `value` is used as a gateway credential (a config key, an env var, the token file), if it is. */
  credentialSource(value: string): string | undefined
  /**
   * Check a credential a client (by IP) presents on any surface, counting wrong ones against one
   * per-client lockout (`gateway.authRateLimit`) shared with the HTTP routes: guesses over WebSocket
   * and HTTP add up. `missing`: nothing presented (not counted); `mismatch`: answer it only after
   * `delayMs`; `locked`: the client must wait `retryAfterMs` (the right credential is accepted even then).
   */
  verify(client: string, presented: string | undefined): AuthVerdict
}

/** What {@link GatewayAuth.verify} decided. */
export type AuthVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'missing' }
  | { readonly ok: false; readonly reason: 'mismatch'; readonly delayMs: number }
  | { readonly ok: false; readonly reason: 'locked'; readonly retryAfterMs: number }
