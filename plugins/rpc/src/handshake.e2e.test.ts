import { definePlugin } from '@openclaw/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { connectParams, RpcTestClient, type Frame } from '../test/rpc-test-client.js'
import { startRpcGateway, TEST_TOKEN, type RpcTestGateway } from '../test/start-rpc-gateway.js'

let gw: RpcTestGateway

beforeAll(async () => {
  gw = await startRpcGateway({ rpc: { handshakeTimeoutMs: 300 } })
})
afterAll(async () => {
  await gw.close()
})

/** Open a socket, wait for the challenge, send `frame` as the first frame. */
async function firstFrame(frame: object | string): Promise<{ client: RpcTestClient; res: Promise<Frame> }> {
  const client = await RpcTestClient.open(gw.wsUrl)
  await client.waitFor((f) => f.event === 'connect.challenge')
  const res = client.waitFor((f) => f.type === 'res')
  client.send(frame)
  return { client, res }
}

describe('rpc handshake', () => {
  it('should send connect.challenge first, then answer connect with hello-ok', async () => {
    const client = await RpcTestClient.open(gw.wsUrl)
    const challenge = await client.waitFor((f) => f.type === 'event')
    expect(challenge).toMatchObject({ event: 'connect.challenge', payload: { nonce: expect.any(String), ts: expect.any(Number) }, seq: 1 })
    const res = await client.request('connect', connectParams(TEST_TOKEN, { caps: ['tool-events'] }), 'c1')
    expect(res).toMatchObject({ type: 'res', id: 'c1', ok: true })
    expect(res.payload).toMatchObject({
      type: 'hello-ok',
      protocol: 4,
      server: { version: expect.any(String), connId: expect.any(String) },
      features: { events: expect.arrayContaining(['agent', 'chat', 'tick']) },
      policy: { maxPayload: 1024 * 1024, maxBufferedBytes: 4 * 1024 * 1024, tickIntervalMs: 15_000 },
      auth: { role: 'operator', scopes: expect.arrayContaining(['operator.admin']) },
      snapshot: { presence: [], uptimeMs: expect.any(Number) },
    })
    expect(res.payload.features.methods).toEqual(
      expect.arrayContaining(['health', 'status', 'agent', 'agent.wait', 'send', 'wake', 'chat.send', 'chat.history', 'chat.abort', 'sessions.list', 'sessions.reset', 'sessions.delete', 'tools.invoke']),
    )
    await client.close()
  })

  it('should also accept connections on /ws', async () => {
    const { client, hello } = await RpcTestClient.connect(`${gw.wsUrl}ws`, TEST_TOKEN)
    expect(hello.type).toBe('hello-ok')
    await client.close()
  })

  it('should answer a wrong token with INVALID_REQUEST and details.code AUTH_TOKEN_MISMATCH, then close 1008', async () => {
    expect.assertions(3)
    const { client, res } = await firstFrame({ type: 'req', id: 'c1', method: 'connect', params: connectParams('wrong-token') })
    expect(await res).toMatchObject({ id: 'c1', ok: false, error: { code: 'INVALID_REQUEST', message: 'unauthorized: gateway token mismatch', details: { code: 'AUTH_TOKEN_MISMATCH', authReason: 'token_mismatch', recommendedNextStep: 'update_auth_credentials' } } })
    const closed = await client.closed
    expect(closed.code).toBe(1008)
    expect(closed.reason).toBe('unauthorized')
  })

  it('should answer a connect without a token with INVALID_REQUEST and details.code AUTH_TOKEN_MISSING, then close 1008', async () => {
    const { client, res } = await firstFrame({ type: 'req', id: 'c1', method: 'connect', params: connectParams(undefined) })
    expect(await res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', details: { code: 'AUTH_TOKEN_MISSING' } } })
    expect((await client.closed).code).toBe(1008)
  })

  it('should refuse a first frame that is not connect, then close 1008', async () => {
    const { client, res } = await firstFrame({ type: 'req', id: 'h1', method: 'health', params: {} })
    expect(await res).toMatchObject({ id: 'h1', ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining("'connect'") } })
    expect(await client.closed).toEqual({ code: 1008, reason: 'connect required' })
  })

  it('should refuse a first frame that is not JSON, then close 1008', async () => {
    const { client, res } = await firstFrame('hello?')
    expect(await res).toMatchObject({ id: null, ok: false, error: { code: 'INVALID_REQUEST' } })
    expect((await client.closed).code).toBe(1008)
  })

  it('should refuse a client with no common protocol version, then close 1008', async () => {
    const { client, res } = await firstFrame({ type: 'req', id: 'c1', method: 'connect', params: connectParams(TEST_TOKEN, { minProtocol: 2, maxProtocol: 3 }) })
    expect(await res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('protocol mismatch'), details: { expectedProtocol: 4 } } })
    expect(await client.closed).toEqual({ code: 1008, reason: 'protocol mismatch' })
  })

  it('should refuse connect params with an unknown field, naming it', async () => {
    const { client, res } = await firstFrame({ type: 'req', id: 'c1', method: 'connect', params: connectParams(TEST_TOKEN, { flavour: 'vanilla' }) })
    expect(await res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining("unknown field 'flavour'") } })
    expect((await client.closed).code).toBe(1008)
  })

  it('should close 1008 when no handshake arrives within handshakeTimeoutMs', async () => {
    const client = await RpcTestClient.open(gw.wsUrl)
    expect(await client.closed).toEqual({ code: 1008, reason: 'handshake timeout' })
  })

  it('should refuse a second connect on a connected socket and keep the connection', async () => {
    const client = await gw.connect()
    const res = await client.request('connect', connectParams(TEST_TOKEN))
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    expect((await client.request('health')).ok).toBe(true)
    await client.close()
  })
})

