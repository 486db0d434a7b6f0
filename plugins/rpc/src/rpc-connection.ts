import type { WebSocket } from 'ws'
import { FrameEncoder, type RequestId } from './frame-encoder.js'
import type { RpcError } from './to-rpc-error.js'

/** WebSocket close codes this server uses. */
export const CLOSE_POLICY = 1008
export const CLOSE_GOING_AWAY = 1001

/** How long a connection cut off as a slow consumer gets to take its close frame before the socket is destroyed. */
const SLOW_CONSUMER_GRACE_MS = 1000

export interface ConnectedClient {
  readonly id: string
  readonly version: string
  readonly mode: string
  readonly platform?: string
}

/** `ws.send` options for a Buffer that is UTF-8 text (a text frame, not binary). */
const TEXT_FRAME = Object.freeze({ binary: false })

const eventHeads = new Map<string, string>()

function eventHead(event: string): string {
  let head = eventHeads.get(event)
  if (head === undefined) {
    head = FrameEncoder.eventHead(event)
    if (eventHeads.size < 1024) eventHeads.set(event, head)
  }
  return head
}

/**
 * One client's WebSocket: its handshake state, its event sequence, and the only path to its socket.
 * Every send checks the socket's buffered bytes first; a client that does not read is cut off
 * (close 1008 "slow consumer") instead of being queued for without bound.
 */
export class RpcConnection {
  /** Set once the handshake succeeded. */
  client: ConnectedClient | undefined = undefined
  /** The client declared the `tool-events` capability. */
  toolEvents = false
  /** Cleared at each liveness check; a pong or any frame sets it again. */
  alive = true
  handshakeTimer: NodeJS.Timeout | undefined = undefined
  /** Why the server closed the connection, when it did. */
  closeReason: string | undefined = undefined
  #seq = 0
  #open = true
  #abort: AbortController | undefined = undefined

  constructor(
    readonly id: string,
    readonly ws: WebSocket,
    readonly ip: string,
    private readonly maxBufferedBytes: number,
    private readonly onSlowConsumer: (connection: RpcConnection) => void,
  ) {}

  get open(): boolean {
    return this.#open
  }

  /** Aborted when the connection closes; created on first use, so idle connections carry none. */
  get signal(): AbortSignal {
    this.#abort ??= new AbortController()
    if (!this.#open && !this.#abort.signal.aborted) this.#abort.abort()
    return this.#abort.signal
  }

  /** Send a ready frame. False when the connection is closed, or was just cut off as a slow consumer. */
  send(frame: string): boolean {
    if (!this.#open) return false
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.#cutOff()
      return false
    }
    // As a Buffer: ws then writes header and payload as two buffers in one writev, which is much
    // cheaper than a writev with a string in it (node's slow path, encoding per write).
    this.ws.send(Buffer.from(frame), TEXT_FRAME)
    return true
  }

  sendOk(id: RequestId, payloadJson: string): boolean {
    return this.send(FrameEncoder.ok(id, payloadJson))
  }

  sendError(id: RequestId | null, error: RpcError): boolean {
    return this.send(FrameEncoder.error(id, error))
  }

  /** Send an event whose payload is already JSON, with this connection's next `seq`. */
  sendEvent(event: string, payloadJson: string): boolean {
    if (!this.#open) return false
    return this.send(FrameEncoder.event(eventHead(event), payloadJson, ++this.#seq))
  }

  /** Close with a code and reason (≤ 123 bytes); nothing more is sent. */
  close(code: number, reason: string): void {
    if (!this.#open) return
    this.closeReason = reason
    this.markClosed()
    this.ws.close(code, reason)
  }

  /** The socket closed (either side): stop sending, abort what listens to {@link signal}. */
  markClosed(): void {
    this.#open = false
    if (this.handshakeTimer !== undefined) {
      clearTimeout(this.handshakeTimer)
      this.handshakeTimer = undefined
    }
    this.#abort?.abort()
  }

  #cutOff(): void {
    this.close(CLOSE_POLICY, 'slow consumer')
    // The client is not reading, so it will not answer the close frame either: do not hold its buffers for ws's 30 s.
    setTimeout(() => this.ws.terminate(), SLOW_CONSUMER_GRACE_MS).unref()
    this.onSlowConsumer(this)
  }
}
