import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createScriptedModelServer, lastUserText, type ScriptedModelServer } from './scripted-model-server.js'

let server: ScriptedModelServer

beforeEach(async () => {
  server = await createScriptedModelServer()
})

afterEach(async () => {
  await server.close()
})

function post(path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  })
}

/** The `data:` payloads of an SSE body, with their `event:` names. */
async function sse(response: Response): Promise<{ event: string | undefined; data: string }[]> {
  const text = await response.text()
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n')
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7)
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')
      return { event, data }
    })
}

describe('createScriptedModelServer', () => {
  it('should listen on 127.0.0.1 with an OpenAI base URL under /v1', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.baseUrl).toBe(`${server.url}/v1`)
  })

  describe('OpenAI Chat Completions', () => {
    it('should answer a non-streaming request with a chat.completion', async () => {
      server.reply({ text: 'hello there', usage: { input: 7, output: 3 } })
      const response = await post('/v1/chat/completions', { model: 'gpt-x', messages: [{ role: 'user', content: 'hi' }] })
      expect(response.status).toBe(200)
      const body = (await response.json()) as Record<string, unknown>
      expect(body).toMatchObject({
        object: 'chat.completion',
        model: 'gpt-x',
        choices: [{ index: 0, message: { role: 'assistant', content: 'hello there' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
      })
    })

    it('should answer tool calls non-streaming with content null and finish_reason tool_calls', async () => {
      server.reply({ toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { q: 'x' } }] })
      const body = (await (await post('/v1/chat/completions', { model: 'm', messages: [] })).json()) as {
        choices: { message: { content: unknown; tool_calls: unknown[] }; finish_reason: string }[]
      }
      expect(body.choices[0]?.message.content).toBeNull()
      expect(body.choices[0]?.message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }])
      expect(body.choices[0]?.finish_reason).toBe('tool_calls')
    })

    it('should stream a role chunk, content deltas, a finish chunk, a usage chunk and [DONE]', async () => {
      server.reply({ text: 'one two three', usage: { input: 5, output: 4 } })
      const response = await post('/v1/chat/completions', { model: 'm', messages: [], stream: true, stream_options: { include_usage: true } })
      expect(response.headers.get('content-type')).toBe('text/event-stream')
      const events = await sse(response)
      expect(events.at(-1)?.data).toBe('[DONE]')
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data) as { object: string; choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[]; usage: unknown })
      expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true)
      expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
      const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
      expect(text).toBe('one two three')
      expect(chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '').length).toBeGreaterThan(1)
      expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop')
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 } })
    })

    it('should leave the usage chunk out unless stream_options.include_usage is true', async () => {
      const events = await sse(await post('/v1/chat/completions', { model: 'm', messages: [], stream: true }))
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data) as { choices: unknown[]; usage?: unknown })
      expect(chunks.some((c) => c.choices.length === 0)).toBe(false)
      expect(chunks.some((c) => 'usage' in c)).toBe(false)
    })

    it('should split streamed tool calls: id and name first, then the arguments in pieces, by index', async () => {
      server.reply({ toolCalls: [{ id: 'call_a', name: 'search', arguments: { query: 'weather in Paris' } }, { name: 'noop', arguments: '{}' }] })
      const events = await sse(await post('/v1/chat/completions', { model: 'm', messages: [], stream: true }))
      type Delta = { index: number; id?: string; function: { name?: string; arguments?: string } }
      const deltas = events
        .slice(0, -1)
        .flatMap((e) => (JSON.parse(e.data) as { choices: { delta: { tool_calls?: Delta[] } }[] }).choices[0]?.delta.tool_calls ?? [])
      const first = deltas.filter((d) => d.index === 0)
      expect(first[0]).toMatchObject({ id: 'call_a', function: { name: 'search', arguments: '' } })
      expect(first.length).toBeGreaterThan(2)
      expect(first.slice(1).every((d) => d.id === undefined)).toBe(true)
      expect(JSON.parse(first.map((d) => d.function.arguments ?? '').join(''))).toEqual({ query: 'weather in Paris' })
      const second = deltas.filter((d) => d.index === 1)
      expect(second[0]?.id).toMatch(/^call_/)
      expect(second.map((d) => d.function.arguments ?? '').join('')).toBe('{}')
    })

    it('should list models on GET /v1/models', async () => {
      const local = await createScriptedModelServer({ models: ['a', 'b'] })
      try {
        const body = (await (await fetch(`${local.baseUrl}/models`)).json()) as { data: { id: string }[] }
        expect(body.data.map((m) => m.id)).toEqual(['a', 'b'])
      } finally {
        await local.close()
      }
    })
  })

  describe('Anthropic Messages', () => {
    it('should answer a non-streaming request with text and tool_use blocks', async () => {
      server.reply({ text: 'let me look', toolCalls: [{ id: 'toolu_1', name: 'lookup', arguments: { q: 1 } }], usage: { input: 10, output: 6 } })
      const body = await (await post('/v1/messages', { model: 'claude-x', max_tokens: 10, messages: [] })).json()
      expect(body).toMatchObject({
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content: [
          { type: 'text', text: 'let me look' },
          { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 1 } },
        ],
        stop_reason: 'tool_use',
        usage: { input_tokens: 10, output_tokens: 6 },
      })
    })

    it('should answer end_turn for a text-only reply', async () => {
      const body = (await (await post('/v1/messages', { model: 'c', messages: [] })).json()) as { stop_reason: string; content: unknown[] }
      expect(body.stop_reason).toBe('end_turn')
      expect(body.content).toEqual([{ type: 'text', text: 'ok' }])
    })

    it('should stream message_start, blocks with text_delta and input_json_delta, message_delta and message_stop', async () => {
      server.reply({ text: 'hi you', toolCalls: [{ id: 'toolu_9', name: 'calc', arguments: { a: 1, b: 22 } }], usage: { input: 3, output: 8 } })
      const events = await sse(await post('/v1/messages', { model: 'c', messages: [], stream: true }))
      const names = events.map((e) => e.event)
      expect(names[0]).toBe('message_start')
      expect(names.at(-2)).toBe('message_delta')
      expect(names.at(-1)).toBe('message_stop')
      const parsed = events.map((e) => JSON.parse(e.data) as Record<string, unknown> & { type: string; index?: number; delta?: Record<string, unknown> })
      expect(parsed.every((p, i) => p.type === names[i])).toBe(true)
      const text = parsed.filter((p) => p.delta?.type === 'text_delta').map((p) => p.delta?.text).join('')
      expect(text).toBe('hi you')
      const toolStart = parsed.find((p) => p.type === 'content_block_start' && (p.content_block as { type: string }).type === 'tool_use')
      expect(toolStart).toMatchObject({ index: 1, content_block: { type: 'tool_use', id: 'toolu_9', name: 'calc', input: {} } })
      const json = parsed.filter((p) => p.delta?.type === 'input_json_delta')
      expect(json.length).toBeGreaterThan(1)
      expect(JSON.parse(json.map((p) => p.delta?.partial_json).join(''))).toEqual({ a: 1, b: 22 })
      expect(parsed.filter((p) => p.type === 'content_block_stop').map((p) => p.index)).toEqual([0, 1])
      expect(parsed.at(-2)).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 8 } })
      expect(parsed[0]).toMatchObject({ message: { usage: { input_tokens: 3 } } })
    })

    it('should stream a thinking block before the text when the reply has thinking', async () => {
      server.reply({ thinking: 'hmm', text: 'done' })
      const events = await sse(await post('/v1/messages', { model: 'c', messages: [], stream: true }))
      const deltas = events.map((e) => (JSON.parse(e.data) as { delta?: { type: string } }).delta?.type).filter(Boolean)
      expect(deltas).toEqual(['thinking_delta', 'signature_delta', 'text_delta'])
    })
  })

  describe('scripted steps', () => {
    it('should consume queued steps one per request, in order, then fall back to defaultText', async () => {
      server.reply({ text: 'first' }).reply({ text: 'second' })
      const texts: string[] = []
      for (let i = 0; i < 3; i++) {
        const body = (await (await post('/v1/messages', { model: 'c', messages: [] })).json()) as { content: { text: string }[] }
        texts.push(body.content[0]?.text ?? '')
      }
      expect(texts).toEqual(['first', 'second', 'ok'])
    })

    it('should use the defaultText option when the queue is empty', async () => {
      const local = await createScriptedModelServer({ defaultText: 'fallback' })
      try {
        const body = (await (await fetch(`${local.baseUrl}/chat/completions`, { method: 'POST', body: '{"model":"m","messages":[]}' })).json()) as {
          choices: { message: { content: string } }[]
        }
        expect(body.choices[0]?.message.content).toBe('fallback')
      } finally {
        await local.close()
      }
    })

    it('should answer a failure with its status, headers and a format-specific error body, `times` times', async () => {
      server.fail({ status: 429, headers: { 'retry-after-ms': '50' }, times: 2 })
      const a = await post('/v1/chat/completions', { model: 'm', messages: [] })
      const b = await post('/v1/messages', { model: 'c', messages: [] })
      const c = await post('/v1/messages', { model: 'c', messages: [] })
      expect([a.status, b.status, c.status]).toEqual([429, 429, 200])
      expect(a.headers.get('retry-after-ms')).toBe('50')
      expect(await a.json()).toMatchObject({ error: { type: 'rate_limit_exceeded' } })
      expect(await b.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
      await c.arrayBuffer()
    })

    it('should send a custom failure body as-is', async () => {
      server.fail({ status: 401, body: { error: { message: 'bad key' } } })
      const response = await post('/v1/chat/completions', { model: 'm', messages: [] })
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({ error: { message: 'bad key' } })
    })

    it('should use the replyWith fallback when the queue is empty', async () => {
      server.replyWith((request) => (request.format === 'anthropic' ? { type: 'fail', status: 500 } : { text: `echo ${request.path}` }))
      const a = await post('/v1/messages', { model: 'c', messages: [] })
      const b = (await (await post('/v1/chat/completions', { model: 'm', messages: [] })).json()) as { choices: { message: { content: string } }[] }
      expect(a.status).toBe(500)
      await a.arrayBuffer()
      expect(b.choices[0]?.message.content).toBe('echo /v1/chat/completions')
    })

    it('should wait delayMs before answering', async () => {
      server.reply({ text: 'late', delayMs: 60 })
      const started = Date.now()
      await (await post('/v1/messages', { model: 'c', messages: [] })).json()
      expect(Date.now() - started).toBeGreaterThanOrEqual(50)
    })

    it('should space streamed events by chunkDelayMs', async () => {
      server.reply({ text: 'a b c', chunkDelayMs: 15 })
      const started = Date.now()
      await sse(await post('/v1/chat/completions', { model: 'm', messages: [], stream: true }))
      // role + 3 deltas + finish = 5 events
      expect(Date.now() - started).toBeGreaterThanOrEqual(60)
    })

    it('should hang until the client aborts, without unhandled errors, and keep serving', async () => {
      server.hang()
      const controller = new AbortController()
      const pending = post('/v1/chat/completions', { model: 'm', messages: [] }, { signal: controller.signal })
      await expect.poll(() => server.inFlight).toBe(1)
      controller.abort()
      await expect(pending).rejects.toThrow()
      await expect.poll(() => server.inFlight).toBe(0)
      const next = await post('/v1/chat/completions', { model: 'm', messages: [] })
      expect(next.status).toBe(200)
      await next.arrayBuffer()
    })

    it('should stop streaming cleanly when the client aborts mid-stream', async () => {
      server.reply({ text: 'many words in this slow reply', chunkDelayMs: 20 })
      const controller = new AbortController()
      const response = await post('/v1/messages', { model: 'c', messages: [], stream: true }, { signal: controller.signal })
      const reader = response.body!.getReader()
      await reader.read()
      controller.abort()
      await expect(reader.read()).rejects.toThrow()
      await expect.poll(() => server.inFlight).toBe(0)
    })

    it('should end hanging requests on close()', async () => {
      server.hang()
      const pending = post('/v1/messages', { model: 'c', messages: [] })
      await expect.poll(() => server.inFlight).toBe(1)
      await server.close()
      await expect(pending).rejects.toThrow()
    })
  })

  describe('record', () => {
    it('should record path, method, headers, parsed body, format and time of every request', async () => {
      const before = Date.now()
      await (await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] }, { headers: { authorization: 'Bearer k', 'content-type': 'application/json' } })).arrayBuffer()
      await (await post('/v1/messages', { model: 'c', messages: [] }, { headers: { 'x-api-key': 'k2', 'content-type': 'application/json' } })).arrayBuffer()
      await (await fetch(`${server.baseUrl}/models`)).arrayBuffer()
      expect(server.requests).toHaveLength(3)
      const [a, b, c] = server.requests
      expect(a).toMatchObject({ path: '/v1/chat/completions', method: 'POST', format: 'openai', body: { model: 'm', messages: [{ role: 'user', content: 'x' }] } })
      expect(a?.headers.authorization).toBe('Bearer k')
      expect(a?.at).toBeGreaterThanOrEqual(before)
      expect(b).toMatchObject({ path: '/v1/messages', format: 'anthropic' })
      expect(b?.headers['x-api-key']).toBe('k2')
      expect(c).toMatchObject({ path: '/v1/models', method: 'GET', format: 'openai', body: undefined })
    })

    it('should answer 404 on unknown paths and still record them', async () => {
      const response = await post('/v2/unknown', {})
      expect(response.status).toBe(404)
      await response.arrayBuffer()
      expect(server.requests.map((r) => r.path)).toEqual(['/v2/unknown'])
    })

    it('should forget steps, fallback and requests on reset()', async () => {
      server.reply({ text: 'queued' }).replyWith(() => ({ text: 'fn' }))
      await (await post('/v1/messages', { model: 'c', messages: [] })).arrayBuffer()
      server.reset()
      expect(server.requests).toHaveLength(0)
      const body = (await (await post('/v1/messages', { model: 'c', messages: [] })).json()) as { content: { text: string }[] }
      expect(body.content[0]?.text).toBe('ok')
    })
  })
})

describe('lastUserText', () => {
  it('reads the last user message of a recorded request: its string, else its content parts as JSON', () => {
    const messages = [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'second' }, { role: 'tool', content: 'r' }]
    expect(lastUserText({ body: { messages } })).toBe('second')
    expect(lastUserText({ body: { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] } })).toBe('[{"type":"text","text":"hi"}]')
    expect(lastUserText({ body: { messages: [] } })).toBe('')
    expect(lastUserText({ body: undefined })).toBe('')
  })
})