describe('rpc handshake with password auth and a failure limit', () => {
  let pw: RpcTestGateway
  beforeAll(async () => {
    pw = await startRpcGateway({ gateway: { auth: { mode: 'password', password: 'sesame-sesame' }, authRateLimit: { maxFailures: 2, lockoutMs: 60_000 } } })
  })
  afterAll(async () => {
    await pw.close()
  })

  it('should accept the password and refuse the token field in password mode', async () => {
    const { client } = await RpcTestClient.connect(pw.wsUrl, undefined, { auth: { password: 'sesame-sesame' } })
    expect((await client.request('health')).ok).toBe(true)
    await client.close()
    await expect(RpcTestClient.connect(pw.wsUrl, 'sesame-sesame')).rejects.toMatchObject({ res: { error: { code: 'INVALID_REQUEST', details: { code: 'AUTH_PASSWORD_MISSING' } } } })
  })

  it('should lock an address out after repeated wrong passwords, with INVALID_REQUEST, retryable, retryAfterMs and AUTH_RATE_LIMITED (OpenClaw lockout answer), but still let the right password in', async () => {
    const wrong = { auth: { password: 'nope' } }
    await expect(RpcTestClient.connect(pw.wsUrl, undefined, wrong)).rejects.toMatchObject({ res: { error: { code: 'INVALID_REQUEST', details: { code: 'AUTH_PASSWORD_MISMATCH' } } } })
    await expect(RpcTestClient.connect(pw.wsUrl, undefined, wrong)).rejects.toMatchObject({ res: { error: { code: 'INVALID_REQUEST', details: { code: 'AUTH_PASSWORD_MISMATCH' } } } })
    await expect(RpcTestClient.connect(pw.wsUrl, undefined, wrong)).rejects.toMatchObject({
      res: { error: { code: 'INVALID_REQUEST', retryable: true, retryAfterMs: expect.any(Number), details: { code: 'AUTH_RATE_LIMITED' } } },
    })
    const { client } = await RpcTestClient.connect(pw.wsUrl, undefined, { auth: { password: 'sesame-sesame' } })
    expect((await client.request('health')).ok).toBe(true)
    await client.close()
  })
})

