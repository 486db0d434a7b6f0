import type { ModelRequest, ModelStreamEvent } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOpenAiProvider, type OpenAiProviderOptions } from './openai-provider.js'

const API_KEY = 'sk-test-secret-key-0123456789'

let server: ScriptedModelServer

beforeEach(async () => {
  server = await createScriptedModelServer()
})

afterEach(async () => {
  await server.close()
})

function provider(options: Partial<OpenAiProviderOptions> = {}) {
  return createOpenAiProvider({ id: 'openai', baseUrl: server.baseUrl, apiKey: API_KEY, retryBaseDelayMs: 10, ...options })
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'gpt-test',
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [],
    signal: new AbortController().signal,
    ...overrides,
  }
}

async function collect(events: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const out: ModelStreamEvent[] = []
  for await (const event of events) out.push(event)
  return out
}

/** The error `stream()` rejects with, and how long that took. */
async function failure(events: AsyncIterable<ModelStreamEvent>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now()
  try {
    await collect(events)
  } catch (error) {
    return { error, ms: Date.now() - started }
  }
  throw new Error('expected the stream to fail')
}

describe('createOpenAiProvider', () => {
  describe('streaming', () => {
    it('should stream text deltas, then usage, then finish', async () => {
      server.reply({ text: 'Hello brave new world', usage: { input: 12, output: 5 } })
      const events = await collect(provider().stream(request()))
      const text = events.flatMap((e) => (e.type === 'text' ? [e.delta] : []))
      expect(text.length).toBeGreaterThan(1)
      expect(text.join('')).toBe('Hello brave new world')
      expect(events.slice(-2)).toEqual([
        { type: 'usage', usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 } },
        { type: 'finish', reason: 'stop' },
      ])
    })

    it('should send a streaming Chat Completions request with the bearer key', async () => {
      await collect(provider({ headers: { 'OpenAI-Organization': 'org-1' } }).stream(request()))
      const [recorded] = server.requests
      expect(recorded).toMatchObject({ method: 'POST', path: '/v1/chat/completions', format: 'openai' })
      expect(recorded?.headers.authorization).toBe(`Bearer ${API_KEY}`)
      expect(recorded?.headers['openai-organization']).toBe('org-1')
      expect(recorded?.body).toEqual({
        model: 'gpt-test',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
        ],
        stream: true,
        stream_options: { include_usage: true },
      })
    })

    it('should yield text as it arrives, before the response ends', async () => {
      server.reply({ text: 'one two three four', chunkDelayMs: 30 })
      for await (const event of provider().stream(request())) {
        expect(event).toEqual({ type: 'text', delta: 'one ' })
        expect(server.inFlight).toBe(1)
        break
      }
      // Stopping early cancels the HTTP request.
      await expect.poll(() => server.inFlight).toBe(0)
    })

    it('should join a tool call split across deltas and parse its arguments', async () => {
      server.reply({
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', units: 'metric', days: [1, 2, 3] } },
          { id: 'call_2', name: 'raw', arguments: 'not { json' },
        ],
      })
      const events = await collect(provider().stream(request({ tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }] })))
      expect(events.filter((e) => e.type === 'tool_call')).toEqual([
        { type: 'tool_call', call: { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', units: 'metric', days: [1, 2, 3] } } },
        { type: 'tool_call', call: { id: 'call_2', name: 'raw', arguments: 'not { json' } },
      ])
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' })
    })

    it('should list the configured models', () => {
      expect(provider({ models: ['gpt-4o', 'gpt-4o-mini'] }).models).toEqual(['gpt-4o', 'gpt-4o-mini'])
      expect(provider().id).toBe('openai')
    })

    it('should read a function apiKey on every request', async () => {
      let key = 'sk-first-key-000000'
      const p = provider({ apiKey: () => key })
      await collect(p.stream(request()))
      key = 'sk-second-key-00000'
      await collect(p.stream(request()))
      expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer sk-first-key-000000', 'Bearer sk-second-key-00000'])
    })
  })

  describe('retries', () => {
    it('should retry a 429 after the Retry-After it asks for, then succeed', async () => {
      server.fail({ status: 429, headers: { 'retry-after-ms': '50' } }).reply({ text: 'done' })
      const started = Date.now()
      // A backoff this long would time the test out: only Retry-After can make it pass.
      const events = await collect(provider({ retryBaseDelayMs: 30_000 }).stream(request()))
      const elapsed = Date.now() - started
      expect(events.filter((e) => e.type === 'text').map((e) => (e.type === 'text' ? e.delta : '')).join('')).toBe('done')
      expect(server.requests).toHaveLength(2)
      expect(elapsed).toBeGreaterThanOrEqual(45)
      expect(elapsed).toBeLessThan(2000)
    })

    it('should honour a Retry-After in seconds', async () => {
      server.fail({ status: 429, headers: { 'retry-after': '0' } }).reply({ text: 'done' })
      await collect(provider({ retryBaseDelayMs: 30_000 }).stream(request()))
      expect(server.requests).toHaveLength(2)
    })

    it('should retry a 500 with backoff', async () => {
      server.fail({ status: 500, times: 2 }).reply({ text: 'recovered' })
      const events = await collect(provider().stream(request()))
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
      expect(server.requests).toHaveLength(3)
    })

    it('should give up after maxRetries with OPENAI_ERR_UPSTREAM and the upstream status', async () => {
      server.fail({ status: 503, times: 5 })
      const { error } = await failure(provider({ maxRetries: 2 }).stream(request()))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_UPSTREAM', statusCode: 502, upstreamStatus: 503, provider: 'openai', retryable: true })
      expect(server.requests).toHaveLength(3)
    })

    it('should throw OPENAI_ERR_RATE_LIMITED when 429s outlast the retries', async () => {
      server.fail({ status: 429, headers: { 'retry-after-ms': '5' }, times: 3 })
      const { error } = await failure(provider({ maxRetries: 1 }).stream(request()))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_RATE_LIMITED', upstreamStatus: 429, retryAfterMs: 5 })
      expect(server.requests).toHaveLength(2)
    })

    it('should not wait for a Retry-After longer than maxRetryAfterMs', async () => {
      server.fail({ status: 429, headers: { 'retry-after': '3600' } })
      const { error, ms } = await failure(provider({ maxRetryAfterMs: 1000 }).stream(request()))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_RATE_LIMITED', retryAfterMs: 3_600_000 })
      expect(ms).toBeLessThan(500)
    })

    it('should not retry once output was yielded', async () => {
      server.reply({ text: 'partial answer that is cut short', chunkDelayMs: 40 })
      const seen: ModelStreamEvent[] = []
      const { error } = await failure(
        (async function* () {
          for await (const event of provider().stream(request())) {
            seen.push(event)
            if (seen.length === 1) void server.close()
            yield event
          }
        })(),
      )
      expect(seen.length).toBeGreaterThan(0)
      expect(error).toMatchObject({ code: 'OPENAI_ERR_UPSTREAM' })
      expect(server.requests).toHaveLength(1)
    })
  })

  describe('errors', () => {
    it('should throw OPENAI_ERR_AUTH on 401 without retrying, and never leak the key', async () => {
      server.fail({ status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid_request_error' } } })
      const { error } = await failure(provider().stream(request()))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_AUTH', statusCode: 502, upstreamStatus: 401, retryable: false })
      expect((error as Error).message).toContain('Incorrect API key provided')
      expect((error as Error).message).not.toContain(API_KEY)
      expect(JSON.stringify(error)).not.toContain(API_KEY)
      expect(server.requests).toHaveLength(1)
    })

    it('should throw OPENAI_ERR_AUTH on 403', async () => {
      server.fail({ status: 403 })
      await expect(collect(provider().stream(request()))).rejects.toMatchObject({ code: 'OPENAI_ERR_AUTH', upstreamStatus: 403 })
    })

    it('should throw OPENAI_ERR_BAD_REQUEST with the upstream message on another 4xx, without retrying', async () => {
      server.fail({ status: 404, body: { error: { message: 'The model `gpt-nope` does not exist' } } })
      const { error } = await failure(provider().stream(request({ model: 'gpt-nope' })))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_BAD_REQUEST', upstreamStatus: 404 })
      expect((error as Error).message).toContain('The model `gpt-nope` does not exist')
      expect(server.requests).toHaveLength(1)
    })

    it('should throw OPENAI_ERR_UNREACHABLE when nothing listens, after retrying', async () => {
      const down = await createScriptedModelServer()
      await down.close()
      const { error } = await failure(provider({ baseUrl: down.baseUrl, maxRetries: 2 }).stream(request()))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_UNREACHABLE', statusCode: 503, upstreamStatus: undefined, retryable: true })
      expect((error as Error).message).toContain('ECONNREFUSED')
      expect((error as Error).message).toContain(new URL(down.url).origin)
    })

    it('should time out an attempt after timeoutMs without data', async () => {
      server.hang()
      const { error, ms } = await failure(provider({ timeoutMs: 50, maxRetries: 0 }).stream(request()))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_TIMEOUT', statusCode: 504 })
      expect(ms).toBeLessThan(1000)
      await expect.poll(() => server.inFlight).toBe(0)
    })

    it('should retry an attempt that timed out before any output', async () => {
      server.hang().reply({ text: 'second try' })
      const events = await collect(provider({ timeoutMs: 50 }).stream(request()))
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
      expect(server.requests).toHaveLength(2)
    })
  })

  describe('abort and deadline', () => {
    it('should stop at once when the signal aborts while waiting for the provider', async () => {
      server.hang()
      const controller = new AbortController()
      const reason = new Error('run aborted')
      const pending = failure(provider().stream(request({ signal: controller.signal })))
      await expect.poll(() => server.inFlight).toBe(1)
      const aborted = Date.now()
      controller.abort(reason)
      const { error } = await pending
      expect(error).toBe(reason)
      expect(Date.now() - aborted).toBeLessThan(200)
      await expect.poll(() => server.inFlight).toBe(0)
      expect(server.requests).toHaveLength(1)
    })

    it('should stop mid-stream when the signal aborts', async () => {
      server.reply({ text: 'a long and slow answer with many words', chunkDelayMs: 30 })
      const controller = new AbortController()
      const seen: ModelStreamEvent[] = []
      const { error } = await failure(
        (async function* () {
          for await (const event of provider().stream(request({ signal: controller.signal }))) {
            seen.push(event)
            controller.abort()
            yield event
          }
        })(),
      )
      expect(seen).toHaveLength(1)
      expect((error as Error).name).toBe('AbortError')
      await expect.poll(() => server.inFlight).toBe(0)
    })

    it('should stop at once when the signal aborts during a retry wait', async () => {
      server.fail({ status: 429, headers: { 'retry-after-ms': '10000' } })
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 50)
      const { error, ms } = await failure(provider().stream(request({ signal: controller.signal })))
      expect((error as Error).name).toBe('AbortError')
      expect(ms).toBeLessThan(1000)
      expect(server.requests).toHaveLength(1)
    })

    it('should not start when the signal is already aborted', async () => {
      const controller = new AbortController()
      controller.abort()
      await expect(collect(provider().stream(request({ signal: controller.signal })))).rejects.toMatchObject({ name: 'AbortError' })
      expect(server.requests).toHaveLength(0)
    })

    it('should not retry past the deadline', async () => {
      server.fail({ status: 429, headers: { 'retry-after-ms': '500' } }).reply({ text: 'too late' })
      const { error, ms } = await failure(provider().stream(request({ deadline: Date.now() + 200 })))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_RATE_LIMITED' })
      expect(ms).toBeLessThan(150)
      expect(server.requests).toHaveLength(1)
    })

    it('should give up with OPENAI_ERR_TIMEOUT when the deadline passes while waiting', async () => {
      server.hang()
      const { error, ms } = await failure(provider().stream(request({ deadline: Date.now() + 100 })))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_TIMEOUT', retryable: false })
      expect(ms).toBeGreaterThanOrEqual(90)
      expect(ms).toBeLessThan(1000)
      await expect.poll(() => server.inFlight).toBe(0)
    })

    it('should fail at once when the deadline already passed', async () => {
      await expect(collect(provider().stream(request({ deadline: Date.now() - 1 })))).rejects.toMatchObject({ code: 'OPENAI_ERR_TIMEOUT' })
      expect(server.requests).toHaveLength(0)
    })
  })
})
