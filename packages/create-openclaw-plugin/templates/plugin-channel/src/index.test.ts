import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Tokens } from '@openclaw/plugin-sdk'
import { createScriptedProvider, createTestGateway, type ScriptedProvider, type TestGateway } from '@openclaw/plugin-sdk/testing'
import httpServer from '@openclaw/plugin-http-server'
import plugin, { CHANNEL_ID, INBOUND_PATH } from './index.js'

const SECRET = 'inbound-secret-0123456789'

/** A fake of the chat platform on 127.0.0.1: records every POST /send and answers with scripted statuses. */
interface FakePlatform {
  readonly url: string
  /** Every send attempt, failed ones included. */
  readonly attempts: { headers: Record<string, unknown>; body: Record<string, unknown> }[]
  /** Sends it accepted. */
  readonly sent: { chat: string; text: string }[]
  /** Statuses for the next sends (then 200). */
  readonly script: { status: number; headers?: Record<string, string> }[]
  waitForSent(count: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

async function startFakePlatform(): Promise<FakePlatform> {
  const attempts: FakePlatform['attempts'] = []
  const sent: FakePlatform['sent'] = []
  const script: FakePlatform['script'] = []
  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      const body = JSON.parse(raw) as { chat: string; text: string }
      attempts.push({ headers: req.headers, body })
      const step = script.shift() ?? { status: 200 }
      if (step.status === 200) sent.push(body)
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers }).end(JSON.stringify(step.status === 200 ? { messageId: `m${sent.length}` } : { error: 'nope' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const waitForSent = async (count: number, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs
    while (sent.length < count) {
      if (Date.now() > deadline) throw new Error(`the platform got ${sent.length} sends, expected ${count}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  return { url, attempts, sent, script, waitForSent, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

let platform: FakePlatform
let model: ScriptedProvider
let gateway: TestGateway | undefined

beforeEach(async () => {
  platform = await startFakePlatform()
  model = createScriptedProvider()
})

afterEach(async () => {
  await gateway?.stop()
  gateway = undefined
  await platform.close()
})

async function start(): Promise<TestGateway> {
  gateway = await createTestGateway({
    realClock: true, // the outbox's retry timers run on real time here
    plugins: [httpServer(), plugin(), model.plugin],
    config: {
      gateway: { port: 0, auth: { mode: 'none' } },
      channels: { [CHANNEL_ID]: { upstreamUrl: platform.url, inboundSecret: SECRET } },
    },
  })
  return gateway
}

const inbound = (gw: TestGateway, payload: object, secret = SECRET) =>
  gw.http.inject({ method: 'POST', url: INBOUND_PATH, headers: { 'x-channel-secret': secret }, payload })

describe(`channel ${CHANNEL_ID}`, () => {
  it('should accept an inbound message, run the agent and send the reply to the platform', async () => {
    model.reply({ text: 'pong' })
    const gw = await start()
    const response = await inbound(gw, { id: 'u1', chat: 'chat-1', text: 'ping', from: { id: 'user-1', name: 'Ada' } })
    expect(response.statusCode).toBe(202)
    await platform.waitForSent(1)
    expect(platform.sent[0]).toEqual({ chat: 'chat-1', text: 'pong' })
    expect(model.requests[0]?.messages.at(-1)).toMatchObject({ role: 'user', content: 'ping' })
    expect(platform.attempts[0]?.headers['idempotency-key']).toEqual(expect.any(String))
  })

  it('should take the same inbound route over a real socket', async () => {
    model.reply({ text: 'over the wire' })
    const gw = await start()
    const url = `${gw.services.resolve(Tokens.HttpServer).url}${INBOUND_PATH}`
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-channel-secret': SECRET }, body: JSON.stringify({ id: 'u2', chat: 'c', text: 'hi' }) })
    expect(response.status).toBe(202)
    await platform.waitForSent(1)
    expect(platform.sent[0]?.text).toBe('over the wire')
  })

  it('should retry a send the platform refused with 429 and Retry-After, and deliver it once', async () => {
    platform.script.push({ status: 429, headers: { 'retry-after': '0' } }, { status: 503 })
    const gw = await start()
    await inbound(gw, { id: 'u3', chat: 'chat-3', text: 'hello' })
    await platform.waitForSent(1)
    expect(platform.attempts).toHaveLength(3)
    expect(new Set(platform.attempts.map((a) => a.headers['idempotency-key'])).size).toBe(1)
    expect(platform.sent).toHaveLength(1)
  })

  it('should not retry a send the platform refused for good (4xx)', async () => {
    platform.script.push({ status: 400 })
    const gw = await start()
    await inbound(gw, { id: 'u4', chat: 'chat-4', text: 'hello' })
    const deadline = Date.now() + 2_000
    while (platform.attempts.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(platform.attempts).toHaveLength(1)
    expect(platform.sent).toHaveLength(0)
  })

  it('should ignore a repeated inbound message id', async () => {
    const gw = await start()
    await inbound(gw, { id: 'same', chat: 'c', text: 'one' })
    await inbound(gw, { id: 'same', chat: 'c', text: 'one' })
    await platform.waitForSent(1)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(platform.sent).toHaveLength(1)
    expect(model.requests).toHaveLength(1)
  })

  it('should refuse inbound posts with a wrong secret or a bad body, with coded errors', async () => {
    const gw = await start()
    const wrong = await inbound(gw, { id: 'x', chat: 'c', text: 'hi' }, 'not-the-secret-at-all')
    expect(wrong.statusCode).toBe(401)
    expect(wrong.body).toContain('x-channel-secret')
    const bad = await inbound(gw, { chat: 'c' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('id')
    expect(model.requests).toHaveLength(0)
  })

  it('should declare its capabilities', async () => {
    const gw = await start()
    expect(gw.registry.channels.get(CHANNEL_ID)?.capabilities).toEqual({ text: { maxLength: 4000, format: 'plain' } })
  })
})
