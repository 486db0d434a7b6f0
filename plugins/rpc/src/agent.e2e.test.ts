import { definePlugin, defineTool } from '@openclaw/plugin-sdk'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { Frame, RpcTestClient } from '../test/rpc-test-client.js'
import { startRpcGateway, type RpcTestGateway } from '../test/start-rpc-gateway.js'

const calculator = definePlugin({
  id: 'tool:calculator',
  version: '1.0.0',
  register(api) {
    api.tools.register(defineTool({ name: 'add', description: 'Add two numbers', parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b }))
  },
})

let gw: RpcTestGateway

beforeAll(async () => {
  gw = await startRpcGateway({ agents: { ops: {} }, plugins: [calculator] })
})
afterAll(async () => {
  await gw.close()
})
afterEach(() => {
  gw.model.reset()
})

function modelCalls(): number {
  return gw.model.requests.filter((r) => r.path.endsWith('/chat/completions')).length
}

/** Frames of one `agent` request, in arrival order: its `res` frames and the `agent` events of its run. */
function framesOf(client: RpcTestClient, id: string, runId: string): Frame[] {
  return client.frames.filter((f) => (f.type === 'res' && f.id === id) || (f.type === 'event' && f.event === 'agent' && f.payload?.runId === runId))
}

const isFinal = (id: string) => (f: Frame) => f.type === 'res' && f.id === id && f.payload?.status !== 'accepted' && f.payload?.status !== 'in_flight'

