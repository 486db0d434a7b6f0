import { mkdtempSync, readdirSync, statSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createError, definePlugin, Tokens, type HttpRouteDefinition, type Logger, type PluginDefinition } from '@openclaw/plugin-sdk'
import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import httpServer, { GATEWAY_TOKEN_FILE, readGatewayToken } from './index.js'

const TOKEN = 'test-gateway-token-0123456789'

interface LogEntry {
  level: string
  bindings: Record<string, unknown>
  message: string
}

/** A Logger that keeps every line, with the bindings of its children. */
function captureLogger(entries: LogEntry[] = [], bindings: Record<string, unknown> = {}): Logger & { entries: LogEntry[] } {
  const write = (level: string) => (first: unknown, ...rest: unknown[]) => {
    if (typeof first === 'string') entries.push({ level, bindings, message: first })
    else entries.push({ level, bindings: { ...bindings, ...(first as object) }, message: String(rest[0] ?? '') })
  }
  return {
    entries,
    level: 'trace',
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    fatal: write('fatal'),
    child: (more) => captureLogger(entries, { ...bindings, ...more }),
  }
}

/** A plugin that serves the given routes (and upgrades) behind the HTTP server. */
function routes(defs: HttpRouteDefinition[], extra: Partial<PluginDefinition<undefined>> = {}): PluginDefinition<undefined> {
  return definePlugin({
    id: 'test:routes',
    version: '1.0.0',
    dependsOn: ['core:http'],
    register(api) {
      for (const def of defs) api.http.route(def)
    },
    ...extra,
  })
}

const echo: HttpRouteDefinition = { method: 'POST', path: '/echo', auth: 'gateway', handler: (request) => ({ ok: true, body: request.body }) }
const open: HttpRouteDefinition = { method: 'GET', path: '/open', auth: 'none', handler: () => ({ ok: true }) }

let gateways: TestGateway[] = []

async function start(options: { config?: Record<string, unknown>; plugins?: PluginDefinition<unknown>[]; stateDir?: string; logger?: Logger; env?: NodeJS.ProcessEnv } = {}): Promise<TestGateway & { url: string }> {
  const { gateway: gatewayConfig = {}, ...rest } = options.config ?? {}
  const gw = await createTestGateway({
    config: { ...rest, gateway: { port: 0, auth: { mode: 'token', token: TOKEN }, ...(gatewayConfig as object) } },
    plugins: [httpServer(), ...(options.plugins ?? [])],
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.env ? { env: options.env } : {}),
  })
  gateways.push(gw)
  const info = gw.services.isRegistered(Tokens.HttpServer) ? gw.services.resolve(Tokens.HttpServer) : undefined
  return Object.assign(gw, { url: info?.url ?? '' })
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })
}

function expectSecurityHeaders(response: Response): void {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  expect(response.headers.get('referrer-policy')).toBe('no-referrer')
}

function startError(gw: TestGateway): { code: string; message: string; causeCode: string | undefined } | undefined {
  const info = gw.plugins.find((p) => p.id === 'core:http')
  if (!info?.error) return undefined
  return { code: info.error.code, message: info.error.message, causeCode: (info.error.cause as { code?: string } | undefined)?.code }
}

/** Send a raw upgrade request; resolves with the status line the server wrote. */
function upgradeStatus(url: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { headers: { ...headers, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve(res.statusCode ?? 0)
    })
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Write raw bytes to the server and parse the one answer it sends before closing the connection. */
function rawExchange(url: string, raw: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw))
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (text += chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body })
    })
  })
}

afterEach(async () => {
  await Promise.all(gateways.map((gw) => gw.stop()))
  gateways = []
  vi.unstubAllEnvs()
})

