// The gateway protocol (v4) on the wire: frame shapes, error shape, handshake answer and constants.
// The one definition both ends import: this plugin (the server) and @openclaw/cli (the client).

/** The protocol version this server speaks (a client sends `minProtocol`…`maxProtocol`). */
export const PROTOCOL_VERSION = 4

/** Events the server sends. */
export const SERVER_EVENTS = ['connect.challenge', 'tick', 'agent', 'chat', 'shutdown'] as const
export type ServerEvent = (typeof SERVER_EVENTS)[number]
/**
 * OpenClaw's `features.capabilities` this server honours: `published-model-catalog` is what
 * `openclaw models list` requires before it calls `models.list`.
 */
export const SERVER_CAPABILITIES = ['published-model-catalog'] as const

/** A request id: a non-empty string of at most 256 characters, or a number. */
export type RequestId = string | number

/**
 * OpenClaw's canonical error codes, the only ones on the wire. What a client should do is in
 * `details.code` (the gateway's own coded error, `RPC_ERR_…` / `CORE_ERR_…`, or an auth code such as
 * `AUTH_TOKEN_MISMATCH`), `retryable` and `retryAfterMs`.
 */
export const RPC_ERROR_CODES = [
  'NOT_LINKED',
  'NOT_PAIRED',
  'AGENT_TIMEOUT',
  'AGENT_RESULT_NOT_FOUND',
  'INVALID_REQUEST',
  'FORBIDDEN',
  'APPROVAL_NOT_FOUND',
  'UNAVAILABLE',
] as const
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number]

/** The `error` of a failed `res` frame. `details.code` carries the gateway's own coded error (`RPC_ERR_…`, `CORE_ERR_…`) or an auth code. */
export interface RpcError {
  readonly code: RpcErrorCode
  readonly message: string
  readonly details?: Readonly<Record<string, unknown>>
  readonly retryable?: boolean
  readonly retryAfterMs?: number
}

/** `{ type: 'req' }`: a client calls a method. */
export interface RequestFrame {
  readonly type: 'req'
  readonly id: RequestId
  readonly method: string
  readonly params?: unknown
}

/** `{ type: 'res' }`: the answer to one request (some methods answer twice: an ack, then the final one). */
export type ResponseFrame =
  | { readonly type: 'res'; readonly id: RequestId | null; readonly ok: true; readonly payload: unknown }
  | { readonly type: 'res'; readonly id: RequestId | null; readonly ok: false; readonly error: RpcError }

/** `{ type: 'event' }`: something the server tells every (or one) client; `seq` orders a run's events. */
export interface EventFrame {
  readonly type: 'event'
  readonly event: string
  readonly payload?: unknown
  readonly seq?: number
}

export type Frame = RequestFrame | ResponseFrame | EventFrame

/** The `hello-ok` payload of a successful handshake. */
export interface HelloOk {
  readonly type: 'hello-ok'
  readonly protocol: number
  readonly server: { readonly version: string; readonly connId: string }
  readonly features: { readonly methods: readonly string[]; readonly events: readonly string[]; readonly capabilities?: readonly string[] }
  readonly policy: { readonly maxPayload?: number; readonly maxBufferedBytes?: number; readonly tickIntervalMs?: number }
  readonly [key: string]: unknown
}

/** True for a frame's `error` that has the protocol's error shape (a code and a message). */
export function isRpcError(value: unknown): value is RpcError {
  return typeof value === 'object' && value !== null && typeof (value as RpcError).code === 'string' && typeof (value as RpcError).message === 'string'
}
