import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import plugin, { PROVIDER_ID } from './index.js'

/** A fake of the model API on 127.0.0.1: answers each POST /generate with the next scripted answer. */
interface FakeApi {
  readonly url: string
  readonly requests: { path: string; headers: Record<string, unknown>; body: Record<string, unknown> }[]
  answers: { status: number; body: unknown; headers?: Record<string, string> }[]
  close(): Promise<void>
}

async function startFakeApi(): Promise<FakeApi> {
  const api: Omit<FakeApi, 'url' | 'close'> = { requests: [], answers: [] }
  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      api.requests.push({ path: req.url ?? '', headers: req.headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} })
      const answer = api.answers.shift() ?? { status: 200, body: { text: 'default answer' } }
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(api, { url: `http://127.0.0.1:${port}/v1`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) })
}

let upstream: FakeApi
let gateway: TestGateway | undefined

beforeEach(async () => {
  upstream = await startFakeApi()
})

afterEach(async () => {
  await gateway?.stop()
  gateway = undefined
  await upstream.close()
})

function start(): Promise<TestGateway> {
  return createTestGateway({
    plugins: [plugin()],
    config: {
      models: { providers: { [PROVIDER_ID]: { baseUrl: upstream.url, apiKey: 'test-key' } } },
      agents: { defaults: { model: `${PROVIDER_ID}/simple-model` } },
    },
  })
}

describe(PROVIDER_ID, () => {
  it('should answer an agent turn through the API, sending model, system prompt and messages', async () => {
    upstream.answers.push({ status: 200, body: { text: 'Hello from the API', usage: { input: 12, output: 4 } } })
    gateway = await start()
    const run = await gateway.agent.run({ message: 'hi there', sessionKey: 'agent:main:test' })
    expect(run.status).toBe('ok')
    expect(run.text).toBe('Hello from the API')
    expect(run.usage).toMatchObject({ inputTokens: 12, outputTokens: 4 })
    const sent = upstream.requests[0]!
    expect(sent.path).toBe('/v1/generate')
    expect(sent.headers.authorization).toBe('Bearer test-key')
    expect(sent.body).toMatchObject({ model: 'simple-model', messages: [{ role: 'user', content: 'hi there' }] })
    expect(typeof sent.body.system).toBe('string')
  })

  it('should fail the run with a coded error when the API answers an error status', async () => {
    upstream.answers.push({ status: 400, body: { error: 'bad request' } })
    gateway = await start()
    const run = await gateway.agent.run({ message: 'hi', sessionKey: 'agent:main:test' })
    expect(run.status).toBe('error')
    expect(run.error?.code).toBe('__ERR_PREFIX___ERR_UPSTREAM')
  })

  it('should fail the run with a coded error when the API answers a body without text', async () => {
    upstream.answers.push({ status: 200, body: { nope: true } })
    gateway = await start()
    const run = await gateway.agent.run({ message: 'hi', sessionKey: 'agent:main:test' })
    expect(run.error?.code).toBe('__ERR_PREFIX___ERR_BAD_RESPONSE')
  })

  it('should refuse a config without a valid baseUrl before anything starts', async () => {
    await expect(createTestGateway({ plugins: [plugin()], config: { models: { providers: { [PROVIDER_ID]: { baseUrl: 'not a url' } } } } })).rejects.toMatchObject({
      code: 'CORE_ERR_CONFIG_INVALID',
    })
  })
})
