import type { HttpRouteDefinition } from '@openclaw/plugin-sdk'

/** An error the server answers on a route's behalf. */
export interface ServerError {
  readonly statusCode: number
  readonly code: string
  readonly message: string
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
  500: 'internal_error',
  503: 'unavailable',
}

/** The `type` of the default error body for a status: `invalid_request`, `unauthorized`, `not_found`… */
export function errorType(statusCode: number): string {
  return ERROR_TYPES[statusCode] ?? (statusCode >= 500 ? 'internal_error' : 'invalid_request')
}

/**
 * The body for an error on `route`: the route's own `formatError` when it has one (OpenAI routes
 * answer `{ error: { message, type } }`), else `{ ok: false, error: { type, message } }`.
 */
export function errorBody(route: HttpRouteDefinition | undefined, error: ServerError): unknown {
  if (route?.formatError) {
    try {
      return route.formatError(error)
    } catch {
      // A broken formatter must not turn an error answer into a crash; use the default shape.
    }
  }
  return { ok: false, error: { type: errorType(error.statusCode), message: error.message } }
}
