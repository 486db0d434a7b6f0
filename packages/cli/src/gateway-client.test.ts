import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import { GatewayClient, type GatewayEvent } from './gateway-client.js'
import { GatewayRpcError } from './gateway-rpc-error.js'

// A scripted protocol v4 server on 127.0.0.1:0: the handshake as the rpc plugin does it, then
// `onRequest` answers each request. The real gateway is exercised in gateway-commands.e2e.test.ts.

/* eslint-disable @typescript-eslint/no-explicit-any -- frames are JSON of many shapes */
type Frame = Record<string, any>

interface FakeGatewayOptions {
  readonly token?: string
  readonly tickIntervalMs?: number
  readonly onRequest?: (frame: Frame, socket: WebSocket) => void
}

interface FakeGateway {
  readonly url: string
  /** Every frame the server received, in order. */
  readonly received: Frame[]
  close(): Promise<void>
}

const servers: { close(): Promise<void> }[] = []
const clients: GatewayClient[] = []

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const send = (socket: WebSocket, frame: object) => socket.send(JSON.stringify(frame))

async function startFakeGateway(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const received: Frame[] = []
  wss.on('connection', (socket) => {
    send(socket, { type: 'event', event: 'connect.challenge', payload: { nonce: 'n', ts: Date.now() }, seq: 1 })
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame
      received.push(frame)
      if (frame.method !== 'connect') return options.onRequest?.(frame, socket)
      if (options.token !== undefined && frame.params.auth?.token !== options.token) {
        send(socket, { type: 'res', id: frame.id, ok: false, error: { code: 'INVALID_REQUEST', message: 'unauthorized: gateway token mismatch', details: { code: 'AUTH_TOKEN_MISMATCH' } } })
        socket.close(1008, 'unauthorized')
        return
      }
      const hello = { type: 'hello-ok', protocol: 4, server: { version: '9.9.9', connId: 'c1' }, features: { methods: [], events: [] }, policy: { tickIntervalMs: options.tickIntervalMs ?? 15_000 } }
      send(socket, { type: 'res', id: frame.id, ok: true, payload: hello })
    })
  })
  const gateway: FakeGateway = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of wss.clients) socket.terminate()
        wss.close(() => resolve())
      }),
  }
  servers.push(gateway)
  return gateway
}

async function connect(url: string, token?: string): Promise<GatewayClient> {
  const client = await GatewayClient.connect({ url, clientVersion: '1.2.3', connectTimeoutMs: 2000, ...(token !== undefined ? { credential: { kind: 'token', value: token, source: '--token' } } : {}) })
  clients.push(client)
  return client
}

