import { createError } from '@openclaw/plugin-sdk'

// Every code the RPC plugin (`rpc`) throws or answers with. Each key equals its code; docs/rpc.md lists
// them with the protocol error code (`INVALID_REQUEST`, `UNAVAILABLE`, …) a client sees. Messages never
// carry a token or password. Retired codes are never reused; list them here when one goes:
// (none retired yet)

// ── frames and handshake ─────────────────────────────────────────────────────────────────────────
/** A frame that is not JSON, not an object, or not a known frame type. */
export const RPC_ERR_INVALID_FRAME = createError<'RPC_ERR_INVALID_FRAME', [reason: string]>(
  'RPC_ERR_INVALID_FRAME', 'Invalid frame: %s', 400)
/** The first frame was something else than `req connect`, or `connect` came twice. */
export const RPC_ERR_HANDSHAKE_REQUIRED = createError<'RPC_ERR_HANDSHAKE_REQUIRED', [got: string]>(
  'RPC_ERR_HANDSHAKE_REQUIRED', "The first frame must be a 'connect' request; got %s", 400)
/** A second `connect` on a connection that already completed its handshake. */
export const RPC_ERR_ALREADY_CONNECTED = createError<'RPC_ERR_ALREADY_CONNECTED'>(
  'RPC_ERR_ALREADY_CONNECTED', 'This connection has already completed its handshake', 400)
/** `minProtocol`…`maxProtocol` does not include the protocol this server speaks. */
export const RPC_ERR_PROTOCOL_MISMATCH = createError<'RPC_ERR_PROTOCOL_MISMATCH', [min: number, max: number, server: number]>(
  'RPC_ERR_PROTOCOL_MISMATCH', 'protocol mismatch: the client speaks %d..%d, the server speaks %d', 400)
/** No credential in `auth` although `gateway.auth.mode` needs one. */
export const RPC_ERR_AUTH_MISSING = createError<'RPC_ERR_AUTH_MISSING', [field: string]>(
  'RPC_ERR_AUTH_MISSING', 'unauthorized: connect.params.auth.%s is required', 401)
/** The credential does not match the gateway token or password. */
export const RPC_ERR_AUTH_MISMATCH = createError<'RPC_ERR_AUTH_MISMATCH', [field: string]>(
  'RPC_ERR_AUTH_MISMATCH', 'unauthorized: gateway %s mismatch', 401)
/** Too many failed authentications from this address. */
export const RPC_ERR_AUTH_RATE_LIMITED = createError<'RPC_ERR_AUTH_RATE_LIMITED'>(
  'RPC_ERR_AUTH_RATE_LIMITED', 'unauthorized: too many failed authentication attempts (retry later)', 429)

// ── requests ─────────────────────────────────────────────────────────────────────────────────────
/** No RPC method of that name is registered. */
export const RPC_ERR_METHOD_UNKNOWN = createError<'RPC_ERR_METHOD_UNKNOWN', [method: string]>(
  'RPC_ERR_METHOD_UNKNOWN', 'unknown method: %s', 404)
/** The params failed the method's schema; the message names the field. */
export const RPC_ERR_INVALID_PARAMS = createError<'RPC_ERR_INVALID_PARAMS', [method: string, details: string]>(
  'RPC_ERR_INVALID_PARAMS', "invalid params for '%s': %s", 400)
/** The handler did not answer within `gateway.rpc.methodTimeoutMs`. */
export const RPC_ERR_METHOD_TIMEOUT = createError<'RPC_ERR_METHOD_TIMEOUT', [method: string, timeoutMs: number]>(
  'RPC_ERR_METHOD_TIMEOUT', "method '%s' did not answer within %d ms", 504)
/** A handler failed in a way no coded error describes; the log has the cause. */
export const RPC_ERR_INTERNAL = createError<'RPC_ERR_INTERNAL'>('RPC_ERR_INTERNAL', 'internal error', 500)

// ── methods ──────────────────────────────────────────────────────────────────────────────────────
/** `agent.wait` for a run id this gateway does not know (`chat.abort` answers `aborted: false` instead). */
export const RPC_ERR_RUN_UNKNOWN = createError<'RPC_ERR_RUN_UNKNOWN', [runId: string]>(
  'RPC_ERR_RUN_UNKNOWN', "run '%s' is not known", 404)
/** `chat.abort` with a run id of another session. */
export const RPC_ERR_RUN_SESSION_MISMATCH = createError<'RPC_ERR_RUN_SESSION_MISMATCH', [runId: string, sessionKey: string]>(
  'RPC_ERR_RUN_SESSION_MISMATCH', "run '%s' does not belong to session '%s'", 400)
/** `sessions.reset` / `sessions.delete` of a session that does not exist. */
export const RPC_ERR_SESSION_NOT_FOUND = createError<'RPC_ERR_SESSION_NOT_FOUND', [sessionKey: string]>(
  'RPC_ERR_SESSION_NOT_FOUND', "session '%s' does not exist", 404)
/** `send` without `channel` while several channels (or none) are installed; or a channel that cannot send. */
export const RPC_ERR_CHANNEL_INVALID = createError<'RPC_ERR_CHANNEL_INVALID', [reason: string]>(
  'RPC_ERR_CHANNEL_INVALID', 'invalid channel: %s', 400)
/** `deliver: true` with nowhere to deliver (no channel/to and no last route), without `bestEffortDeliver`. */
export const RPC_ERR_DELIVERY_TARGET = createError<'RPC_ERR_DELIVERY_TARGET', [sessionKey: string]>(
  'RPC_ERR_DELIVERY_TARGET', "deliver is true but session '%s' has no delivery target: pass channel and to, or bestEffortDeliver", 400)
/** `send` with neither text nor media. */
export const RPC_ERR_MESSAGE_EMPTY = createError<'RPC_ERR_MESSAGE_EMPTY'>(
  'RPC_ERR_MESSAGE_EMPTY', 'message or mediaUrl is required', 400)
/** The outbox gave up on a `send` (the channel failed for good). */
export const RPC_ERR_SEND_FAILED = createError<'RPC_ERR_SEND_FAILED', [channel: string, reason: string]>(
  'RPC_ERR_SEND_FAILED', "sending through channel '%s' failed: %s", 502)
/** `tools.invoke` without `tool` or `name`. */
export const RPC_ERR_TOOL_NAME_MISSING = createError<'RPC_ERR_TOOL_NAME_MISSING'>(
  'RPC_ERR_TOOL_NAME_MISSING', "invalid params for 'tools.invoke': 'tool' (or 'name') is required", 400)
/** `message.action` with an action this gateway does not carry out (only `send`). */
export const RPC_ERR_ACTION_UNSUPPORTED = createError<'RPC_ERR_ACTION_UNSUPPORTED', [action: string, supported: string]>(
  'RPC_ERR_ACTION_UNSUPPORTED', "message.action '%s' is not supported by this gateway (supported: %s)", 400)
/** `message.action` whose `params` the action cannot use: a field missing, mistyped, or one this gateway cannot honour. */
export const RPC_ERR_ACTION_PARAMS = createError<'RPC_ERR_ACTION_PARAMS', [action: string, field: string, reason: string]>(
  'RPC_ERR_ACTION_PARAMS', "invalid params for message.action '%s': %s: %s", 400)
