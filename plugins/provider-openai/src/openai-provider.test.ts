import { streamModelCall, type ModelRequest } from '@openclaw/plugin-sdk'
import { collectEvents, createScriptedModelServer, failureOf, type ScriptedModelServer, type ScriptedReply } from '@openclaw/plugin-sdk/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as errors from './errors.js'
import { createOpenAiProvider, type OpenAiProviderOptions } from './openai-provider.js'

// streamModelCall as it is, watched: what this provider hands it.
vi.mock(import('@openclaw/plugin-sdk'), async (importOriginal) => {
  const sdk = await importOriginal()
  return { ...sdk, streamModelCall: vi.fn(sdk.streamModelCall) }
})

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

describe('createOpenAiProvider', () => {
  describe('streaming', () => {
    it('should stream text deltas, then usage, then finish', async () => {
      server.reply({ text: 'Hello brave new world', usage: { input: 12, output: 5 } })
      const events = await collectEvents(provider().stream(request()))
      const text = events.flatMap((e) => (e.type === 'text' ? [e.delta] : []))
      expect(text.length).toBeGreaterThan(1)
      expect(text.join('')).toBe('Hello brave new world')
      expect(events.slice(-2)).toEqual([
        { type: 'usage', usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 } },
        { type: 'finish', reason: 'stop' },
      ])
    })

    it('should send a streaming Chat Completions request with the bearer key', async () => {
      await collectEvents(provider({ headers: { 'OpenAI-Organization': 'org-1' } }).stream(request()))
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

    it('should join a tool call split across deltas and parse its arguments', async () => {
      server.reply({
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', units: 'metric', days: [1, 2, 3] } },
          { id: 'call_2', name: 'raw', arguments: 'not { json' },
        ],
      })
      const events = await collectEvents(provider().stream(request({ tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }] })))
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
      await collectEvents(p.stream(request()))
      key = 'sk-second-key-00000'
      await collectEvents(p.stream(request()))
      expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer sk-first-key-000000', 'Bearer sk-second-key-00000'])
    })
  })

  describe('whole answers (stream: false)', () => {
    it('should ask for the whole answer: stream false, no stream_options, accept JSON', async () => {
      server.reply({ text: 'Hello brave new world', usage: { input: 12, output: 5 } })
      const events = await collectEvents(provider().stream(request({ stream: false })))
      expect(events).toEqual([
        { type: 'text', delta: 'Hello brave new world' },
        { type: 'usage', usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 } },
        { type: 'finish', reason: 'stop' },
      ])
      const [recorded] = server.requests
      expect(recorded?.headers.accept).toBe('application/json')
      expect(recorded?.body).toEqual({
        model: 'gpt-test',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
        ],
        stream: false,
      })
    })

    const weather = { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }
    const replies: [string, Omit<ScriptedReply, 'type'>][] = [
      ['text', { text: 'Hello brave new world', usage: { input: 12, output: 5 } }],
      [
        'tool calls',
        {
          toolCalls: [
            { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', units: 'metric', days: [1, 2, 3] } },
            { id: 'call_2', name: 'raw', arguments: 'not { json' },
          ],
          usage: { input: 30, output: 9 },
        },
      ],
      ['text and a tool call', { text: 'Let me check.', toolCalls: [{ id: 'call_3', name: 'get_weather', arguments: { city: 'Rome' } }], usage: { input: 20, output: 8 } }],
      ['a length finish', { text: 'Cut', finishReason: 'length', usage: { input: 7, output: 1 } }],
    ]

    it.each(replies)('should yield the same events as the stream for %s, the text as one event', async (_name, reply) => {
      server.reply(reply).reply(reply)
      const streamed = await collectEvents(provider().stream(request({ tools: [weather] })))
      const whole = await collectEvents(provider().stream(request({ tools: [weather], stream: false })))
      const text = streamed.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('')
      expect(whole).toEqual([...(text === '' ? [] : [{ type: 'text', delta: text }]), ...streamed.filter((e) => e.type !== 'text')])
      expect(whole.at(-1)?.type).toBe('finish')
    })

    it('should read a JSON answer to a streaming request (a server that ignores stream: true)', async () => {
      const completion = { object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Whole anyway' }, finish_reason: 'stop' }] }
      server.fail({ status: 200, body: completion })
      expect(await collectEvents(provider().stream(request()))).toEqual([
        { type: 'text', delta: 'Whole anyway' },
        { type: 'finish', reason: 'stop' },
      ])
      expect(server.requests[0]?.body).toMatchObject({ stream: true })
    })

    it('should throw OPENAI_ERR_UPSTREAM for an error object in a 2xx answer', async () => {
      server.fail({ status: 200, body: { error: { message: 'The server had an error', type: 'server_error' } } })
      const { error } = await failureOf(provider({ maxRetries: 0 }).stream(request({ stream: false })))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_UPSTREAM', provider: 'openai', upstreamStatus: undefined, retryable: true })
      expect((error as Error).message).toContain('The server had an error')
    })
  })

  // The retry loop, timeouts, aborts and error mapping are streamModelCall's (tested in the SDK): here,
  // only that this provider passes its settings, secrets and OPENAI_ERR_* codes on.
  describe('errors', () => {
    it('should hand streamModelCall its settings, secrets and OPENAI_ERR_* codes', async () => {
      await collectEvents(provider({ headers: { 'OpenAI-Organization': 'org-1' }, maxRetries: 1, timeoutMs: 2000, retryBaseDelayMs: 3, retryMaxDelayMs: 4, maxRetryAfterMs: 5 }).stream(request()))
      expect(vi.mocked(streamModelCall)).toHaveBeenLastCalledWith(
        expect.objectContaining({
          provider: 'openai',
          url: `${server.baseUrl}/chat/completions`,
          secrets: [API_KEY, 'org-1'],
          errors: { auth: errors.OPENAI_ERR_AUTH, rateLimited: errors.OPENAI_ERR_RATE_LIMITED, upstream: errors.OPENAI_ERR_UPSTREAM, badRequest: errors.OPENAI_ERR_BAD_REQUEST, unreachable: errors.OPENAI_ERR_UNREACHABLE, timeout: errors.OPENAI_ERR_TIMEOUT },
          maxRetries: 1,
          timeoutMs: 2000,
          retryBaseDelayMs: 3,
          retryMaxDelayMs: 4,
          maxRetryAfterMs: 5,
        }),
      )
    })

    it.each([
      [401, 'OPENAI_ERR_AUTH', 502, false],
      [403, 'OPENAI_ERR_AUTH', 502, false],
      [429, 'OPENAI_ERR_RATE_LIMITED', 429, true],
      [503, 'OPENAI_ERR_UPSTREAM', 502, true],
      [404, 'OPENAI_ERR_BAD_REQUEST', 502, false],
    ])('should answer HTTP %i with %s', async (status, code, statusCode, retryable) => {
      server.fail({ status })
      const { error } = await failureOf(provider({ maxRetries: 0 }).stream(request()))
      expect(error).toMatchObject({ code, statusCode, upstreamStatus: status, provider: 'openai', retryable })
      expect(server.requests).toHaveLength(1)
    })

    it('should throw OPENAI_ERR_AUTH with the upstream message, and never leak the key or a header', async () => {
      const org = 'org-secret-0123456789'
      server.fail({ status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY} for ${org}`, type: 'invalid_request_error' } } })
      const { error } = await failureOf(provider({ apiKey: () => API_KEY, headers: { 'OpenAI-Organization': org } }).stream(request()))
      expect((error as Error).message).toContain('Incorrect API key provided')
      expect(JSON.stringify(error)).not.toContain(API_KEY)
      expect((error as Error).message).not.toContain(org)
    })

    it('should throw OPENAI_ERR_UNREACHABLE when nothing listens, naming the origin', async () => {
      const down = await createScriptedModelServer()
      await down.close()
      const { error } = await failureOf(provider({ baseUrl: down.baseUrl, maxRetries: 0 }).stream(request()))
      expect(error).toMatchObject({ code: 'OPENAI_ERR_UNREACHABLE', statusCode: 503, upstreamStatus: undefined, retryable: true })
      expect((error as Error).message).toContain(new URL(down.url).origin)
    })

    it('should throw OPENAI_ERR_TIMEOUT after timeoutMs without data, or past the deadline', async () => {
      server.hang()
      await expect(collectEvents(provider({ timeoutMs: 50, maxRetries: 0 }).stream(request()))).rejects.toMatchObject({ code: 'OPENAI_ERR_TIMEOUT', statusCode: 504, retryable: true })
      await expect(collectEvents(provider().stream(request({ deadline: Date.now() - 1 })))).rejects.toMatchObject({ code: 'OPENAI_ERR_TIMEOUT', retryable: false })
    })
  })
})
