import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { definePlugin, Tokens, type ModelRequest, type PluginDefinition } from '@openclaw/plugin-sdk'
import { createTestGateway, InMemoryChannel, type TestGateway } from '@openclaw/plugin-sdk/testing'
// The HTTP server plugin is not a dependency of this package (plugins never import each other); the
// test reaches its source to serve the routes on a real socket.
import httpServer from '@openclaw/plugin-http-server'
import httpHooks from './index.js'
import { startHookRun } from './start-hook-run.js'

const GATEWAY_TOKEN = 'gateway-token-for-hooks-tests-1'
const HOOKS_TOKEN = 'hooks-token-for-hooks-tests-22'

/** A model provider `test` whose replies can be held back until `release()`. */
function scriptedProvider() {
  const requests: ModelRequest[] = []
  let open!: () => void
  let gate: Promise<void> = Promise.resolve()
  const waiters: { count: number; resolve: () => void }[] = []
  const plugin = definePlugin({
    id: 'test:provider',
    version: '1.0.0',
    register(api) {
      api.providers.register({
        id: 'test',
        models: ['m'],
        async *stream(request) {
          requests.push(request)
          for (const waiter of [...waiters]) {
            if (requests.length < waiter.count) continue
            waiters.splice(waiters.indexOf(waiter), 1)
            waiter.resolve()
          }
          await gate
          yield { type: 'text', delta: 'hi' }
          yield { type: 'finish', reason: 'stop' }
        },
      })
    },
  })
  return {
    plugin,
    requests,
    hold() {
      gate = new Promise((resolve) => (open = resolve))
    },
    release() {
      open()
    },
    /** Resolves once the provider has been called `count` times. */
    called(count: number): Promise<void> {
      if (requests.length >= count) return Promise.resolve()
      return new Promise((resolve) => waiters.push({ count, resolve }))
    },
  }
}

/** What the webhook routes answer. */
interface Answer {
  ok: boolean
  runId: string
  mode?: string
  /** OpenClaw's shape: the message; `code` is the gateway's coded error. */
  error: string
  code?: string
}

let gateways: TestGateway[] = []

afterEach(async () => {
  await Promise.all(gateways.map((gw) => gw.stop()))
  gateways = []
})

interface Started {
  gw: TestGateway
  url: string
}

