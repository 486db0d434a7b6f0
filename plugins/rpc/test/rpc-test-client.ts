// Test support, not exported: a protocol v4 client over the `ws` package, recording every frame.
import { WebSocket, type ClientOptions } from 'ws'

/* eslint-disable @typescript-eslint/no-explicit-any -- frames are JSON of many shapes; tests read them loosely */
export interface Frame {
  readonly type: string
  readonly id?: string | number | null
  readonly ok?: boolean
  readonly payload?: any
  readonly error?: { code: string; message: string; details?: any; retryable?: boolean; retryAfterMs?: number }
  readonly event?: string
  readonly seq?: number
  readonly [key: string]: unknown
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface CloseInfo {
  readonly code: number
  readonly reason: string
}

interface Waiter {
  readonly match: (frame: Frame) => boolean
  readonly resolve: (frame: Frame) => void
}

const DEFAULT_WAIT_MS = 5000

/** Connect params a test client sends, with `overrides` merged at the top level. */
export function connectParams(token: string | undefined, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    minProtocol: 4,
    maxProtocol: 4,
    client: { id: 'test', version: '1.0.0', platform: 'node', mode: 'test' },
    ...(token !== undefined ? { auth: { token } } : {}),
    ...overrides,
  }
}

export class RpcTestClient {
  readonly frames: Frame[] = []
  /** Frames that were not JSON (should never happen). */
  readonly garbage: string[] = []
  readonly closed: Promise<CloseInfo>
  #waiters: Waiter[] = []
  #nextId = 0

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      let frame: Frame
      try {
        frame = JSON.parse(data.toString()) as Frame
      } catch {
        this.garbage.push(data.toString())
        return
      }
      this.frames.push(frame)
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(frame)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
          waiter.resolve(frame)
        }
      }
    })
    ws.on('error', () => undefined)
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  }

  /** Open a socket (no handshake yet); rejects with the HTTP status when the upgrade is refused. */
  static open(url: string, options: ClientOptions = {}): Promise<RpcTestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options)
      const client = new RpcTestClient(ws)
      ws.once('open', () => resolve(client))
      ws.once('unexpected-response', (_req, res) => {
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode }))
        ws.terminate()
      })
      ws.once('error', reject)
    })
  }

  /** Open a socket and complete the handshake; rejects when the server refuses it. */
  static async connect(url: string, token: string | undefined, overrides: Record<string, unknown> = {}, options: ClientOptions = {}): Promise<{ client: RpcTestClient; hello: Frame['payload'] }> {
    const client = await RpcTestClient.open(url, options)
    await client.waitFor((f) => f.type === 'event' && f.event === 'connect.challenge')
    const res = await client.request('connect', connectParams(token, overrides))
    if (!res.ok) throw Object.assign(new Error(`connect refused: ${res.error?.code}`), { res })
    return { client, hello: res.payload }
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  /** Send a `req` and resolve with the first `res` for its id. */
  request(method: string, params?: unknown, id: string = `r${++this.#nextId}`): Promise<Frame> {
    const answer = this.waitFor((f) => f.type === 'res' && f.id === id)
    this.send({ type: 'req', id, method, ...(params !== undefined ? { params } : {}) })
    return answer
  }

  /** The next frame matching, including one already received and not yet taken by another wait. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<Frame> {
    const seen = this.frames.find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter)
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${this.frames.length} frames: ${JSON.stringify(this.frames.slice(-5))}`))
      }, timeoutMs)
      const waiter: Waiter = {
        match,
        resolve: (frame) => {
          clearTimeout(timer)
          resolve(frame)
        },
      }
      this.#waiters.push(waiter)
    })
  }

  events(name: string): Frame[] {
    return this.frames.filter((f) => f.type === 'event' && f.event === name)
  }

  close(): Promise<CloseInfo> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close()
    return this.closed
  }
}
