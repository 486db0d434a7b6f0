import type { RouteReply } from '@openclaw/plugin-sdk'
import { clientDisconnectSignal } from './client-disconnect-signal.js'

/** A comment line every this often keeps proxies and clients from timing out a quiet stream. */
const HEARTBEAT_MS = 15_000

/**
 * A Server-Sent Events response: takes the reply over (`hijack`), sends the headers at once, then
 * writes events until `end()`. `signal` aborts when the client disconnects.
 */
export class SseResponse {
  readonly signal: AbortSignal
  readonly #reply: RouteReply
  readonly #headers: Readonly<Record<string, string>>
  #heartbeat: NodeJS.Timeout | undefined
  #corked = false
  readonly #uncork = () => {
    this.#corked = false
    // `end()` uncorks fully, and the connection may serve the next request by now: leave it alone.
    const res = this.#reply.raw
    if (!res.writableEnded) res.uncork()
  }

  /** `headers` are sent besides the SSE ones. */
  constructor(reply: RouteReply, headers: Readonly<Record<string, string>> = {}) {
    this.#reply = reply
    this.#headers = headers
    this.signal = clientDisconnectSignal(reply.raw)
  }

  /**
   * Status 200 and the SSE headers. They leave with the first event, which callers write at once,
   * so clients see the stream start before the model answers.
   */
  open(): void {
    const res = this.#reply.raw
    // Before `hijack()`: a header Node refuses throws here with nothing sent, and the route's error
    // handling still answers; after it, nobody would, and the client would wait forever.
    res.writeHead(200, {
      ...this.#headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    this.#reply.hijack()
    res.socket?.setNoDelay(true)
    this.#heartbeat = setInterval(() => this.#write(': keep-alive\n\n'), HEARTBEAT_MS)
    this.#heartbeat.unref()
  }

  /** `data: <json>` */
  data(payload: unknown): void {
    this.#write(`data: ${JSON.stringify(payload)}\n\n`)
  }

  /** `data: <json>`, for JSON the caller already encoded. */
  json(json: string): void {
    this.#write(`data: ${json}\n\n`)
  }

  /** `event: <type>` + `data: <json>` */
  event(type: string, payload: unknown): void {
    this.#write(`event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`)
  }

  /** `data: [DONE]`, then end the response. */
  done(): void {
    this.#write('data: [DONE]\n\n')
    this.end()
  }

  end(): void {
    clearInterval(this.#heartbeat)
    const res = this.#reply.raw
    if (!res.writableEnded) res.end()
  }

  get closed(): boolean {
    return this.signal.aborted || this.#reply.raw.writableEnded
  }

  /**
   * Events written in one tick (the deltas of one network read of the model's stream) leave together,
   * with one system call, when the tick's promise jobs are done: no later than they would one by one.
   */
  #write(text: string): void {
    const res = this.#reply.raw
    if (res.writableEnded || res.destroyed) return
    if (!this.#corked) {
      this.#corked = true
      res.cork()
      process.nextTick(this.#uncork)
    }
    res.write(text)
  }
}