describe('core:http probes', () => {
  /** A request as a reverse proxy on this host forwards it: the peer is loopback, the client is not local. */
  const proxied = { 'x-forwarded-for': '203.0.113.7' }
  const eventLoop = { delayP50Ms: expect.any(Number), delayP99Ms: expect.any(Number), delayMaxMs: expect.any(Number), utilization: expect.any(Number), degraded: expect.any(Boolean), intervalMs: expect.any(Number) }

  it('should answer /healthz with 200 live, and HEAD without a body', async () => {
    const gw = await start()
    const get = await fetch(`${gw.url}/healthz`, { headers: proxied })
    expect(get.status).toBe(200)
    expectSecurityHeaders(get)
    expect(await get.json()).toEqual({ ok: true, status: 'live' })
    const head = await fetch(`${gw.url}/healthz`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('should answer a remote caller without the credential ok and status only, on every probe', async () => {
    const gw = await start()
    const bodies = await Promise.all(['/healthz', '/health', '/startupz', '/startup', '/readyz', '/ready'].map(async (path) => {
      const res = await fetch(`${gw.url}${path}`, { headers: proxied })
      return [path, res.status, await res.json()]
    }))
    expect(bodies).toEqual([
      ['/healthz', 200, { ok: true, status: 'live' }],
      ['/health', 200, { ok: true, status: 'live' }],
      ['/startupz', 200, { ok: true, status: 'started' }],
      ['/startup', 200, { ok: true, status: 'started' }],
      ['/readyz', 200, { ok: true, status: 'ready' }],
      ['/ready', 200, { ok: true, status: 'ready' }],
    ])
  })

  it('should give a local caller the version, uptime, readiness details and the event-loop block', async () => {
    const gw = await start()
    const live = await fetch(`${gw.url}/healthz`)
    expect(await live.json()).toEqual({ ok: true, status: 'live', version: gw.version, uptimeMs: expect.any(Number), eventLoop })
    const ready = await fetch(`${gw.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ok: true, status: 'ready', ready: true, failing: [], version: gw.version, uptimeMs: expect.any(Number), eventLoop })
    expect(await (await fetch(`${gw.url}/startupz`)).json()).toEqual({ ok: true, status: 'started', version: gw.version, uptimeMs: expect.any(Number), eventLoop })
  })

  it('should give a remote caller with the gateway credential the details, and count a wrong one toward the lockout', async () => {
    const gw = await start({ plugins: [routes([echo])], config: { gateway: { authRateLimit: { maxFailures: 2, failureDelayMs: 0 } } } })
    const authed = await fetch(`${gw.url}/readyz`, { headers: { ...proxied, ...bearer(TOKEN) } })
    expect(await authed.json()).toMatchObject({ ok: true, status: 'ready', ready: true, failing: [], version: gw.version, eventLoop })
    for (const guess of ['wrong-1', 'wrong-2']) {
      const res = await fetch(`${gw.url}/readyz`, { headers: { ...proxied, ...bearer(guess) } })
      expect(await res.json()).toEqual({ ok: true, status: 'ready' })
    }
    // Two wrong guesses through the probes locked the address out of the authenticated routes too.
    expect((await postJson(`${gw.url}/echo`, {}, bearer('wrong-3'))).status).toBe(429)
    expect((await postJson(`${gw.url}/echo`, {}, bearer(TOKEN))).status).toBe(200)
  })

  it('should show details only to local callers in auth mode none', async () => {
    const gw = await start({ config: { gateway: { auth: { mode: 'none' } } } })
    expect(await (await fetch(`${gw.url}/readyz`, { headers: { ...proxied, ...bearer('anything') } })).json()).toEqual({ ok: true, status: 'ready' })
    expect(await (await fetch(`${gw.url}/readyz`)).json()).toMatchObject({ ready: true, version: gw.version })
  })

  it('should list plugins that failed to start in the readiness details, while staying ready', async () => {
    const Broken = createError<'TEST_ERR_BROKEN'>('TEST_ERR_BROKEN', 'broken')
    const broken = definePlugin({ id: 'test:broken', version: '1.0.0', register() {}, start() { throw new Broken() } })
    const gw = await start({ plugins: [broken] })
    const res = await fetch(`${gw.url}/readyz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, status: 'ready', ready: true, failing: [], failedPlugins: ['test:broken'] })
  })

  it('should answer probes but 503 other routes while the gateway is still starting', async () => {
    const seen: Record<string, unknown> = {}
    const probe = definePlugin({
      id: 'test:probe-during-start',
      version: '1.0.0',
      dependsOn: ['core:http', 'test:routes'],
      register() {},
      async start(api) {
        const { url } = api.services.resolve(Tokens.HttpServer)
        for (const path of ['/healthz', '/startupz', '/readyz', '/open']) {
          const res = await fetch(`${url}${path}`)
          seen[path] = res.status
          if (path === '/open') seen.retryAfter = Number(res.headers.get('retry-after'))
        }
        seen.local = await (await fetch(`${url}/readyz`)).json()
        seen.remote = await (await fetch(`${url}/startupz`, { headers: proxied })).json()
      },
    })
    const gw = await start({ plugins: [routes([open]), probe] })
    expect(seen).toEqual({
      '/healthz': 200, '/startupz': 503, '/readyz': 503, '/open': 503, retryAfter: 1,
      local: { ok: false, status: 'starting', ready: false, failing: ['startup-plugins'], pendingReason: 'startup-plugins', version: gw.version, uptimeMs: expect.any(Number), eventLoop },
      remote: { ok: false, status: 'starting' },
    })
    expect((await fetch(`${gw.url}/open`)).status).toBe(200)
  })
})

describe('core:http routing and limits', () => {
  it('should answer an unknown path with 404 in the default error shape, with security headers', async () => {
    const gw = await start()
    const res = await fetch(`${gw.url}/nope`)
    expect(res.status).toBe(404)
    expectSecurityHeaders(res)
    expect(await res.json()).toEqual({ ok: false, error: { type: 'not_found', message: 'Not Found' } })
  })

  it('should answer a known path with the wrong method with 405 and Allow', async () => {
    const gw = await start({ plugins: [routes([echo])] })
    const res = await fetch(`${gw.url}/echo`, { method: 'DELETE', headers: bearer(TOKEN) })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expectSecurityHeaders(res)
    expect(await res.json()).toMatchObject({ ok: false, error: { type: 'method_not_allowed' } })
  })

  it('should list GET and HEAD in Allow for a GET route', async () => {
    const gw = await start({ plugins: [routes([open])] })
    const res = await fetch(`${gw.url}/open`, { method: 'POST' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
  })

  it("should answer 413 for a body over the route's bodyLimit, and over gateway.http.maxBodyBytes by default", async () => {
    const small: HttpRouteDefinition = { method: 'POST', path: '/small', auth: 'none', bodyLimit: 32, handler: () => ({ ok: true }) }
    const gw = await start({ plugins: [routes([small, { ...echo, auth: 'none' }])], config: { gateway: { http: { maxBodyBytes: 64 } } } })
    const tooBig = await postJson(`${gw.url}/small`, { text: 'x'.repeat(40) })
    expect(tooBig.status).toBe(413)
    expectSecurityHeaders(tooBig)
    expect(await tooBig.json()).toEqual({ ok: false, error: { type: 'payload_too_large', message: 'Payload too large' } })
    expect((await postJson(`${gw.url}/small`, { a: 1 })).status).toBe(200)
    expect((await postJson(`${gw.url}/echo`, { text: 'x'.repeat(80) })).status).toBe(413)
  })

  it('should answer malformed JSON with 400 invalid_request', async () => {
    const gw = await start({ plugins: [routes([echo])] })
    const res = await postJson(`${gw.url}/echo`, '{"a":', bearer(TOKEN))
    expect(res.status).toBe(400)
    expectSecurityHeaders(res)
    expect(await res.json()).toEqual({ ok: false, error: { type: 'invalid_request', message: 'Request body is not valid JSON' } })
  })

  it('should refuse JSON nested deeper than 64 levels with 400, and take 64', async () => {
    const gw = await start({ plugins: [routes([echo])] })
    const nested = (depth: number) => `${'['.repeat(depth)}"a]b"${']'.repeat(depth)}`
    const deep = await postJson(`${gw.url}/echo`, `{"x":${nested(100_000)}}`, bearer(TOKEN))
    expect(deep.status).toBe(400)
    expect(await deep.json()).toEqual({ ok: false, error: { type: 'invalid_request', message: 'Bad request: JSON nested deeper than 64 levels' } })
    const ok = await postJson(`${gw.url}/echo`, `{"x":${nested(63)}}`, bearer(TOKEN))
    expect(ok.status).toBe(200)
  })

  it('should refuse a prototype-poisoning body with 400', async () => {
    const gw = await start({ plugins: [routes([echo])] })
    const res = await postJson(`${gw.url}/echo`, '{"__proto__":{"admin":true}}', bearer(TOKEN))
    expect(res.status).toBe(400)
  })

  it('should read a JSON body sent as text/plain as JSON', async () => {
    const gw = await start({ plugins: [routes([echo])] })
    const res = await fetch(`${gw.url}/echo`, { method: 'POST', headers: { ...bearer(TOKEN), 'content-type': 'text/plain' }, body: '{"a":1}' })
    expect(await res.json()).toEqual({ ok: true, body: { a: 1 } })
    const bad = await fetch(`${gw.url}/echo`, { method: 'POST', headers: { ...bearer(TOKEN), 'content-type': 'text/plain; charset=utf-8' }, body: 'hello' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request', message: 'Request body is not valid JSON' } })
  })

  it('should answer a URL that cannot be decoded with 400 in the default shape', async () => {
    const gw = await start({ plugins: [routes([open])] })
    const res = await fetch(`${gw.url}/open/%zz`)
    expect(res.status).toBe(400)
    expectSecurityHeaders(res)
    expect(await res.json()).toEqual({ ok: false, error: { type: 'invalid_request', message: 'The URL is not valid (bad percent-encoding?)' } })
  })

  it('should answer what the HTTP parser refuses with the server error shape and security headers', async () => {
    const gw = await start()
    for (const [raw, status, type] of [
      ['GARBAGE\r\n\r\n', 400, 'invalid_request'],
      ['POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400, 'invalid_request'],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
    ] as const) {
      const answer = await rawExchange(gw.url, raw)
      expect(answer.status).toBe(status)
      expect(answer.headers['x-content-type-options']).toBe('nosniff')
      expect(answer.headers['referrer-policy']).toBe('no-referrer')
      expect(answer.headers.connection).toBe('close')
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { type } })
    }
  })

  it('should answer 408 and close a connection whose request does not arrive within headersTimeoutMs', async () => {
    const gw = await start({ config: { gateway: { http: { headersTimeoutMs: 300 } } } })
    const started = Date.now()
    const answer = await rawExchange(gw.url, 'POST /echo HTTP/1.1\r\nHost: x\r\n')
    expect(answer.status).toBe(408)
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { type: 'timeout', message: 'The request did not arrive in time' } })
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('should answer an unsupported content type with 415', async () => {
    const gw = await start({ plugins: [routes([echo])] })
    const res = await fetch(`${gw.url}/echo`, { method: 'POST', headers: { ...bearer(TOKEN), 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })
    expect(res.status).toBe(415)
    expect(await res.json()).toMatchObject({ error: { type: 'unsupported_media_type' } })
  })

  it("should use the route's formatError for errors the server raises on its behalf", async () => {
    const openAi: HttpRouteDefinition = {
      ...echo,
      path: '/v1/thing',
      formatError: (e) => ({ error: { message: e.message, type: e.statusCode === 401 ? 'unauthorized' : 'invalid_request_error', code: e.code } }),
    }
    const gw = await start({ plugins: [routes([openAi])] })
    const unauthorized = await postJson(`${gw.url}/v1/thing`, {})
    expect(unauthorized.status).toBe(401)
    expect(await unauthorized.json()).toEqual({ error: { message: 'Unauthorized', type: 'unauthorized', code: 'HTTP_ERR_UNAUTHORIZED' } })
    const bad = await postJson(`${gw.url}/v1/thing`, '{', bearer(TOKEN))
    expect(await bad.json()).toEqual({ error: { message: 'Request body is not valid JSON', type: 'invalid_request_error', code: 'HTTP_ERR_INVALID_JSON' } })
  })

  it('should answer 500 with a generic message when a handler throws, logging it with the plugin id', async () => {
    const logger = captureLogger()
    const boom: HttpRouteDefinition = { method: 'GET', path: '/boom', auth: 'none', handler: () => { throw new Error('secret internals at /etc/passwd') } }
    const gw = await start({ plugins: [routes([boom])], logger })
    const res = await fetch(`${gw.url}/boom`)
    expect(res.status).toBe(500)
    expectSecurityHeaders(res)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ ok: false, error: { type: 'internal_error', message: 'Internal error' } })
    expect(text).not.toContain('secret internals')
    expect(text).not.toContain('at ')
    const logged = logger.entries.find((e) => e.level === 'error' && e.bindings.owner === 'test:routes')
    expect(logged?.message).toContain("plugin 'test:routes'")
  })

  it('should answer async handler failures with 500 too', async () => {
    const boom: HttpRouteDefinition = { method: 'GET', path: '/boom', auth: 'none', handler: async () => { throw new Error('later') } }
    const gw = await start({ plugins: [routes([boom])] })
    expect((await fetch(`${gw.url}/boom`)).status).toBe(500)
  })

  it("should answer a coded 4xx error a handler throws with its status and message", async () => {
    const TEST_ERR_NOPE = createError<'TEST_ERR_NOPE'>('TEST_ERR_NOPE', 'nope, not like that', 409)
    const conflict: HttpRouteDefinition = { method: 'GET', path: '/conflict', auth: 'none', handler: () => { throw new TEST_ERR_NOPE() } }
    const gw = await start({ plugins: [routes([conflict])] })
    const res = await fetch(`${gw.url}/conflict`)
    expect(res.status).toBe(409)
    expect(await res.json()).toEqual({ ok: false, error: { type: 'invalid_request', message: 'nope, not like that' } })
  })

  it('should answer 503 on the routes of a plugin that failed to start', async () => {
    const broken = routes([open], { id: 'test:routes', start: () => { throw new Error('no backend') } })
    const gw = await start({ plugins: [broken] })
    expect(gw.plugins.find((p) => p.id === 'test:routes')?.state).toBe('failed')
    const res = await fetch(`${gw.url}/open`)
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ ok: false, error: { type: 'unavailable' } })
  })

  it('should dispatch WebSocket upgrades by path and answer 404 on an unknown path', async () => {
    const upgraded: string[] = []
    const ws = definePlugin({
      id: 'test:ws',
      version: '1.0.0',
      dependsOn: ['core:http'],
      register(api) {
        api.http.upgrade({
          path: '/ws',
          handler: (req, socket) => {
            upgraded.push(req.url ?? '')
            socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')
          },
        })
      },
    })
    const gw = await start({ plugins: [ws] })
    expect(await upgradeStatus(gw.url, '/nowhere')).toBe(404)
    expect(await upgradeStatus(gw.url, '/ws?x=1')).toBe(101)
    expect(upgraded).toEqual(['/ws?x=1'])
  })
})

describe('core:http auth', () => {
  it('should refuse a gateway route without, or with a wrong, bearer token and accept the right one', async () => {
    const gw = await start({ plugins: [routes([echo])] })
    const none = await postJson(`${gw.url}/echo`, { a: 1 })
    expect(none.status).toBe(401)
    expectSecurityHeaders(none)
    expect(await none.json()).toEqual({ ok: false, error: { type: 'unauthorized', message: 'Unauthorized' } })
    expect((await postJson(`${gw.url}/echo`, { a: 1 }, bearer('wrong'))).status).toBe(401)
    expect((await postJson(`${gw.url}/echo`, { a: 1 }, bearer(`${TOKEN}x`))).status).toBe(401)
    const ok = await postJson(`${gw.url}/echo`, { a: 1 }, { authorization: `bearer   ${TOKEN}  ` })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ ok: true, body: { a: 1 } })
  })

  it('should accept the token from OPENCLAW_GATEWAY_TOKEN when the config has none', async () => {
    const gw = await start({ plugins: [routes([echo])], config: { gateway: { auth: { mode: 'token' } } }, env: { OPENCLAW_GATEWAY_TOKEN: 'from-the-environment-123' } })
    expect((await postJson(`${gw.url}/echo`, {}, bearer('from-the-environment-123'))).status).toBe(200)
  })

  it("should read OPENCLAW_GATEWAY_TOKEN from the environment the gateway was created with, not the embedding process's", async () => {
    vi.stubEnv('OPENCLAW_GATEWAY_TOKEN', 'the-host-process-token-123')
    const gw = await start({ plugins: [routes([echo])], config: { gateway: { auth: { mode: 'token' } } }, env: {} })
    // No token in the config or the given env: the gateway generated one; the host's is not it.
    expect((await postJson(`${gw.url}/echo`, {}, bearer('the-host-process-token-123'))).status).toBe(401)
  })

  it('should accept the password in password mode, and nothing else', async () => {
    const gw = await start({ plugins: [routes([echo])], config: { gateway: { auth: { mode: 'password', password: 'pa55-word', token: TOKEN } } } })
    expect((await postJson(`${gw.url}/echo`, {}, bearer('pa55-word'))).status).toBe(200)
    expect((await postJson(`${gw.url}/echo`, {}, bearer(TOKEN))).status).toBe(401)
    expect((await postJson(`${gw.url}/echo`, {})).status).toBe(401)
  })

  it('should refuse to start in password mode without a password', async () => {
    const gw = await start({ config: { gateway: { auth: { mode: 'password' } } } })
    expect(startError(gw)).toMatchObject({ code: 'CORE_ERR_PLUGIN_START_FAILED', causeCode: 'HTTP_ERR_PASSWORD_MISSING' })
    expect(startError(gw)?.message).toContain('OPENCLAW_GATEWAY_PASSWORD')
  })

  it('should let anyone call gateway routes in mode none on loopback', async () => {
    const gw = await start({ plugins: [routes([echo])], config: { gateway: { auth: { mode: 'none' } } } })
    expect((await postJson(`${gw.url}/echo`, {})).status).toBe(200)
  })

  it('should refuse to start on a non-loopback bind with auth mode none, and not listen', async () => {
    const gw = await start({ config: { gateway: { bind: 'lan', auth: { mode: 'none' } } } })
    const error = startError(gw)
    expect(error?.causeCode).toBe('HTTP_ERR_AUTH_REQUIRED')
    expect(error?.message).toContain("Refusing to bind the gateway to 'lan' without auth")
    expect(gw.url).toBe('')
  })

  it('should lock a client out with 429 and Retry-After after maxFailures wrong tokens, but still serve the right token', async () => {
    const gw = await start({
      plugins: [routes([echo])],
      config: { gateway: { authRateLimit: { maxFailures: 3, windowMs: 60_000, lockoutMs: 30_000, failureDelayMs: 0 } } },
    })
    for (let i = 0; i < 3; i++) expect((await postJson(`${gw.url}/echo`, {}, bearer('wrong'))).status).toBe(401)
    const locked = await postJson(`${gw.url}/echo`, {}, bearer('wrong'))
    expect(locked.status).toBe(429)
    expect(locked.headers.get('retry-after')).toBe('30')
    expectSecurityHeaders(locked)
    expect(await locked.json()).toMatchObject({ ok: false, error: { type: 'rate_limited' } })
    expect((await postJson(`${gw.url}/echo`, {})).status).toBe(429)
    // The owner is never locked out by someone else's guesses from the same address.
    expect((await postJson(`${gw.url}/echo`, {}, bearer(TOKEN))).status).toBe(200)
    // …and the owner's success gives the guesser no fresh budget.
    expect((await postJson(`${gw.url}/echo`, {}, bearer('wrong'))).status).toBe(429)
    gw.clock!.advance(30_001)
    expect((await postJson(`${gw.url}/echo`, {}, bearer('wrong'))).status).toBe(401)
  })

  it('should not count a missing credential', async () => {
    const gw = await start({
      plugins: [routes([echo])],
      config: { gateway: { authRateLimit: { maxFailures: 3, failureDelayMs: 0 } } },
    })
    for (let i = 0; i < 5; i++) expect((await postJson(`${gw.url}/echo`, {})).status).toBe(401)
    for (let i = 0; i < 2; i++) expect((await postJson(`${gw.url}/echo`, {}, bearer('wrong'))).status).toBe(401)
    expect((await postJson(`${gw.url}/echo`, {}, bearer(TOKEN))).status).toBe(200)
  })

  it('should log failed authentications and the lockout, never the credential', async () => {
    const logger = captureLogger()
    const gw = await start({ plugins: [routes([echo])], logger, config: { gateway: { authRateLimit: { maxFailures: 3, failureDelayMs: 0 } } } })
    for (let i = 0; i < 5; i++) await postJson(`${gw.url}/echo`, {}, bearer(`guess-${i}`))
    const lines = logger.entries.filter((e) => e.bindings.scope === 'gateway')
    expect(lines.map((l) => l.message)).toEqual(['failed gateway authentication from 127.0.0.1', 'client 127.0.0.1 locked out after 3 failed gateway authentications'])
    expect(lines.every((l) => l.level === 'warn' && l.bindings.client === '127.0.0.1')).toBe(true)
    expect(JSON.stringify(logger.entries)).not.toContain('guess-')
  })

  it('should slow repeated failures down without blocking other requests', async () => {
    const gw = await start({ plugins: [routes([echo])], config: { gateway: { authRateLimit: { failureDelayMs: 150 } } } })
    await postJson(`${gw.url}/echo`, {}, bearer('wrong'))
    const started = Date.now()
    const slow = postJson(`${gw.url}/echo`, {}, bearer('wrong')).then((r) => ({ status: r.status, at: Date.now() - started }))
    const probe = fetch(`${gw.url}/healthz`).then((r) => ({ status: r.status, at: Date.now() - started }))
    const [failed, live] = await Promise.all([slow, probe])
    expect(failed.status).toBe(401)
    expect(failed.at).toBeGreaterThanOrEqual(290)
    expect(live.status).toBe(200)
    expect(live.at).toBeLessThan(failed.at)
  })

  it('should admit a route through the guard a plugin registered, with its own lockout', async () => {
    const SECRET = 'guard-secret-0123456789'
    const signed = definePlugin({
      id: 'test:signed',
      version: '1.0.0',
      dependsOn: ['core:http'],
      register(api) {
        api.http.guard('signed', (request, credentials) => {
          if (request.url.includes('refuse')) return { ok: false, reason: 'refused', error: { statusCode: 400, code: 'TEST_ERR_REFUSED', message: 'refused by the guard' } }
          const header = request.headers['x-signature']
          return credentials.check(SECRET, request.bearer ?? (typeof header === 'string' ? header : undefined))
        })
        api.http.route({ method: 'POST', path: '/signed', auth: 'signed', handler: () => ({ ok: true }) })
      },
    })
    const gw = await start({ plugins: [signed, routes([echo])], config: { gateway: { authRateLimit: { maxFailures: 2, failureDelayMs: 0 } } } })
    expect((await postJson(`${gw.url}/signed`, {}, bearer(SECRET))).status).toBe(200)
    expect((await postJson(`${gw.url}/signed`, {}, { 'x-signature': SECRET })).status).toBe(200)
    const refused = await postJson(`${gw.url}/signed?refuse=1`, {}, bearer(SECRET))
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({ ok: false, error: { message: 'refused by the guard' } })
    expect((await postJson(`${gw.url}/signed`, {})).status).toBe(401)
    // The gateway token is no credential here, and wrong guesses lock this guard only.
    expect((await postJson(`${gw.url}/signed`, {}, bearer(TOKEN))).status).toBe(401)
    expect((await postJson(`${gw.url}/signed`, {}, bearer('wrong'))).status).toBe(401)
    expect((await postJson(`${gw.url}/signed`, {}, bearer('wrong again'))).status).toBe(429)
    // Locked out for guesses, never for the right credential.
    expect((await postJson(`${gw.url}/signed`, {}, bearer(SECRET))).status).toBe(200)
    // The gateway's own lockout is another one.
    expect((await postJson(`${gw.url}/echo`, {}, bearer(TOKEN))).status).toBe(200)
  })

  it('should refuse a route that names a guard no plugin registered, with a coded error', async () => {
    const gw = await start({ plugins: [routes([{ method: 'POST', path: '/x', auth: 'nobody', handler: () => ({ ok: true }) }])] })
    const failed = gw.plugins.find((p) => p.id === 'test:routes')!
    expect(failed.state).toBe('failed')
    expect((failed.error?.cause as { code?: string }).code).toBe('CORE_ERR_HTTP_GUARD_UNKNOWN')
    expect(failed.error?.message).toContain("asks for guard 'nobody'")
  })

  it('should refuse a plugin guard named like one of the server\'s own', async () => {
    const gw = await start({ plugins: [routes([], { register: (api) => api.http.guard('gateway', () => ({ ok: true })) })] })
    expect((gw.plugins.find((p) => p.id === 'test:routes')!.error?.cause as { code?: string }).code).toBe('CORE_ERR_HTTP_GUARD_RESERVED')
  })

  it('should answer 503 on routes whose guard belongs to a plugin that failed to start', async () => {
    const guard = definePlugin({
      id: 'test:guard',
      version: '1.0.0',
      dependsOn: ['core:http'],
      register: (api) => api.http.guard('flaky', () => ({ ok: true })),
      start: () => {
        throw new Error('no')
      },
    })
    const gw = await start({ plugins: [guard, routes([{ method: 'GET', path: '/guarded', auth: 'flaky', handler: () => ({ ok: true }) }])] })
    expect((await fetch(`${gw.url}/guarded`)).status).toBe(503)
  })

  it('should hand a route that asks for it the raw body bytes next to the parsed body', async () => {
    const seen: { raw?: string | undefined; body?: unknown }[] = []
    const raw: HttpRouteDefinition = {
      method: 'POST', path: '/raw', auth: 'none', rawBody: true,
      handler: (request) => {
        seen.push({ raw: request.rawBody?.toString('utf8'), body: request.body })
        return { ok: true }
      },
    }
    const gw = await start({ plugins: [routes([raw, { ...echo, auth: 'none' }])] })
    // Spacing and key order exactly as sent: what a signature is computed over.
    const text = '{ "b":1,  "a": "é" }'
    expect((await postJson(`${gw.url}/raw`, text)).status).toBe(200)
    expect(seen).toEqual([{ raw: text, body: { b: 1, a: 'é' } }])
    // Routes that do not ask get no raw body.
    let other: unknown = 'unset'
    const gw2 = await start({ plugins: [routes([{ method: 'POST', path: '/plain', auth: 'none', handler: (r) => { other = r.rawBody; return { ok: true } } }])] })
    expect((await postJson(`${gw2.url}/plain`, text)).status).toBe(200)
    expect(other).toBeUndefined()
  })

  it('should parse application/x-www-form-urlencoded only for routes that accept it', async () => {
    const seen: unknown[] = []
    const form: HttpRouteDefinition = {
      method: 'POST', path: '/form', auth: 'none', form: true, rawBody: true,
      handler: (request) => {
        seen.push({ body: request.body, raw: request.rawBody?.toString('utf8') })
        return { ok: true }
      },
    }
    const gw = await start({ plugins: [routes([form, { method: 'POST', path: '/json', auth: 'none', handler: () => ({ ok: true }) }])] })
    const headers = { 'content-type': 'application/x-www-form-urlencoded' }
    const body = 'a=1&b=two+words&a=3&__proto__=x'
    expect((await fetch(`${gw.url}/form`, { method: 'POST', headers, body })).status).toBe(200)
    expect(seen).toEqual([{ body: { a: ['1', '3'], b: 'two words', ['__proto__']: 'x' }, raw: body }])
    expect(Object.getPrototypeOf((seen[0] as { body: object }).body)).toBe(Object.prototype)
    const refused = await fetch(`${gw.url}/json`, { method: 'POST', headers, body })
    expect(refused.status).toBe(415)
    expect(await refused.json()).toMatchObject({ ok: false })
  })
})

