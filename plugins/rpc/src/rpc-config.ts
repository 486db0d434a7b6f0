import { z } from 'zod'
import { timerMs } from '@openclaw/plugin-sdk/config'

export const DEFAULT_MAX_PAYLOAD = 1024 * 1024
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024

/** `gateway.rpc` in the config file: limits of the WebSocket RPC endpoint. */
export const RpcConfigSchema = z.strictObject({
  /** Largest frame a client may send, in bytes; a larger one closes the connection with 1009. */
  maxPayload: z.number().int().min(1024).default(DEFAULT_MAX_PAYLOAD),
  /** Bytes queued for one client before it is cut off as a slow consumer (close 1008). */
  maxBufferedBytes: z.number().int().min(1024).default(DEFAULT_MAX_BUFFERED_BYTES),
  /** Interval of `tick` events and of ping/pong liveness checks. */
  tickIntervalMs: timerMs().min(10).default(15_000),
  /** Time a client has to complete `connect` after the socket opens. */
  handshakeTimeoutMs: timerMs().min(10).default(5_000),
  /** Open WebSockets per client IP; one more is refused with HTTP 429 before the upgrade. */
  maxConnectionsPerIp: z.number().int().positive().default(32),
  /** Longest a method handler may take before the client gets `TIMEOUT` (the `agent` final answer is not bound by it). */
  methodTimeoutMs: timerMs().positive().default(60_000),
})

export type RpcConfig = z.output<typeof RpcConfigSchema>
export type RpcConfigInput = z.input<typeof RpcConfigSchema>
