import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'

/**
 * Who may call a route: `gateway` needs the gateway token or password, `hooks` the separate hooks
 * token (header only), `none` is open (health probes).
 */
export type RouteAuth = 'gateway' | 'hooks' | 'none'

/** The request a route handler receives. The gateway's HTTP server passes fastify's request, which fits. */
export interface RouteRequest {
  readonly id: string
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: unknown
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
  handler(request: RouteRequest, reply: RouteReply): unknown
}