describe('core:http generated token', () => {
  it('should generate a token once, store it 0600, reuse it on the next start and never log it', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-http-'))
    const logger = captureLogger()
    const config = { gateway: { auth: { mode: 'token' } } }
    const first = await start({ plugins: [routes([echo])], config, stateDir, logger })
    const token = readGatewayToken(stateDir)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(statSync(join(stateDir, GATEWAY_TOKEN_FILE)).mode & 0o777).toBe(0o600)
    expect((await postJson(`${first.url}/echo`, {}, bearer(token!))).status).toBe(200)
    await first.stop()

    const second = await start({ plugins: [routes([echo])], config, stateDir, logger })
    expect(readGatewayToken(stateDir)).toBe(token)
    expect((await postJson(`${second.url}/echo`, {}, bearer(token!))).status).toBe(200)

    const lines = JSON.stringify(logger.entries)
    expect(lines).not.toContain(token)
    expect(logger.entries.filter((e) => e.message.includes('openclaw gateway token'))).toHaveLength(1)
  })
})

describe('core:http lifecycle', () => {
  it('should register where it listens as Tokens.HttpServer', async () => {
    const gw = await start()
    const info = gw.services.resolve(Tokens.HttpServer)
    expect(info.host).toBe('127.0.0.1')
    expect(info.port).toBeGreaterThan(0)
    expect(info.url).toBe(`http://127.0.0.1:${info.port}`)
  })

  it('should fail to start with a coded error naming the port when it is in use', async () => {
    const first = await start()
    const port = first.services.resolve(Tokens.HttpServer).port
    const second = await start({ config: { gateway: { port } } })
    const error = startError(second)
    expect(error?.causeCode).toBe('HTTP_ERR_PORT_IN_USE')
    expect(error?.message).toContain(String(port))
  })

  it('should let an in-flight request finish on stop, then refuse connections', async () => {
    let entered!: () => void
    const inHandler = new Promise<void>((resolve) => (entered = resolve))
    const slow: HttpRouteDefinition = {
      method: 'GET', path: '/slow', auth: 'none',
      handler: async () => {
        entered()
        await new Promise((resolve) => setTimeout(resolve, 300))
        return { ok: true, slow: true }
      },
    }
    const gw = await start({ plugins: [routes([slow])] })
    const pending = fetch(`${gw.url}/slow`)
    await inHandler
    const stopped = gw.stop()
    const res = await pending
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, slow: true })
    await stopped
    await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow()
  })

  it('should stop idempotently', async () => {
    const plugin = httpServer()
    let api: Parameters<typeof plugin.register>[0] | undefined
    const spy = { ...plugin, register: (a: Parameters<typeof plugin.register>[0]) => { api = a; plugin.register(a) } }
    const gw = await createTestGateway({ config: { gateway: { port: 0, auth: { mode: 'token', token: TOKEN } } }, plugins: [spy] })
    await gw.stop()
    await expect(Promise.all([plugin.stop!(api!), plugin.stop!(api!)])).resolves.toBeDefined()
  })

  it('should close connections still busy after shutdownTimeoutMs', async () => {
    const hang: HttpRouteDefinition = { method: 'GET', path: '/hang', auth: 'none', handler: () => new Promise(() => {}) }
    const gw = await start({ plugins: [routes([hang])], config: { gateway: { shutdownTimeoutMs: 100 } } })
    const pending = fetch(`${gw.url}/hang`).then(() => 'answered', () => 'closed')
    await new Promise((resolve) => setTimeout(resolve, 50))
    const started = Date.now()
    await gw.stop()
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await pending).toBe('closed')
  })
})