describe('GatewayClient', () => {
  it('should answer the challenge with a protocol 4 cli connect carrying the token', async () => {
    const gateway = await startFakeGateway({ token: 'secret' })
    const client = await connect(gateway.url, 'secret')
    expect(client.hello.server.version).toBe('9.9.9')
    expect(gateway.received[0]).toMatchObject({
      type: 'req',
      method: 'connect',
      params: { minProtocol: 4, maxProtocol: 4, client: { id: 'cli', version: '1.2.3', platform: process.platform, mode: 'cli' }, auth: { token: 'secret' } },
    })
  })

  it('should resolve an agent call with the second answer, passing the ack and the run\'s events to callbacks', async () => {
    const gateway = await startFakeGateway({
      onRequest(frame, socket) {
        const runId = frame.params.idempotencyKey
        send(socket, { type: 'res', id: frame.id, ok: true, payload: { runId, sessionKey: 'agent:main:main', status: 'accepted' } })
        send(socket, { type: 'event', event: 'agent', payload: { runId: 'someone-else', stream: 'assistant', data: { delta: 'no' } } })
        send(socket, { type: 'event', event: 'agent', payload: { runId, stream: 'assistant', data: { delta: 'Hi' } } })
        send(socket, { type: 'event', event: 'tick', payload: { ts: 1 } })
        send(socket, { type: 'res', id: frame.id, ok: true, payload: { runId, status: 'ok', result: { payloads: [{ text: 'Hi' }] } } })
      },
    })
    const client = await connect(gateway.url)
    const acks: unknown[] = []
    const events: GatewayEvent[] = []
    const final = await client.call<{ status: string }>('agent', { message: 'hello' }, { onAck: (ack) => acks.push(ack), onEvent: (event) => events.push(event) })

    expect(final).toMatchObject({ status: 'ok', result: { payloads: [{ text: 'Hi' }] } })
    expect(acks).toEqual([expect.objectContaining({ status: 'accepted' })])
    expect(events.map((e) => (e.payload as Frame).data.delta)).toEqual(['Hi'])
    // a generated idempotency key, a UUID
    expect(gateway.received[1]!.params).toEqual({ message: 'hello', idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) })
  })

  it('should keep an idempotency key it was given, and add none to methods that take none', async () => {
    const gateway = await startFakeGateway({ onRequest: (frame, socket) => send(socket, { type: 'res', id: frame.id, ok: true, payload: { ok: true } }) })
    const client = await connect(gateway.url)
    await client.call('send', { to: 'x', message: 'hi', idempotencyKey: 'mine' })
    await client.call('health')
    expect(gateway.received[1]!.params).toEqual({ to: 'x', message: 'hi', idempotencyKey: 'mine' })
    expect(gateway.received[2]).toEqual({ type: 'req', id: expect.any(String), method: 'health' })
  })

  it('should reject an error answer with a GatewayRpcError carrying the protocol and gateway codes', async () => {
    const gateway = await startFakeGateway({
      onRequest: (frame, socket) => send(socket, { type: 'res', id: frame.id, ok: false, error: { code: 'INVALID_REQUEST', message: 'unknown method: nope', details: { code: 'RPC_ERR_METHOD_UNKNOWN', method: 'nope' } } }),
    })
    const client = await connect(gateway.url)
    const err = await client.call('nope').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GatewayRpcError)
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', gatewayCode: 'RPC_ERR_METHOD_UNKNOWN', method: 'nope', message: 'unknown method: nope (RPC_ERR_METHOD_UNKNOWN)' })
  })

  it('should give up on a call after timeoutMs, and send a cancel frame', async () => {
    const gateway = await startFakeGateway()
    const client = await connect(gateway.url)
    await expect(client.call('slow', {}, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'CLI_ERR_GATEWAY_TIMEOUT', message: `The gateway at '${gateway.url}' did not answer 'slow' within 50 ms` })
    await expect.poll(() => gateway.received.at(-1)).toMatchObject({ type: 'cancel' })
  })

  it('should fail pending calls with CLI_ERR_GATEWAY_CLOSED when the gateway goes away', async () => {
    const gateway = await startFakeGateway({
      onRequest(_frame, socket) {
        send(socket, { type: 'event', event: 'shutdown', payload: { reason: 'gateway stopping' } })
        socket.close(1001, 'gateway stopping')
      },
    })
    const client = await connect(gateway.url)
    await expect(client.call('status', {}, { timeoutMs: 0 })).rejects.toMatchObject({ code: 'CLI_ERR_GATEWAY_CLOSED', message: expect.stringContaining('the gateway is stopping: gateway stopping') })
    await expect(client.call('status')).rejects.toMatchObject({ code: 'CLI_ERR_GATEWAY_CLOSED' })
  })

  it('should fail with CLI_ERR_GATEWAY_TIMEOUT when nothing arrives for two tick intervals', async () => {
    const gateway = await startFakeGateway({ tickIntervalMs: 30 })
    const client = await connect(gateway.url)
    await expect(client.call('agent', { message: 'hi' }, { timeoutMs: 0 })).rejects.toMatchObject({ code: 'CLI_ERR_GATEWAY_TIMEOUT', message: expect.stringContaining('a tick (heartbeat)') })
  })

  it('should report a refused token as CLI_ERR_GATEWAY_AUTH, naming where the token came from', async () => {
    const gateway = await startFakeGateway({ token: 'secret' })
    await expect(connect(gateway.url, 'wrong')).rejects.toMatchObject({
      code: 'CLI_ERR_GATEWAY_AUTH',
      message: expect.stringMatching(/refused the connection \(unauthorized: gateway token mismatch\): the token came from --token/),
    })
  })

  it('should report a closed port as CLI_ERR_GATEWAY_UNREACHABLE', async () => {
    const probe = createNetServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()))
    const port = (probe.address() as AddressInfo).port
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    await expect(connect(`ws://127.0.0.1:${port}`)).rejects.toMatchObject({ code: 'CLI_ERR_GATEWAY_UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') })
  })

  it('should report an HTTP server that does not upgrade as CLI_ERR_GATEWAY_HANDSHAKE', async () => {
    const http: HttpServer = createHttpServer((_req, res) => res.writeHead(404).end())
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()))
    servers.push({ close: () => new Promise<void>((resolve) => http.close(() => resolve())) })
    await expect(connect(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`)).rejects.toMatchObject({ code: 'CLI_ERR_GATEWAY_HANDSHAKE', message: expect.stringContaining('HTTP 404') })
  })

  it('should time out a server that never sends connect.challenge', async () => {
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => silent.once('listening', () => resolve()))
    servers.push({ close: () => new Promise<void>((resolve) => silent.close(() => resolve())) })
    const url = `ws://127.0.0.1:${(silent.address() as AddressInfo).port}`
    await expect(GatewayClient.connect({ url, clientVersion: '1', connectTimeoutMs: 100 })).rejects.toMatchObject({ code: 'CLI_ERR_GATEWAY_TIMEOUT', message: expect.stringContaining('the handshake') })
    for (const socket of silent.clients) socket.terminate()
  })
})