async function start(options: { hooks?: Record<string, unknown>; gateway?: Record<string, unknown>; config?: Record<string, unknown>; plugins?: PluginDefinition<unknown>[]; stateDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Started> {
  const gw = await createTestGateway({
    config: {
      ...options.config,
      gateway: { port: 0, auth: { mode: 'token', token: GATEWAY_TOKEN }, ...options.gateway },
      hooks: { enabled: true, token: HOOKS_TOKEN, ...options.hooks },
      agents: { defaults: { model: 'test/m' }, ...(options.config?.agents as object) },
    },
    plugins: [httpServer(), httpHooks(), ...(options.plugins ?? [scriptedProvider().plugin])],
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...(options.env ? { env: options.env } : {}),
  })
  gateways.push(gw)
  return { gw, url: gw.services.resolve(Tokens.HttpServer).url }
}

async function post(url: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${HOOKS_TOKEN}` }): Promise<{ status: number; body: Answer }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as Answer }
}

function hooksError(gw: TestGateway): string | undefined {
  const error = gw.plugins.find((p) => p.id === 'http:hooks')?.error
  return (error?.cause as { code?: string } | undefined)?.code
}

describe('http:hooks disabled', () => {
  it('should register no route when hooks.enabled is false', async () => {
    const { gw, url } = await start({ hooks: { enabled: false, token: undefined } })
    expect(gw.registry.httpRoutes.keys().filter((k) => k.includes('/hooks'))).toEqual([])
    expect((await post(`${url}/hooks/wake`, { text: 'x' })).status).toBe(404)
  })
})

describe('http:hooks start-up checks', () => {
  it('should refuse to start without a token', async () => {
    const { gw, url } = await start({ hooks: { token: undefined } })
    expect(hooksError(gw)).toBe('HOOKS_ERR_TOKEN_MISSING')
    expect((await post(`${url}/hooks/wake`, { text: 'x' })).status).toBe(503)
  })

  it('should refuse to start when the hooks token equals the gateway token', async () => {
    const { gw } = await start({ hooks: { token: GATEWAY_TOKEN } })
    expect(hooksError(gw)).toBe('HOOKS_ERR_TOKEN_REUSED')
    expect(gw.plugins.find((p) => p.id === 'http:hooks')?.error?.message).toContain('must differ from the gateway credential')
  })

  it('should refuse to start when the hooks token equals the generated gateway token', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-hooks-'))
    writeFileSync(join(stateDir, 'gateway.token'), `${HOOKS_TOKEN}\n`, { mode: 0o600 })
    const { gw } = await start({ stateDir, gateway: { auth: { mode: 'token' } } })
    expect(hooksError(gw)).toBe('HOOKS_ERR_TOKEN_REUSED')
  })

  it('should refuse to start when the hooks token equals OPENCLAW_GATEWAY_PASSWORD', async () => {
    const { gw } = await start({ gateway: { auth: { mode: 'password' } }, env: { OPENCLAW_GATEWAY_PASSWORD: HOOKS_TOKEN } })
    expect(hooksError(gw)).toBe('HOOKS_ERR_TOKEN_REUSED')
  })
})

describe('http:hooks auth', () => {
  it('should accept the hooks token from Authorization or X-OpenClaw-Token', async () => {
    const { url } = await start()
    expect((await post(`${url}/hooks/wake`, { text: 'a', mode: 'next-heartbeat' })).status).toBe(200)
    expect((await post(`${url}/hooks/wake`, { text: 'b', mode: 'next-heartbeat' }, { 'x-openclaw-token': HOOKS_TOKEN })).status).toBe(200)
  })

  it('should answer 400 to a query parameter named like a credential, even with the right value', async () => {
    const { url } = await start({ gateway: { authRateLimit: { maxFailures: 100, failureDelayMs: 0 } } })
    const res = await post(`${url}/hooks/wake?token=${HOOKS_TOKEN}`, { text: 'x' }, {})
    expect(res.status).toBe(400)
    expect(res.body.error).toContain('query parameters are not allowed')
    const wake = { text: 'x', mode: 'next-heartbeat' }
    expect((await post(`${url}/hooks/wake?hooksToken=${HOOKS_TOKEN}`, wake, {})).status).toBe(400)
    // By name, whatever the value, even with the right header: token, hooks_token, access_token, key, auth…
    for (const name of ['hooks_token', 'access_token', 'password', 'key', 'auth', 'api-key']) {
      expect((await post(`${url}/hooks/wake?${name}=anything`, wake)).status).toBe(400)
    }
    expect((await post(`${url}/hooks/wake?source=github`, wake)).status).toBe(200)
  })

  it('should answer a query value that equals a secret exactly as one that does not: no credential oracle', async () => {
    const password = 'correct-horse-battery'
    const { url } = await start({ gateway: { auth: { mode: 'password', password }, authRateLimit: { maxFailures: 100, failureDelayMs: 0 } } })
    const answer = (query: string) => post(`${url}/hooks/wake?${query}`, { text: 'x' }, {})
    const wrong = await answer('a=g1&b=not-the-password')
    expect(wrong.status).toBe(401)
    expect(await answer(`a=g1&b=${password}`)).toEqual(wrong)
    expect(await answer(`a=g1&b=${HOOKS_TOKEN}`)).toEqual(wrong)
    // Named like a credential: refused whatever the value.
    expect(await answer(`token=${HOOKS_TOKEN}`)).toEqual(await answer('token=not-the-token'))
  })

  it('should count a credential in the query toward the lockout, and still serve the right token', async () => {
    const { url } = await start({ gateway: { authRateLimit: { maxFailures: 3, failureDelayMs: 0 } } })
    const wake = { text: 'x', mode: 'next-heartbeat' }
    for (let i = 0; i < 3; i++) expect((await post(`${url}/hooks/wake?token=guess-${i}`, wake, {})).status).toBe(400)
    expect((await post(`${url}/hooks/wake`, wake, { authorization: 'Bearer wrong' })).status).toBe(429)
    expect((await post(`${url}/hooks/wake`, wake)).status).toBe(200)
  })

  it('should register its own guard, named hooks, which core:http knows nothing of', async () => {
    const { gw } = await start()
    expect(gw.registry.httpGuards.keys()).toEqual(['hooks'])
    expect(gw.registry.httpGuards.owner('hooks')).toBe('http:hooks')
  })

  it('should answer 401 to the gateway token', async () => {
    const { url } = await start()
    const res = await post(`${url}/hooks/agent`, { message: 'x' }, { authorization: `Bearer ${GATEWAY_TOKEN}` })
    expect(res).toEqual({ status: 401, body: { ok: false, error: 'Unauthorized', code: 'HTTP_ERR_UNAUTHORIZED' } })
  })

  it('should answer other methods with 405 Allow: POST', async () => {
    const { url } = await start()
    const res = await fetch(`${url}/hooks/agent`, { headers: { authorization: `Bearer ${HOOKS_TOKEN}` } })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
  })

  it('should serve under hooks.path', async () => {
    const { url } = await start({ hooks: { path: '/in/' } })
    expect((await post(`${url}/in/wake`, { text: 'x', mode: 'next-heartbeat' })).status).toBe(200)
    expect((await post(`${url}/hooks/wake`, { text: 'x', mode: 'next-heartbeat' })).status).toBe(404)
  })
})

describe('POST /hooks/wake', () => {
  it('should answer { ok, mode: now } and run the agent on the main session', async () => {
    const provider = scriptedProvider()
    const { gw, url } = await start({ plugins: [provider.plugin] })
    expect(await post(`${url}/hooks/wake`, { text: 'disk almost full' })).toEqual({ status: 200, body: { ok: true, mode: 'now' } })
    await provider.called(1)
    expect(provider.requests[0]?.messages).toContainEqual({ role: 'user', content: 'disk almost full' })
    await vi.waitFor(async () => expect((await gw.sessions.history('agent:main:main')).items.length).toBeGreaterThanOrEqual(2))
  })

  it('should record a next-heartbeat wake in its own table without running the agent', async () => {
    const provider = scriptedProvider()
    const { gw, url } = await start({ plugins: [provider.plugin] })
    expect(await post(`${url}/hooks/wake`, { text: 'later', mode: 'next-heartbeat' })).toEqual({ status: 200, body: { ok: true, mode: 'next-heartbeat' } })
    const rows = await gw.store.forOwner('http:hooks').all<{ session_key: string; text: string }>('SELECT session_key, text FROM http_hooks_wake_events')
    expect(rows).toEqual([{ session_key: 'agent:main:main', text: 'later' }])
    expect(provider.requests).toHaveLength(0)
  })

  it('should keep at most hooks.maxPendingWakeEvents next-heartbeat events per session, dropping the oldest', async () => {
    const { gw, url } = await start({ hooks: { maxPendingWakeEvents: 3 } })
    for (let i = 1; i <= 5; i++) expect((await post(`${url}/hooks/wake`, { text: `e${i}`, mode: 'next-heartbeat' })).status).toBe(200)
    const rows = await gw.store.forOwner('http:hooks').all<{ text: string }>('SELECT text FROM http_hooks_wake_events ORDER BY id')
    expect(rows.map((r) => r.text)).toEqual(['e3', 'e4', 'e5'])
  })

  it('should answer a body that is not JSON with 400 in the same { ok: false, error } shape', async () => {
    const { url } = await start()
    const res = await fetch(`${url}/hooks/wake`, { method: 'POST', headers: { authorization: `Bearer ${HOOKS_TOKEN}`, 'content-type': 'application/json' }, body: '{"text":' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ ok: false, error: expect.any(String), code: 'HTTP_ERR_INVALID_JSON' })
  })

  it('should answer 400 to an empty text or an unknown mode', async () => {
    const { url } = await start()
    const empty = await post(`${url}/hooks/wake`, { text: '  ' })
    expect(empty).toEqual({ status: 400, body: { ok: false, error: 'text: must not be empty' } })
    expect((await post(`${url}/hooks/wake`, { text: 'x', mode: 'soon' })).status).toBe(400)
  })
})

describe('POST /hooks/agent', () => {
  it('should answer { ok, runId } at once while the run goes on, in a fresh hook session', async () => {
    const provider = scriptedProvider()
    provider.hold()
    const { gw, url } = await start({ plugins: [provider.plugin] })
    const res = await post(`${url}/hooks/agent`, { message: 'new mail from Bob', name: 'gmail' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ok: true, runId: expect.stringMatching(/^run_/) })
    await provider.called(1)
    expect(provider.requests[0]?.system).toContain("webhook 'gmail'")
    provider.release()
    const result = await gw.agent.wait(res.body.runId)
    expect(result).toMatchObject({ status: 'ok', text: 'hi', agentId: 'main' })
    expect(result?.sessionKey).toMatch(/^agent:main:hook:[0-9a-f-]{36}$/)
  })

  it('should give every call its own session unless one is configured', async () => {
    const { gw, url } = await start()
    const a = await post(`${url}/hooks/agent`, { message: 'one' })
    const b = await post(`${url}/hooks/agent`, { message: 'two' })
    const [ra, rb] = await Promise.all([gw.agent.wait(a.body.runId), gw.agent.wait(b.body.runId)])
    expect(ra?.sessionKey).not.toBe(rb?.sessionKey)
    const { gw: gw2, url: url2 } = await start({ hooks: { defaultSessionKey: 'hook:ingress' } })
    const c = await post(`${url2}/hooks/agent`, { message: 'three' })
    expect((await gw2.agent.wait(c.body.runId))?.sessionKey).toBe('agent:main:hook:ingress')
  })

  it('should answer 400 { ok: false, error } to a missing message, as OpenClaw does', async () => {
    const { url } = await start()
    expect(await post(`${url}/hooks/agent`, { name: 'x' })).toEqual({ status: 400, body: { ok: false, error: expect.stringContaining('message') } })
  })

  describe('session keys', () => {
    it('should refuse a sessionKey unless hooks.allowRequestSessionKey is true', async () => {
      const { url } = await start()
      const res = await post(`${url}/hooks/agent`, { message: 'x', sessionKey: 'hook:mine' })
      expect(res.status).toBe(400)
      expect(res.body.error).toContain('hooks.allowRequestSessionKey')
    })

    it('should use an allowed sessionKey, scoped to the agent', async () => {
      const { gw, url } = await start({ hooks: { allowRequestSessionKey: true } })
      const res = await post(`${url}/hooks/agent`, { message: 'x', sessionKey: 'hook:Mine' })
      expect(res.status).toBe(200)
      expect((await gw.agent.wait(res.body.runId))?.sessionKey).toBe('agent:main:hook:mine')
    })

    it('should check the sessionKey against hooks.allowedSessionKeyPrefixes', async () => {
      const { url } = await start({ hooks: { allowRequestSessionKey: true, allowedSessionKeyPrefixes: ['hook:'] } })
      const bad = await post(`${url}/hooks/agent`, { message: 'x', sessionKey: 'other:1' })
      expect(bad.status).toBe(400)
      expect(bad.body.error).toContain('allowed prefix')
      expect((await post(`${url}/hooks/agent`, { message: 'x', sessionKey: 'hook:1' })).status).toBe(200)
      expect((await post(`${url}/hooks/agent`, { message: 'x', sessionKey: 'agent:main:hook:2' })).status).toBe(200)
    })

    it('should refuse reserved namespaces and keys of another agent', async () => {
      const { url } = await start({ hooks: { allowRequestSessionKey: true }, config: { agents: { entries: { ops: {} } } } })
      expect((await post(`${url}/hooks/agent`, { message: 'x', sessionKey: 'cron:job1' })).status).toBe(400)
      expect((await post(`${url}/hooks/agent`, { message: 'x', sessionKey: 'agent:ops:x', agentId: 'main' })).status).toBe(400)
    })
  })

  describe('agents', () => {
    it('should run the requested agent', async () => {
      const { gw, url } = await start({ config: { agents: { entries: { ops: {} } } } })
      const res = await post(`${url}/hooks/agent`, { message: 'x', agentId: 'ops' })
      expect((await gw.agent.wait(res.body.runId))?.sessionKey).toMatch(/^agent:ops:hook:/)
    })

    it('should answer 400 to an unknown agent', async () => {
      const { url } = await start()
      const res = await post(`${url}/hooks/agent`, { message: 'x', agentId: 'ghost' })
      expect(res.status).toBe(400)
      expect(res.body.error).toContain("Agent 'ghost' is not configured")
    })

    it('should answer 400 to an agent outside hooks.allowedAgentIds', async () => {
      const { url } = await start({ hooks: { allowedAgentIds: ['ops'] }, config: { agents: { entries: { ops: {} } } } })
      const res = await post(`${url}/hooks/agent`, { message: 'x' })
      expect(res.status).toBe(400)
      expect(res.body.error).toContain('hooks.allowedAgentIds')
      expect((await post(`${url}/hooks/agent`, { message: 'x', agentId: 'ops' })).status).toBe(200)
    })
  })

  describe('delivery', () => {
    it('should answer 400 naming a channel that is not installed', async () => {
      const { url } = await start()
      const res = await post(`${url}/hooks/agent`, { message: 'x', deliver: true, channel: 'telegram', to: '42' })
      expect(res.status).toBe(400)
      expect(res.body.error).toContain("Channel 'telegram' is not installed")
    })

    it('should answer 400 to deliver without a destination', async () => {
      const { url } = await start()
      expect((await post(`${url}/hooks/agent`, { message: 'x', deliver: true, channel: 'memory' })).status).toBe(400)
    })

    it('should deliver the reply to the channel', async () => {
      const channel = new InMemoryChannel()
      const provider = scriptedProvider()
      const { url } = await start({ plugins: [provider.plugin, channel.plugin] })
      const res = await post(`${url}/hooks/agent`, { message: 'x', deliver: true, channel: 'memory', to: 'room-1' })
      expect(res.status).toBe(200)
      await channel.waitForDeliveries(1)
      expect(channel.delivered[0]).toMatchObject({ channel: 'memory', to: 'room-1', text: 'hi' })
    })
  })
})

describe('startHookRun', () => {
  it('answers with the run id at once, even while the session is busy, and the run follows', async () => {
    const provider = scriptedProvider()
    provider.hold()
    const { gw } = await start({ plugins: [provider.plugin] })
    const busy = gw.agent.run({ sessionKey: 'hook:busy', message: 'first' })
    await provider.called(1)
    const log = { warn: vi.fn(), error: vi.fn(), debug: vi.fn() }
    const runId = await startHookRun(gw, { sessionKey: 'hook:busy', message: 'second' }, log as never)
    expect(runId).toMatch(/^run_/)
    provider.release()
    await busy
    const result = await gw.agent.wait(runId)
    expect(result?.status).toBe('ok')
    expect(provider.requests).toHaveLength(2)
  })
})