describe('rpc agent', () => {
  it('should take OpenClaw\'s sessionId, label, extraSystemPrompt, promptMode and lane, with sessionId selecting the session by key', async () => {
    gw.model.reply({ text: 'ok' })
    const client = await gw.connect()
    client.send({
      type: 'req', id: 's1', method: 'agent',
      params: { message: 'Hi', idempotencyKey: 'sid-1', agentId: 'ops', sessionId: 'Compat-Session', label: 'cli', extraSystemPrompt: 'Answer briefly.', promptMode: 'full', lane: 'main', provider: 'openai' },
    })
    const final = await client.waitFor(isFinal('s1'))
    expect(framesOf(client, 's1', 'sid-1')[0]).toMatchObject({ ok: true, payload: { status: 'accepted', sessionKey: 'agent:ops:compat-session' } })
    expect(final).toMatchObject({ ok: true, payload: { status: 'ok' } })
    const system = (gw.model.requests[0]!.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'system')
    expect(system?.content).toContain('Answer briefly.')

    const unknown = await client.request('agent', { message: 'Hi', idempotencyKey: 'sid-2', sessionIdd: 'x' })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
  })

  it('should ack, stream agent events, then answer a final res on the same id', async () => {
    gw.model.reply({ text: 'Hello there, operator' })
    const client = await gw.connect()
    client.send({ type: 'req', id: 'a1', method: 'agent', params: { message: 'Hi', idempotencyKey: 'order-1' } })
    const final = await client.waitFor(isFinal('a1'))
    const frames = framesOf(client, 'a1', 'order-1')

    // 1. the ack, first
    expect(frames[0]).toMatchObject({ type: 'res', id: 'a1', ok: true, payload: { runId: 'order-1', status: 'accepted', sessionKey: 'agent:main:main', acceptedAt: expect.any(Number) } })
    // 2. the events: lifecycle start, assistant deltas, lifecycle end
    const events = frames.slice(1, -1)
    expect(events.map((f) => f.payload.stream)).toEqual(['lifecycle', ...events.slice(1, -1).map(() => 'assistant'), 'lifecycle'])
    expect(events[0]!.payload).toMatchObject({ runId: 'order-1', stream: 'lifecycle', data: { phase: 'start' }, ts: expect.any(Number) })
    expect(events.at(-1)!.payload).toMatchObject({ stream: 'lifecycle', data: { phase: 'end' } })
    expect(events.at(-2)!.payload.data.text).toBe('Hello there, operator')
    expect(events.map((f) => f.payload.seq)).toEqual(events.map((_, i) => i + 1))
    // 3. the final answer, last
    expect(frames.at(-1)).toBe(final)
    expect(final).toMatchObject({
      ok: true,
      payload: { runId: 'order-1', status: 'ok', summary: 'completed', result: { payloads: [{ text: 'Hello there, operator' }], meta: { durationMs: expect.any(Number), agentMeta: { agentId: 'main' } } } },
    })
    await client.close()
  })

  it('should make one model call for 10 duplicate agent requests with one key, answering each', async () => {
    gw.model.reply({ text: 'only once', chunkDelayMs: 20 })
    const client = await gw.connect()
    const ids = Array.from({ length: 10 }, (_, i) => `dup${i}`)
    for (const id of ids) client.send({ type: 'req', id, method: 'agent', params: { message: 'Once', idempotencyKey: 'dup-key' } })
    const finals = await Promise.all(ids.map((id) => client.waitFor(isFinal(id))))
    expect(modelCalls()).toBe(1)
    for (const final of finals) expect(final.payload).toMatchObject({ runId: 'dup-key', status: 'ok', result: { payloads: [{ text: 'only once' }] } })
    const acks = ids.map((id) => client.frames.find((f) => f.type === 'res' && f.id === id)!.payload.status)
    expect(acks.filter((s) => s === 'accepted')).toHaveLength(1)
    expect(acks.filter((s) => s === 'in_flight')).toHaveLength(9)

    // After the run: the stored result, still without a model call, in one answer.
    const again = await client.request('agent', { message: 'Once', idempotencyKey: 'dup-key' })
    expect(again.payload).toMatchObject({ runId: 'dup-key', status: 'ok', result: { payloads: [{ text: 'only once' }] } })
    expect(modelCalls()).toBe(1)
    await client.close()
  })

  it('should let a client that reconnects join its running run by key', async () => {
    gw.model.reply({ text: 'slow and steady wins', chunkDelayMs: 60 })
    const first = await gw.connect()
    first.send({ type: 'req', id: 'r1', method: 'agent', params: { message: 'Go', idempotencyKey: 'reconnect-key' } })
    await first.waitFor((f) => f.id === 'r1')
    first.ws.terminate()
    const second = await gw.connect()
    const ack = await second.request('agent', { message: 'Go', idempotencyKey: 'reconnect-key' }, 'r2')
    expect(ack.payload).toMatchObject({ runId: 'reconnect-key', status: 'in_flight' })
    const final = await second.waitFor(isFinal('r2'))
    expect(final.payload).toMatchObject({ status: 'ok', result: { payloads: [{ text: 'slow and steady wins' }] } })
    expect(second.events('agent').length).toBeGreaterThan(0)
    expect(modelCalls()).toBe(1)
    await second.close()
  })

  it('should wait for a run with agent.wait, by its runId', async () => {
    gw.model.reply({ text: 'waited for', chunkDelayMs: 30 })
    const client = await gw.connect()
    client.send({ type: 'req', id: 'w1', method: 'agent', params: { message: 'Wait', idempotencyKey: 'wait-key' } })
    await client.waitFor((f) => f.id === 'w1')
    const waited = await client.request('agent.wait', { runId: 'wait-key', timeoutMs: 5000 })
    expect(waited.payload).toMatchObject({ runId: 'wait-key', status: 'ok', durationMs: expect.any(Number) })
    expect((await client.request('agent.wait', { runId: 'never-ran' })).error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'RPC_ERR_RUN_UNKNOWN', method: 'agent.wait' } })
    await client.close()
  })

  it('should answer agent.wait with status timeout when the run outlasts timeoutMs, without stopping it', async () => {
    gw.model.reply({ text: 'finally done', delayMs: 400 })
    const client = await gw.connect()
    client.send({ type: 'req', id: 'w2', method: 'agent', params: { message: 'Wait', idempotencyKey: 'wait-timeout-key' } })
    await client.waitFor((f) => f.id === 'w2')
    expect((await client.request('agent.wait', { runId: 'wait-timeout-key', timeoutMs: 50 })).payload).toMatchObject({ status: 'timeout' })
    expect((await client.waitFor(isFinal('w2'))).payload).toMatchObject({ status: 'ok' })
    await client.close()
  })

  it('should refuse an unknown agent with INVALID_REQUEST', async () => {
    const client = await gw.connect()
    const res = await client.request('agent', { message: 'Hi', agentId: 'ghost', idempotencyKey: 'ghost-1' })
    expect(res.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'CORE_ERR_AGENT_UNKNOWN' } })
    await client.close()
  })

  it('should refuse an agent/session-key mismatch and an unknown channel with INVALID_REQUEST', async () => {
    const client = await gw.connect()
    const mismatch = await client.request('agent', { message: 'Hi', agentId: 'ops', sessionKey: 'agent:main:x', idempotencyKey: 'mm-1' })
    expect(mismatch.error).toMatchObject({ code: 'INVALID_REQUEST', details: { code: 'CORE_ERR_SESSION_AGENT_MISMATCH' } })
    const channel = await client.request('agent', { message: 'Hi', channel: 'pigeon', to: 'x', deliver: true, idempotencyKey: 'ch-1' })
    expect(channel.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining("'pigeon'") })
    await client.close()
  })

  it('should send tool events only to connections that declared the tool-events capability', async () => {
    // The tool call comes late enough for both connections to be subscribed by then.
    gw.model.reply({ toolCalls: [{ id: 'call_1', name: 'add', arguments: { a: 2, b: 3 } }], delayMs: 300 }).reply({ text: 'The sum is 5', chunkDelayMs: 20 })
    const withTools = await gw.connect({ caps: ['tool-events'] })
    const without = await gw.connect()
    withTools.send({ type: 'req', id: 't1', method: 'agent', params: { message: 'Add 2 and 3', idempotencyKey: 'tool-key' } })
    await withTools.waitFor((f) => f.id === 't1')
    expect((await without.request('agent', { message: 'Add 2 and 3', idempotencyKey: 'tool-key' }, 't2')).payload.status).toBe('in_flight')
    const final = await withTools.waitFor(isFinal('t1'))
    await without.waitFor(isFinal('t2'))
    expect(final.payload).toMatchObject({ status: 'ok', result: { payloads: [{ text: 'The sum is 5' }], meta: { toolSummary: { calls: 1, tools: ['add'] } } } })
    const tools = withTools.events('agent').filter((f) => f.payload.stream === 'tool')
    expect(tools.map((f) => f.payload.data)).toEqual([
      { phase: 'start', name: 'add', toolCallId: 'call_1', args: { a: 2, b: 3 } },
      { phase: 'end', name: 'add', toolCallId: 'call_1', isError: false, result: 5, durationMs: expect.any(Number) },
    ])
    expect(without.events('agent').filter((f) => f.payload.stream === 'tool')).toEqual([])
    expect(without.events('agent').filter((f) => f.payload.stream === 'assistant').length).toBeGreaterThan(0)
    await withTools.close()
    await without.close()
  })

  it('should report a failed run in the final answer with status error', async () => {
    gw.model.fail({ status: 400 })
    const client = await gw.connect()
    client.send({ type: 'req', id: 'f1', method: 'agent', params: { message: 'Fail', idempotencyKey: 'fail-key' } })
    const final = await client.waitFor(isFinal('f1'))
    expect(final).toMatchObject({ ok: true, payload: { runId: 'fail-key', status: 'error', summary: 'failed', error: { code: expect.any(String) } } })
    expect(client.events('agent').at(-1)!.payload).toMatchObject({ stream: 'lifecycle', data: { phase: 'error' } })
    await client.close()
  })
})

