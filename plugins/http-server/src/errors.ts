import { createError } from '@openclaw/plugin-sdk'

// Every code the HTTP server plugin (`core:http`) throws or answers with. Each key equals its code.
// Messages never carry a token or password. Retired codes are never reused; list them here when one goes:
// HTTP_ERR_QUERY_TOKEN (Plugin API 2: the hooks guard moved to http:hooks, which answers HOOKS_ERR_QUERY_TOKEN)

// ── start-up ─────────────────────────────────────────────────────────────────────────────────────
/** A non-loopback bind with `gateway.auth.mode: none` would expose the gateway to the network unauthenticated. */
export const HTTP_ERR_AUTH_REQUIRED = createError<'HTTP_ERR_AUTH_REQUIRED', [bind: string]>(
  'HTTP_ERR_AUTH_REQUIRED',
  "Refusing to bind the gateway to '%s' without auth: gateway.auth.mode is 'none'. Set gateway.auth.mode to 'token' (or 'password') or bind to loopback (gateway.bind: 'loopback')")
/** `gateway.auth.mode: password` with no password in the config or the environment. */
export const HTTP_ERR_PASSWORD_MISSING = createError<'HTTP_ERR_PASSWORD_MISSING'>(
  'HTTP_ERR_PASSWORD_MISSING',
  "gateway.auth.mode is 'password' but no password is set: set gateway.auth.password or the OPENCLAW_GATEWAY_PASSWORD environment variable")
/** The generated token file could not be read or written. */
export const HTTP_ERR_TOKEN_FILE = createError<'HTTP_ERR_TOKEN_FILE', [path: string, reason: string]>(
  'HTTP_ERR_TOKEN_FILE',
  "Cannot use the gateway token file '%s': %s. Fix its permissions, or set gateway.auth.token / OPENCLAW_GATEWAY_TOKEN")
/** Another process already listens on the configured port. */
export const HTTP_ERR_PORT_IN_USE = createError<'HTTP_ERR_PORT_IN_USE', [port: number, host: string]>(
  'HTTP_ERR_PORT_IN_USE',
  'Port %d on %s is already in use: stop the other process (another gateway?) or set gateway.port')
/** Listening failed for another reason (permission, unknown host…). */
export const HTTP_ERR_LISTEN_FAILED = createError<'HTTP_ERR_LISTEN_FAILED', [host: string, port: number, reason: string]>(
  'HTTP_ERR_LISTEN_FAILED', 'Cannot listen on %s:%d: %s')

// ── answers the server gives on a route's behalf ─────────────────────────────────────────────────
export const HTTP_ERR_NOT_FOUND = createError<'HTTP_ERR_NOT_FOUND'>('HTTP_ERR_NOT_FOUND', 'Not Found', 404)
export const HTTP_ERR_METHOD_NOT_ALLOWED = createError<'HTTP_ERR_METHOD_NOT_ALLOWED', [method: string, allowed: string]>(
  'HTTP_ERR_METHOD_NOT_ALLOWED', 'Method %s is not allowed here; allowed: %s', 405)
export const HTTP_ERR_UNAUTHORIZED = createError<'HTTP_ERR_UNAUTHORIZED'>('HTTP_ERR_UNAUTHORIZED', 'Unauthorized', 401)
export const HTTP_ERR_ORIGIN_NOT_ALLOWED = createError<'HTTP_ERR_ORIGIN_NOT_ALLOWED'>(
  'HTTP_ERR_ORIGIN_NOT_ALLOWED', 'Requests from this browser origin are not allowed: list it in gateway.controlUi.allowedOrigins', 403)
export const HTTP_ERR_HOST_NOT_ALLOWED = createError<'HTTP_ERR_HOST_NOT_ALLOWED'>(
  'HTTP_ERR_HOST_NOT_ALLOWED', 'This Host is not allowed on a loopback-bound gateway: list it in gateway.allowedHosts', 403)
export const HTTP_ERR_RATE_LIMITED = createError<'HTTP_ERR_RATE_LIMITED'>(
  'HTTP_ERR_RATE_LIMITED', 'Too many failed authentication attempts. Please try again later.', 429)
export const HTTP_ERR_BODY_TOO_LARGE = createError<'HTTP_ERR_BODY_TOO_LARGE'>('HTTP_ERR_BODY_TOO_LARGE', 'Payload too large', 413)
export const HTTP_ERR_INVALID_JSON = createError<'HTTP_ERR_INVALID_JSON'>('HTTP_ERR_INVALID_JSON', 'Request body is not valid JSON', 400)
export const HTTP_ERR_BAD_REQUEST = createError<'HTTP_ERR_BAD_REQUEST', [reason: string]>('HTTP_ERR_BAD_REQUEST', 'Bad request: %s', 400)
export const HTTP_ERR_BAD_URL = createError<'HTTP_ERR_BAD_URL'>('HTTP_ERR_BAD_URL', 'The URL is not valid (bad percent-encoding?)', 400)
export const HTTP_ERR_MALFORMED_REQUEST = createError<'HTTP_ERR_MALFORMED_REQUEST'>('HTTP_ERR_MALFORMED_REQUEST', 'The request is not valid HTTP', 400)
export const HTTP_ERR_HEADERS_TOO_LARGE = createError<'HTTP_ERR_HEADERS_TOO_LARGE'>('HTTP_ERR_HEADERS_TOO_LARGE', 'The request headers are too large', 431)
export const HTTP_ERR_REQUEST_TIMEOUT = createError<'HTTP_ERR_REQUEST_TIMEOUT'>(
  'HTTP_ERR_REQUEST_TIMEOUT', 'The request did not arrive in time', 408)
export const HTTP_ERR_UNSUPPORTED_MEDIA_TYPE = createError<'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE'>(
  'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type: send the body as application/json', 415)
export const HTTP_ERR_NOT_READY = createError<'HTTP_ERR_NOT_READY'>(
  'HTTP_ERR_NOT_READY', 'The gateway is starting; retry shortly', 503)
export const HTTP_ERR_DRAINING = createError<'HTTP_ERR_DRAINING'>('HTTP_ERR_DRAINING', 'The gateway is shutting down', 503)
export const HTTP_ERR_PLUGIN_UNAVAILABLE = createError<'HTTP_ERR_PLUGIN_UNAVAILABLE'>(
  'HTTP_ERR_PLUGIN_UNAVAILABLE', 'The plugin serving this route is not running', 503)
export const HTTP_ERR_INTERNAL = createError<'HTTP_ERR_INTERNAL'>('HTTP_ERR_INTERNAL', 'Internal error', 500)