describe('core:http security (issue 18)', () => {
  it('should release the descriptors of 500 silent sockets after the 408', { timeout: 40_000 }, async () => {
    const gw = await start({ config: { gateway: { http: { headersTimeoutMs: 500 } } } })
    const { port } = new URL(gw.url)
    const descriptors = () => readdirSync('/proc/self/fd').length
    const before = descriptors()
    const sockets: Socket[] = []
    try {
      // Half-open clients: they never answer the server's FIN, so only the server can free its end.
      await Promise.all(Array.from({ length: 500 }, () => new Promise<void>((resolve, reject) => {
        const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true }, () => resolve())
        socket.on('error', reject)
        socket.on('data', () => {})
        sockets.push(socket)
      })))
      // Both ends of each connection live in this process, once the server has accepted them.
      await vi.waitFor(() => expect(descriptors()).toBeGreaterThanOrEqual(before + 900), { timeout: 5_000, interval: 20 })
      const deadline = Date.now() + 20_000
      while (descriptors() > before + 500 + 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250))
      // What is left is the clients' own ends.
      expect(descriptors()).toBeLessThanOrEqual(before + 500 + 20)
    } finally {
      for (const socket of sockets) socket.destroy()
    }
  })

  describe('origins and hosts', () => {
    const upgradeTarget = definePlugin({
      id: 'test:ws',
      version: '1.0.0',
      dependsOn: ['core:http'],
      register(api) {
        api.http.upgrade({ path: '/ws', handler: (_req, socket) => socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n') })
      },
    })

    it('should refuse WebSocket upgrades and requests from a browser origin that is not listed', async () => {
      const gw = await start({ plugins: [routes([echo]), upgradeTarget], config: { gateway: { controlUi: { allowedOrigins: ['https://ui.example.com'] } } } })
      expect(await upgradeStatus(gw.url, '/ws', { origin: 'https://evil.example' })).toBe(403)
      expect(await upgradeStatus(gw.url, '/ws', { origin: 'null' })).toBe(403)
      expect(await upgradeStatus(gw.url, '/ws', { origin: 'https://UI.example.com' })).toBe(101)
      // Clients that are not browsers send no Origin.
      expect(await upgradeStatus(gw.url, '/ws')).toBe(101)
      const http = await postJson(`${gw.url}/echo`, {}, { ...bearer(TOKEN), origin: 'https://evil.example' })
      expect(http.status).toBe(403)
      expect(await http.json()).toMatchObject({ error: { message: expect.stringContaining('gateway.controlUi.allowedOrigins') } })
      expect((await postJson(`${gw.url}/echo`, {}, bearer(TOKEN))).status).toBe(200)
    })

    it('should refuse a Host that is not the loopback or configured on a loopback bind (DNS rebinding)', async () => {
      const gw = await start({ plugins: [routes([echo]), upgradeTarget], config: { gateway: { allowedHosts: ['gw.internal'] } } })
      const { port } = new URL(gw.url)
      expect(await upgradeStatus(gw.url, '/ws', { host: `rebound.example:${port}` })).toBe(403)
      expect(await upgradeStatus(gw.url, '/ws', { host: `localhost:${port}` })).toBe(101)
      const raw = (host: string) => rawExchange(gw.url, `POST /echo HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`)
      expect((await raw(`rebound.example:${port}`)).status).toBe(403)
      expect((await raw(`gw.internal:${port}`)).status).toBe(200)
      expect((await raw(`[::1]:${port}`)).status).toBe(200)
      expect((await raw(`127.0.0.1:${port}`)).status).toBe(200)
    })
  })
})
