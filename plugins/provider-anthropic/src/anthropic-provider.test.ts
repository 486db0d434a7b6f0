import { streamModelCall, type ModelRequest } from '@openclaw/plugin-sdk'
import { collectEvents, createScriptedModelServer, failureOf, type ScriptedModelServer, type ScriptedReply } from '@openclaw/plugin-sdk/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as errors from './errors.js'
import { createAnthropicProvider, type AnthropicProviderOptions } from './anthropic-provider.js'

// streamModelCall as it is, watched: what this provider hands it.
vi.mock(import('@openclaw/plugin-sdk'), async (importOriginal) => {
  const sdk = await importOriginal()
  return { ...sdk, streamModelCall: vi.fn(sdk.streamModelCall) }
})

const API_KEY = 'sk-ant-test-secret-key-0123456789'

let server: ScriptedModelServer

beforeEach(async () => {
  server = await createScriptedModelServer()
})

afterEach(async () => {
  await server.close()
})

function provider(options: AnthropicProviderOptions = {}) {
  return createAnthropicProvider({ baseUrl: server.url, apiKey: API_KEY, retryBaseDelayMs: 10, ...options })
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'claude-test',
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [],
    signal: new AbortController().signal,
    ...overrides,
  }
}

describe('createAnthropicProvider', () => {
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

    it('should send a streaming Messages request with x-api-key and anthropic-version', async () => {
      await collectEvents(provider({ headers: { 'anthropic-beta': 'beta-1' } }).stream(request()))
      const [recorded] = server.requests
      expect(recorded).toMatchObject({ method: 'POST', path: '/v1/messages', format: 'anthropic' })
      expect(recorded?.headers['x-api-key']).toBe(API_KEY)
      expect(recorded?.headers['anthropic-version']).toBe('2023-06-01')
      expect(recorded?.headers['anthropic-beta']).toBe('beta-1')
      expect(recorded?.headers.authorization).toBeUndefined()
      expect(recorded?.body).toEqual({
        model: 'claude-test',
        max_tokens: 4096,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      })
    })

    it('should accept a base URL that ends in /v1, and a custom anthropic-version and maxTokens', async () => {
      await collectEvents(provider({ baseUrl: `${server.url}/v1/`, anthropicVersion: '2099-01-01', maxTokens: 64 }).stream(request()))
      expect(server.requests[0]?.path).toBe('/v1/messages')
      expect(server.requests[0]?.headers['anthropic-version']).toBe('2099-01-01')
      expect(server.requests[0]?.body).toMatchObject({ max_tokens: 64 })
    })

    it('should ask for extended thinking and read past thinking blocks', async () => {
      server.reply({ thinking: 'Let me think about it.', text: 'Answer.' })
      const events = await collectEvents(provider().stream(request({ thinking: 'low' })))
      expect(events.filter((e) => e.type === 'text').map((e) => (e.type === 'text' ? e.delta : '')).join('')).toBe('Answer.')
      expect(server.requests[0]?.body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 2048 + 4096 })
    })

    it('should not ask for thinking when the level is off', async () => {
      await collectEvents(provider().stream(request({ thinking: 'off' })))
      expect(server.requests[0]?.body).not.toHaveProperty('thinking')
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
      expect(provider({ models: ['claude-sonnet-4-5', 'claude-haiku-4-5'] }).models).toEqual(['claude-sonnet-4-5', 'claude-haiku-4-5'])
      expect(provider().id).toBe('anthropic')
      expect(provider({ id: 'claude-proxy' }).id).toBe('claude-proxy')
    })

    it('should read a function apiKey on every request', async () => {
      let key = 'sk-ant-first-000000'
      const p = provider({ apiKey: () => key })
      await collectEvents(p.stream(request()))
      key = 'sk-ant-second-00000'
      await collectEvents(p.stream(request()))
      expect(server.requests.map((r) => r.headers['x-api-key'])).toEqual(['sk-ant-first-000000', 'sk-ant-second-00000'])
    })
  })

  describe('whole answers (stream: false)', () => {
    it('should ask for the whole answer: stream false, accept JSON', async () => {
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
        model: 'claude-test',
        max_tokens: 4096,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'hi' }],
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
            // A whole answer's `input` is always an object: no raw-text arguments here.
            { id: 'call_2', name: 'now', arguments: {} },
          ],
          usage: { input: 30, output: 9 },
        },
      ],
      ['text and a tool call', { text: 'Let me check.', toolCalls: [{ id: 'call_3', name: 'get_weather', arguments: { city: 'Rome' } }], usage: { input: 20, output: 8 } }],
      ['a length finish', { text: 'Cut', finishReason: 'length', usage: { input: 7, output: 1 } }],
      ['thinking before the text', { thinking: 'Let me think about it.', text: 'Answer.', usage: { input: 9, output: 6 } }],
    ]

    it.each(replies)('should yield the same events as the stream for %s, the text as one event', async (_name, reply) => {
      server.reply(reply).reply(reply)
      const streamed = await collectEvents(provider().stream(request({ tools: [weather] })))
      const whole = await collectEvents(provider().stream(request({ tools: [weather], stream: false })))
      const text = streamed.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('')
      expect(whole).toEqual([...(text === '' ? [] : [{ type: 'text', delta: text }]), ...streamed.filter((e) => e.type !== 'text')])
      expect(whole.at(-1)?.type).toBe('finish')
    })

    it('should throw as an error event does for an error answer', async () => {
      server.fail({ status: 200, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } })
      const { error } = await failureOf(provider({ maxRetries: 0 }).stream(request({ stream: false })))
      expect(error).toMatchObject({ code: 'ANTHROPIC_ERR_UPSTREAM', provider: 'anthropic', upstreamStatus: undefined, retryable: true })
      expect((error as Error).message).toContain('Overloaded')
    })
  })

  // The retry loop, timeouts, aborts and error mapping are streamModelCall's (tested in the SDK): here,
  // only that this provider passes its settings, secrets and ANTHROPIC_ERR_* codes on.
  describe('errors', () => {
    it('should hand streamModelCall its settings, secrets and ANTHROPIC_ERR_* codes', async () => {
      await collectEvents(provider({ headers: { 'anthropic-beta': 'beta-1' }, maxRetries: 1, timeoutMs: 2000, retryBaseDelayMs: 3, retryMaxDelayMs: 4, maxRetryAfterMs: 5 }).stream(request()))
      expect(vi.mocked(streamModelCall)).toHaveBeenLastCalledWith(
        expect.objectContaining({
          provider: 'anthropic',
          url: `${server.url}/v1/messages`,
          secrets: [API_KEY, 'beta-1'],
          errors: { auth: errors.ANTHROPIC_ERR_AUTH, rateLimited: errors.ANTHROPIC_ERR_RATE_LIMITED, upstream: errors.ANTHROPIC_ERR_UPSTREAM, badRequest: errors.ANTHROPIC_ERR_BAD_REQUEST, unreachable: errors.ANTHROPIC_ERR_UNREACHABLE, timeout: errors.ANTHROPIC_ERR_TIMEOUT },
          maxRetries: 1,
          timeoutMs: 2000,
          retryBaseDelayMs: 3,
          retryMaxDelayMs: 4,
          maxRetryAfterMs: 5,
        }),
      )
    })

    it.each([
      [401, 'ANTHROPIC_ERR_AUTH', 502, false],
      [403, 'ANTHROPIC_ERR_AUTH', 502, false],
      [429, 'ANTHROPIC_ERR_RATE_LIMITED', 429, true],
      [529, 'ANTHROPIC_ERR_UPSTREAM', 502, true],
      [404, 'ANTHROPIC_ERR_BAD_REQUEST', 502, false],
    ])('should answer HTTP %i with %s', async (status, code, statusCode, retryable) => {
      server.fail({ status })
      const { error } = await failureOf(provider({ maxRetries: 0 }).stream(request()))
      expect(error).toMatchObject({ code, statusCode, upstreamStatus: status, provider: 'anthropic', retryable })
      expect(server.requests).toHaveLength(1)
    })

    it('should throw ANTHROPIC_ERR_AUTH with the message of an Anthropic error body, and never leak the key or a header', async () => {
      const beta = 'beta-secret-0123456789'
      server.fail({ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${API_KEY} with ${beta}` } } })
      const { error } = await failureOf(provider({ headers: { 'anthropic-beta': beta } }).stream(request()))
      expect((error as Error).message).toContain('invalid x-api-key')
      expect(JSON.stringify(error)).not.toContain(API_KEY)
      expect((error as Error).message).not.toContain(beta)
    })

    it('should throw ANTHROPIC_ERR_UNREACHABLE when nothing listens, naming the origin', async () => {
      const down = await createScriptedModelServer()
      await down.close()
      const { error } = await failureOf(provider({ baseUrl: down.url, maxRetries: 0 }).stream(request()))
      expect(error).toMatchObject({ code: 'ANTHROPIC_ERR_UNREACHABLE', statusCode: 503, upstreamStatus: undefined, retryable: true })
      expect((error as Error).message).toContain(new URL(down.url).origin)
    })

    it('should throw ANTHROPIC_ERR_TIMEOUT after timeoutMs without data, or past the deadline', async () => {
      server.hang()
      await expect(collectEvents(provider({ timeoutMs: 50, maxRetries: 0 }).stream(request()))).rejects.toMatchObject({ code: 'ANTHROPIC_ERR_TIMEOUT', statusCode: 504, retryable: true })
      await expect(collectEvents(provider().stream(request({ deadline: Date.now() - 1 })))).rejects.toMatchObject({ code: 'ANTHROPIC_ERR_TIMEOUT', retryable: false })
    })
  })
})