describe('rpc chat', () => {
  it('should answer chat.send with started, then stream chat delta and final events', async () => {
    gw.model.reply({ text: 'A chat reply in several words' })
    const client = await gw.connect()
    const ack = await client.request('chat.send', { sessionKey: 'agent:main:chat-1', message: 'Hello', idempotencyKey: 'chat-key-1' })
    expect(ack.payload).toEqual({ runId: 'chat-key-1', sessionKey: 'agent:main:chat-1', status: 'started' })
    const final = await client.waitFor((f) => f.event === 'chat' && f.payload?.state === 'final')
    expect(final.payload).toMatchObject({
      runId: 'chat-key-1', sessionKey: 'agent:main:chat-1', state: 'final',
      message: { role: 'assistant', content: [{ type: 'text', text: 'A chat reply in several words' }] },
    })
    const deltas = client.events('chat').filter((f) => f.payload.state === 'delta')
    expect(deltas.length).toBeGreaterThan(0)
    expect(deltas.map((d) => d.payload.deltaText).join('')).toBe('A chat reply in several words')
    expect(deltas.at(-1)!.payload.message.content[0].text).toBe('A chat reply in several words')
    // One seq per chat event of the run, growing: the final too.
    const seqs = client.events('chat').map((f) => f.payload.seq as number)
    expect(new Set(seqs).size).toBe(seqs.length)
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs)

    const history = await client.request('chat.history', { sessionKey: 'agent:main:chat-1' })
    expect(history.payload.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant'])
    expect(history.payload.messages[1].content[0].text).toBe('A chat reply in several words')
    await client.close()
  })

  it('should answer a duplicate chat.send with in_flight and never run it twice', async () => {
    gw.model.reply({ text: 'one chat answer', chunkDelayMs: 30 })
    const client = await gw.connect()
    const first = await client.request('chat.send', { sessionKey: 'chat-2', message: 'Hello', idempotencyKey: 'chat-key-2' })
    const second = await client.request('chat.send', { sessionKey: 'chat-2', message: 'Hello', idempotencyKey: 'chat-key-2' })
    expect(first.payload.status).toBe('started')
    expect(second.payload.status).toBe('in_flight')
    await client.waitFor((f) => f.event === 'chat' && f.payload?.state === 'final')
    const third = await client.request('chat.send', { sessionKey: 'chat-2', message: 'Hello', idempotencyKey: 'chat-key-2' })
    expect(third.payload).toMatchObject({ runId: 'chat-key-2', status: 'ok' })
    expect(modelCalls()).toBe(1)
    await client.close()
  })

  it('should abort a running chat turn with chat.abort, ending with an aborted chat event', async () => {
    gw.model.hang()
    const client = await gw.connect()
    await client.request('chat.send', { sessionKey: 'chat-3', message: 'Hang', idempotencyKey: 'chat-key-3' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    const abort = await client.request('chat.abort', { sessionKey: 'chat-3' })
    expect(abort.payload).toEqual({ ok: true, aborted: true, runIds: ['chat-key-3'] })
    const end = await client.waitFor((f) => f.event === 'chat' && f.payload?.state !== 'delta')
    expect(end.payload).toMatchObject({ runId: 'chat-key-3', state: 'aborted' })
    expect((await client.request('chat.abort', { sessionKey: 'chat-3' })).payload).toMatchObject({ aborted: false })
    await client.close()
  })

  it('should run the agent on the main session for wake', async () => {
    gw.model.reply({ text: 'awake' })
    const client = await gw.connect()
    const res = await client.request('wake', { text: 'The build finished', mode: 'now' })
    expect(res.payload).toMatchObject({ ok: true, mode: 'now', sessionKey: 'agent:main:main', runId: expect.any(String) })
    const waited = await client.request('agent.wait', { runId: res.payload.runId })
    expect(waited.payload.status).toBe('ok')
    const history = await client.request('chat.history', { sessionKey: 'main', limit: 2 })
    expect(history.payload.messages.map((m: { content: { text: string }[] }) => m.content[0]?.text)).toEqual(['The build finished', 'awake'])
    await client.close()
  })
})
