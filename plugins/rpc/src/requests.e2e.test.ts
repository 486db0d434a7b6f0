import { definePlugin, defineTool } from '@openclaw/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { RpcTestClient } from '../test/rpc-test-client.js'
import { startRpcGateway, TEST_TOKEN, type RpcTestGateway } from '../test/start-rpc-gateway.js'

/** Another plugin adding RPC methods and a tool, the way any plugin does. */
const extras = definePlugin({
  id: 'tool:extras',
  version: '1.0.0',
  register(api) {
    api.rpc.method({
      name: 'extras.echo',
      params: z.strictObject({ text: z.string() }),
      handler: (params, ctx) => {
        ctx.emit('extras.echoed', { text: params.text })
        return { text: params.text, connId: ctx.connId, client: ctx.client.id }
      },
    })
    api.rpc.method({ name: 'extras.slow', handler: () => new Promise((resolve) => setTimeout(() => resolve('late'), 2000)) })
    api.rpc.method({
      name: 'extras.broken',
      handler: () => {
        throw new TypeError('boom')
      },
    })
    api.tools.register(defineTool({ name: 'echo_args', description: 'Return its arguments', parameters: z.looseObject({ action: z.string().optional() }), execute: (args) => args }))
    api.tools.register(
      defineTool({
        name: 'add',
        description: 'Add two numbers',
        parameters: z.object({ a: z.number(), b: z.number() }),
        execute: ({ a, b }) => ({ sum: a + b }),
      }),
    )
  },
})

let gw: RpcTestGateway
let client: RpcTestClient

beforeAll(async () => {
  gw = await startRpcGateway({ plugins: [extras], rpc: { maxPayload: 4096, methodTimeoutMs: 300 } })
  client = await gw.connect()
})
afterAll(async () => {
  await gw.close()
})

