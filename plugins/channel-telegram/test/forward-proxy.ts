// Test support: a tiny HTTP forward proxy on 127.0.0.1 (absolute-URI requests, as a proxy agent sends
// them for plain http targets), optionally asking for Basic credentials. It records what it forwarded.
import { createServer, request, type IncomingHttpHeaders } from 'node:http'

export interface ForwardProxy {
  /** `http://127.0.0.1:<port>` (no credentials). */
  readonly url: string
  /** `METHOD absolute-url` of every request it forwarded. */
  readonly forwarded: string[]
  /** Requests refused with 407 (no or wrong credentials). */
  readonly refused: number
  close(): Promise<void>
}

const HOP_BY_HOP = new Set(['proxy-authorization', 'proxy-connection', 'connection', 'keep-alive'])

export async function startForwardProxy(options: { readonly credentials?: string } = {}): Promise<ForwardProxy> {
  const forwarded: string[] = []
  let refused = 0
  const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : undefined
  const server = createServer((req, res) => {
    if (expected !== undefined && req.headers['proxy-authorization'] !== expected) {
      refused++
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end()
      return
    }
    forwarded.push(`${req.method} ${req.url}`)
    const headers: IncomingHttpHeaders = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)))
    const upstream = request(req.url!, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    res.on('close', () => upstream.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    get refused() {
      return refused
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
