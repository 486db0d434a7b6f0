import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { HttpBodyTooLargeError, httpRequest } from './http-request.js'

let server: Server | undefined
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler)
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`)))
}

describe('httpRequest', () => {
  it('posts a body and streams the answer', async () => {
    const url = await serve((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain', 'x-echo-length': req.headers['content-length'] })
        res.write('a:')
        setTimeout(() => res.end(body), 10)
      })
    })
    const response = await httpRequest(`${url}/x`, { method: 'POST', body: 'héllo', headers: { 'content-type': 'text/plain' } })
    expect(response).toMatchObject({ status: 200, ok: true })
    expect(response.headers.get('x-echo-length')).toBe('6')
    const chunks: string[] = []
    for await (const chunk of response.body) chunks.push(Buffer.from(chunk).toString())
    expect(chunks.join('')).toBe('a:héllo')
  })

  it('reads an error answer as text with its headers', async () => {
    const url = await serve((_req, res) => res.writeHead(429, 'Too Many', { 'retry-after': '2' }).end('{"error":"slow"}'))
    const response = await httpRequest(url)
    expect(response).toMatchObject({ status: 429, ok: false, statusText: 'Too Many' })
    expect(response.headers.get('retry-after')).toBe('2')
    expect(await response.text()).toBe('{"error":"slow"}')
  })

  it('rejects with the network error when nothing listens', async () => {
    await expect(httpRequest('http://127.0.0.1:1/')).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('rejects with the abort reason, before and during the body, and closes the connection', async () => {
    let closed = false
    const url = await serve((req, res) => {
      res.writeHead(200)
      res.write('partial')
      req.socket.on('close', () => (closed = true))
    })
    const reason = new Error('stop')
    const controller = new AbortController()
    const response = await httpRequest(url, { signal: controller.signal })
    const reading = (async () => {
      for await (const _ of response.body) controller.abort(reason)
    })()
    await expect(reading).rejects.toBe(reason)
    await new Promise((r) => setTimeout(r, 20))
    expect(closed).toBe(true)
    const early = new AbortController()
    early.abort(reason)
    await expect(httpRequest(url, { signal: early.signal })).rejects.toBe(reason)
  })

  it('keeps the connection when the reader stops before the end of the body', async () => {
    const sockets = new Set<unknown>()
    const url = await serve((req, res) => {
      sockets.add(req.socket)
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: [DONE]\n\n')
      setTimeout(() => res.end(), 5)
    })
    for (let i = 0; i < 3; i++) {
      const response = await httpRequest(url, { method: 'POST', body: '{}' })
      for await (const _ of response.body) break
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(sockets.size).toBe(1)
  })

  it('does nothing when aborted after the whole body arrived and the reader stopped early', async () => {
    // An SSE answer with an error event and the end in one packet: the reader stops at the error, the
    // body is already complete and its connection back in the pool when the caller aborts.
    const sockets = new Set<unknown>()
    const url = await serve((req, res) => {
      sockets.add(req.socket)
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end('data: {"a":1}\n\ndata: {"error":{"message":"overloaded"}}\n\n')
    })
    const uncaught: unknown[] = []
    const onUncaught = (err: unknown) => uncaught.push(err)
    process.on('uncaughtException', onUncaught)
    try {
      for (let i = 0; i < 3; i++) {
        const controller = new AbortController()
        const response = await httpRequest(url, { method: 'POST', body: '{}', signal: controller.signal })
        for await (const _ of response.body) break
        controller.abort()
        await new Promise((r) => setTimeout(r, 20))
      }
    } finally {
      process.off('uncaughtException', onUncaught)
    }
    expect(uncaught).toEqual([])
    expect(sockets.size).toBe(1)
  })

  it('closes an abandoned body that does not end', async () => {
    let closed = false
    const url = await serve((req, res) => {
      res.writeHead(200)
      const tick = setInterval(() => res.write('x'.repeat(32 * 1024)), 1)
      req.socket.on('close', () => {
        clearInterval(tick)
        closed = true
      })
    })
    const response = await httpRequest(url)
    for await (const _ of response.body) break
    await new Promise((r) => setTimeout(r, 200))
    expect(closed).toBe(true)
  })

  it('reads a body as text across chunks that split a character, calling onChunk for each', async () => {
    const bytes = Buffer.from('prix: 10 €, ünïcödé')
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write(bytes.subarray(0, 11)) // cuts the euro sign in two
      setTimeout(() => res.end(bytes.subarray(11)), 10)
    })
    let chunks = 0
    const response = await httpRequest(url)
    expect(await response.text({ onChunk: () => chunks++ })).toBe('prix: 10 €, ünïcödé')
    expect(chunks).toBe(2)
    expect(response.header('Content-Type')).toBe('application/json')
  })

  it('rejects a body over maxBytes with HttpBodyTooLargeError and closes the connection', async () => {
    let closed = false
    const url = await serve((req, res) => {
      res.writeHead(200)
      res.write('x'.repeat(2048))
      req.socket.on('close', () => (closed = true))
    })
    const response = await httpRequest(url)
    await expect(response.text({ maxBytes: 1024 })).rejects.toBeInstanceOf(HttpBodyTooLargeError)
    await new Promise((r) => setTimeout(r, 20))
    expect(closed).toBe(true)
  })

  it('rejects text() with the abort reason when aborted mid-body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200)
      res.write('partial')
    })
    const controller = new AbortController()
    const response = await httpRequest(url, { signal: controller.signal })
    const reading = response.text()
    const reason = new Error('stop')
    setTimeout(() => controller.abort(reason), 10)
    await expect(reading).rejects.toBe(reason)
  })
})