describe('rpc requests', () => {
  it('should answer health with ok and a timestamp', async () => {
    const res = await client.request('health', {}, 'h1')
    expect(res).toMatchObject({ type: 'res', id: 'h1', ok: true, payload: { ok: true, ts: expect.any(Number), durationMs: expect.any(Number) } })
    const probe = await client.request('health', { probe: true })
    expect(probe.payload).toMatchObject({ ok: true, agents: [{ id: 'main' }], plugins: expect.arrayContaining([{ id: 'rpc', state: 'started' }]) })
  })

  it('should answer status with versions, plugins and connection counts', async () => {
    const res = await client.request('status')
    expect(res.payload).toMatchObject({ ok: true, agents: ['main'], rpc: { connections: expect.any(Number), activeRuns: 0 } })
    expect(res.payload.rpc.connections).toBeGreaterThanOrEqual(1)
  })

  it('should answer an unknown method with INVALID_REQUEST, as OpenClaw does, naming it in details, and keep the connection usable', async () => {
    const res = await client.request('no.such.method', {})
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: 'unknown method: no.such.method', details: { code: 'RPC_ERR_METHOD_UNKNOWN', method: 'no.such.method' } } })
    const long = await client.request('x'.repeat(1000), {})
    expect((long as { error: { message: string } }).error.message).toBe(`unknown method: ${'x'.repeat(100)}…`)
    expect((await client.request('health')).ok).toBe(true)
  })

  it('should refuse an unknown params field with INVALID_REQUEST naming it', async () => {
    const res = await client.request('health', { probe: true, verbose: 1 })
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining("unknown field 'verbose'") } })
  })

  it('should refuse a mistyped or missing params field with INVALID_REQUEST naming it', async () => {
    const mistyped = await client.request('agent', { message: 42, idempotencyKey: 'k-mistyped' })
    expect(mistyped.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining("'message'"), details: { issues: [{ path: ['message'] }] } })
    const missing = await client.request('agent', { message: 'hi' })
    expect(missing.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining("'idempotencyKey'") })
  })

  it('should answer a non-JSON or malformed frame with INVALID_REQUEST and stay open', async () => {
    client.send('{not json')
    expect(await client.waitFor((f) => f.type === 'res' && f.id === null && f.error?.message === 'Invalid frame: not valid JSON')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    client.send({ type: 'req', id: 'no-method' })
    expect(await client.waitFor((f) => f.id === 'no-method')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    client.send({ type: 'bogus', id: 'b1' })
    expect(await client.waitFor((f) => f.id === 'b1')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    expect((await client.request('health')).ok).toBe(true)
  })

  it('should dispatch methods other plugins registered, with a working ctx.emit', async () => {
    const res = await client.request('extras.echo', { text: 'hi' })
    expect(res).toMatchObject({ ok: true, payload: { text: 'hi', client: 'test', connId: expect.any(String) } })
    const event = client.events('extras.echoed').at(-1)
    expect(event).toMatchObject({ payload: { text: 'hi' }, seq: expect.any(Number) })
  })

  it('should answer UNAVAILABLE, retryable, when a handler takes longer than methodTimeoutMs', async () => {
    const res = await client.request('extras.slow')
    expect(res).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', retryable: true, details: { code: 'RPC_ERR_METHOD_TIMEOUT' } } })
  })

  it('should answer UNAVAILABLE without leaking the message when a handler throws a plain error', async () => {
    const res = await client.request('extras.broken')
    expect(res).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: 'internal error', details: { code: 'RPC_ERR_INTERNAL' } } })
  })

  it('should number events with a per-connection seq that only grows', async () => {
    for (let i = 0; i < 3; i++) await client.request('extras.echo', { text: `n${i}` })
    const seqs = client.frames.filter((f) => f.type === 'event').map((f) => f.seq!)
    expect(seqs.length).toBeGreaterThan(3)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(seqs).size).toBe(seqs.length)
  })

  it('should apply the kernel\'s one rule for tools.invoke `action`, as /tools/invoke does', async () => {
    expect(await client.request('tools.invoke', { tool: 'echo_args', action: 'list', args: { x: 1 } })).toMatchObject({ ok: true, payload: { result: { action: 'list', x: 1 } } })
    const clash = await client.request('tools.invoke', { tool: 'echo_args', action: 'list', args: { action: 'delete' } })
    expect(clash.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'CORE_ERR_TOOL_INVALID_ARGS' } })
    expect(await client.request('tools.invoke', { tool: 'add', action: 'sum', args: { a: 1, b: 2 } })).toMatchObject({ ok: true, payload: { result: { sum: 3 } } })
  })

  it('should invoke a tool with tools.invoke, and answer INVALID_REQUEST for unknown tools and bad args, with the gateway code in details', async () => {
    expect(await client.request('tools.invoke', { tool: 'add', args: { a: 2, b: 3 } })).toMatchObject({ ok: true, payload: { ok: true, result: { sum: 5 } } })
    // Without a sessionKey, the tool runs in the main session, as over HTTP.
    expect(await client.request('tools.invoke', { tool: 'session_status', args: {} })).toMatchObject({ ok: true, payload: { result: { key: 'agent:main:main' } } })
    expect((await client.request('tools.invoke', { name: 'nope', args: {} })).error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'CORE_ERR_TOOL_UNKNOWN', method: 'tools.invoke' } })
    expect((await client.request('tools.invoke', { tool: 'add', args: { a: 'x' } })).error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'CORE_ERR_TOOL_INVALID_ARGS' } })
  })

  it('should answer INVALID_REQUEST to tools.invoke arguments nested 10 000 deep, and keep serving', async () => {
    // This suite's gateway takes 4 KiB frames at most; 20 KiB of brackets needs the default limit.
    const roomy = await startRpcGateway({ plugins: [extras] })
    try {
      const { client: c } = await RpcTestClient.connect(roomy.wsUrl, TEST_TOKEN)
      const deep = `{"type":"req","id":"deep","method":"tools.invoke","params":{"tool":"add","args":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`
      const answer = c.waitFor((f) => f.type === 'res' && f.id === 'deep')
      c.send(deep)
      expect(await answer).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('nested deeper than 64') } })
      expect(await c.request('tools.invoke', { tool: 'add', args: { a: 1, b: 1 } })).toMatchObject({ ok: true, payload: { result: { sum: 2 } } })
      await c.close()
    } finally {
      await roomy.close()
    }
  })

  it('should list, reset and delete sessions; INVALID_REQUEST (RPC_ERR_SESSION_NOT_FOUND) for a session that does not exist', async () => {
    expect((await client.request('sessions.reset', { key: 'agent:main:nope' })).error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'RPC_ERR_SESSION_NOT_FOUND' } })
    expect((await client.request('sessions.delete', { key: 'nope' })).error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('agent:main:nope') })
    expect((await client.request('sessions.list', {})).payload).toMatchObject({ sessions: expect.any(Array) })
    expect((await client.request('sessions.reset', {})).error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining("'key'") })
  })

  it('should refuse an invalid session key with INVALID_REQUEST', async () => {
    const res = await client.request('chat.history', { sessionKey: 'agent:main' })
    expect(res.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'CORE_ERR_SESSION_KEY_INVALID' } })
  })

  it('should close with 1009 when a frame is larger than maxPayload', async () => {
    const big = await gw.connect()
    big.send({ type: 'req', id: 'big', method: 'extras.echo', params: { text: 'x'.repeat(8000) } })
    expect((await big.closed).code).toBe(1009)
    expect((await client.request('health')).ok).toBe(true)
  })

  it('should refuse a binary frame with INVALID_REQUEST', async () => {
    client.ws.send(Buffer.from('{"type":"req"}'), { binary: true })
    expect(await client.waitFor((f) => f.id === null && /binary/.test(f.error?.message ?? ''))).toMatchObject({ error: { code: 'INVALID_REQUEST' } })
  })
})

describe('rpc liveness and connection limits', () => {
  let small: RpcTestGateway
  beforeAll(async () => {
    small = await startRpcGateway({ rpc: { maxConnectionsPerIp: 2, tickIntervalMs: 100 } })
  })
  afterAll(async () => {
    await small.close()
  })

  it('should send tick events every tickIntervalMs', async () => {
    const client = await small.connect()
    await client.waitFor((f) => f.event === 'tick', 2000)
    const ticks = await new Promise<number>((resolve) => setTimeout(() => resolve(client.events('tick').length), 600))
    expect(ticks).toBeGreaterThanOrEqual(2)
    expect(client.events('tick')[0]).toMatchObject({ payload: { ts: expect.any(Number) } })
    await client.close()
  })

  it('should drop a peer that stops answering pings', async () => {
    // A client that never answers pings.
    const { client } = await RpcTestClient.connect(small.wsUrl, TEST_TOKEN, {}, { autoPong: false })
    const closed = await Promise.race([client.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 2000))])
    expect(closed).not.toBe('open')
  })

  it('should refuse the upgrade with HTTP 429 past maxConnectionsPerIp', async () => {
    const a = await small.connect()
    const b = await small.connect()
    await expect(RpcTestClient.open(small.wsUrl)).rejects.toMatchObject({ statusCode: 429 })
    await a.close()
    await b.close()
    // The slots are free again once the sockets have closed.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const { client: c } = await RpcTestClient.connect(small.wsUrl, TEST_TOKEN)
    await c.close()
  })
})