describe('rpc handshake and HTTP routes share one lockout', () => {
  const privateRoute = definePlugin({
    id: 'test:private',
    version: '1.0.0',
    dependsOn: ['core:http'],
    register: (api) => api.http.route({ method: 'GET', path: '/private', auth: 'gateway', handler: () => ({ ok: true }) }),
  })
  const start = () => startRpcGateway({ plugins: [privateRoute], gateway: { authRateLimit: { maxFailures: 3, lockoutMs: 60_000, failureDelayMs: 150 } } })
  const httpStatus = (url: string, token: string) => fetch(`${url}/private`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)
  const httpUrl = (g: RpcTestGateway) => g.wsUrl.replace(/^ws/, 'http').replace(/\/$/, '')

  it('should count wrong WebSocket connects and wrong HTTP tokens together, answering each failure later', async () => {
    const g = await start()
    try {
      const started = Date.now()
      await expect(RpcTestClient.connect(g.wsUrl, 'wrong-1')).rejects.toMatchObject({ res: { error: { code: 'INVALID_REQUEST', details: { code: 'AUTH_TOKEN_MISMATCH' } } } })
      expect(Date.now() - started).toBeGreaterThanOrEqual(140)
      expect(await httpStatus(httpUrl(g), 'wrong-2')).toBe(401)
      await expect(RpcTestClient.connect(g.wsUrl, 'wrong-3')).rejects.toMatchObject({ res: { error: { code: 'INVALID_REQUEST', details: { code: 'AUTH_TOKEN_MISMATCH' } } } })
      // Locked out on both surfaces now, for wrong tokens; the right one is still served.
      expect(await httpStatus(httpUrl(g), 'wrong-4')).toBe(429)
      await expect(RpcTestClient.connect(g.wsUrl, 'wrong-5')).rejects.toMatchObject({ res: { error: { code: 'INVALID_REQUEST', details: { code: 'AUTH_RATE_LIMITED' } } } })
      expect(await httpStatus(httpUrl(g), TEST_TOKEN)).toBe(200)
      const { client } = await RpcTestClient.connect(g.wsUrl, TEST_TOKEN)
      await client.close()
    } finally {
      await g.close()
    }
  })
})

describe('rpc upgrade origin and host', () => {
  /** The HTTP status the upgrade got: 101 when the WebSocket opened. */
  const upgrade = (url: string, options: { origin?: string; headers?: Record<string, string> }) =>
    new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(url, options)
      ws.on('open', () => {
        ws.terminate()
        resolve(101)
      })
      ws.on('unexpected-response', (_req, res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      ws.on('error', reject)
    })

  it('should refuse a browser origin that is not listed, and a rebound Host, before any credential is checked', async () => {
    const g = await startRpcGateway({ gateway: { controlUi: { allowedOrigins: ['http://localhost:5173'] } } })
    try {
      expect(await upgrade(g.wsUrl, { origin: 'https://evil.example' })).toBe(403)
      expect(await upgrade(g.wsUrl, { headers: { host: 'evil.example' } })).toBe(403)
      expect(await upgrade(g.wsUrl, { origin: 'http://localhost:5173' })).toBe(101)
      expect(await upgrade(g.wsUrl, {})).toBe(101)
    } finally {
      await g.close()
    }
  })
})

describe('rpc handshake with gateway.auth.mode none', () => {
  it('should accept a connect without credentials', async () => {
    const open = await startRpcGateway({ gateway: { auth: { mode: 'none' } } })
    try {
      const { client, hello } = await RpcTestClient.connect(open.wsUrl, undefined)
      expect(hello.type).toBe('hello-ok')
      await client.close()
    } finally {
      await open.close()
    }
  })
})
