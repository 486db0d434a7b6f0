import { createHash, createHmac } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI, { type APIError } from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { modelCalls, startOpenAiGateway, TEST_TOKEN, type OpenAiTestGateway } from '../test/start-openai-gateway.js'

const WEATHER_TOOL: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
}

let gw: OpenAiTestGateway

beforeAll(async () => {
  gw = await startOpenAiGateway({ agents: { ops: {} } })
})
afterAll(async () => {
  await gw.close()
})
afterEach(() => {
  gw.model.reset()
})

describe('POST /v1/responses', () => {
  it('should give a fresh session the input\'s function_call and function_call_output items as tool calls and tool messages', async () => {
    gw.model.reply({ text: 'It is 21 degrees.' })
    const response = await gw.client.responses.create({
      model: 'openclaw',
      tools: [WEATHER_TOOL],
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: 'call_9', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_9', output: '21C' },
      ],
    })
    expect(response.output_text).toBe('It is 21 degrees.')
    const sent = modelCalls(gw.model)[0]!.messages.filter((m) => m.role !== 'system')
    expect(sent).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_9', content: '21C' },
    ])
  })

  it('should answer responses.create with a completed response object', async () => {
    gw.model.reply({ text: 'Bonjour', usage: { input: 9, output: 2 } })
    const response = await gw.client.responses.create({ model: 'openclaw', input: 'Say hello in French', instructions: 'Be terse.' })
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'openclaw',
      error: null,
      output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Bonjour', annotations: [] }] }],
      usage: { input_tokens: 9, output_tokens: 2, total_tokens: 11 },
    })
    expect(response.id).toMatch(/^resp_[0-9a-f-]{36}$/)
    expect(response.output[0]!.id).toMatch(/^msg_/)
    expect(response.output_text).toBe('Bonjour')
    const [call] = modelCalls(gw.model)
    expect(call!.messages[0]).toMatchObject({ role: 'system' })
    expect(String(call!.messages[0]!.content)).toContain('Be terse.')
    expect(call!.messages.at(-1)).toEqual({ role: 'user', content: 'Say hello in French' })
  })

  it('should accept input items: system and user messages with input_text parts', async () => {
    gw.model.reply({ text: 'ok' })
    await gw.client.responses.create({
      model: 'openclaw/ops',
      input: [
        { role: 'developer', content: 'Only lowercase.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'part one' }, { type: 'input_text', text: 'part two' }] },
      ],
    })
    const [call] = modelCalls(gw.model)
    expect(String(call!.messages[0]!.content)).toContain('Only lowercase.')
    expect(call!.messages.at(-1)).toEqual({ role: 'user', content: 'part one\npart two' })
  })

  it('should put a base64 text file into the instructions as untrusted content, and pass images on', async () => {
    gw.model.reply({ text: 'ok' })
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='
    await gw.client.responses.create({
      model: 'openclaw',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Summarise' },
            { type: 'input_file', filename: 'notes.txt', file_data: `data:text/plain;base64,${Buffer.from('the secret is 42').toString('base64')}` },
            { type: 'input_image', detail: 'auto', image_url: `data:image/png;base64,${png}` },
          ],
        },
      ],
    })
    const [call] = modelCalls(gw.model)
    const system = String(call!.messages[0]!.content)
    expect(system).toMatch(/<<<EXTERNAL_UNTRUSTED_CONTENT id="[0-9a-f]+">>>/)
    expect(system).toContain('the secret is 42')
    expect(call!.messages.at(-1)!.content).toEqual([
      { type: 'text', text: 'Summarise' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
    ])
  })

  it('should pass an inline PDF on to the model as a file part', async () => {
    gw.model.reply({ text: 'ok' })
    const pdf = Buffer.from('%PDF-1.4 tiny').toString('base64')
    await gw.client.responses.create({
      model: 'openclaw',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Read this' }, { type: 'input_file', filename: 'r.pdf', file_data: `data:application/pdf;base64,${pdf}` }] }],
    })
    expect(modelCalls(gw.model)[0]!.messages.at(-1)!.content).toEqual([
      { type: 'text', text: 'Read this' },
      { type: 'file', file: { filename: 'r.pdf', file_data: `data:application/pdf;base64,${pdf}` } },
    ])
  })

  it('should answer 400 naming the part to a file by URL, and to an image URL that is not https to a public host', async () => {
    const refused = async (part: OpenAI.Responses.ResponseInputContent) => {
      const err = (await gw.client.responses.create({ model: 'openclaw', input: [{ role: 'user', content: [{ type: 'input_text', text: 'x' }, part] }] }).catch((e: unknown) => e)) as APIError
      expect(err.status).toBe(400)
      return err.error as { param: string; message: string }
    }
    expect(await refused({ type: 'input_file', file_url: 'https://example.com/a.pdf' })).toMatchObject({ param: 'input[0].content[1]', message: expect.stringContaining('input_file by URL is not supported') })
    expect(await refused({ type: 'input_image', detail: 'auto', image_url: 'http://example.com/a.png' })).toMatchObject({ param: 'input[0].content[1]', message: expect.stringContaining('only https:// URLs') })
    for (const url of ['https://127.0.0.1/a.png', 'https://localhost/a.png', 'https://[::1]/a.png', 'https://10.0.0.8/a.png', 'https://user:pw@example.com/a.png']) {
      expect((await refused({ type: 'input_image', detail: 'auto', image_url: url })).param).toBe('input[0].content[1]')
    }
    expect(modelCalls(gw.model)).toHaveLength(0)
  })

  it('should run a turn whose user message is a text file alone', async () => {
    gw.model.reply({ text: 'It says hello.' })
    const response = await gw.client.responses.create({
      model: 'openclaw',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_file', filename: 'a.txt', file_data: `data:text/plain;base64,${Buffer.from('hello').toString('base64')}` }] }],
    })
    expect(response.output_text).toBe('It says hello.')
    const [call] = modelCalls(gw.model)
    expect(String(call!.messages[0]!.content)).toContain('hello')
    expect(call!.messages.at(-1)).toEqual({ role: 'user', content: '(a file attached: the text is in the instructions)' })
  })

  it('should serve a user outside ASCII, streaming or not, naming the session percent-encoded', async () => {
    gw.model.replyWith(() => ({ text: 'ok' }))
    const plain = await gw.client.responses.create({ model: 'openclaw', input: 'a', user: 'Zoë 🦀' }).withResponse()
    expect(plain.response.headers.get('x-openclaw-session-key')).toBe('agent:main:openresponses-user:zo%C3%AB%20%F0%9F%A6%80')
    const streamed = await gw.client.responses.create({ model: 'openclaw', input: 'b', user: 'Zoë 🦀', stream: true }).withResponse()
    for await (const _ of streamed.data);
    expect(streamed.response.headers.get('x-openclaw-session-key')).toBe(plain.response.headers.get('x-openclaw-session-key'))
    expect(modelCalls(gw.model)[1]!.messages.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual(['a', 'ok', 'b'])
  })

  it('should continue the conversation with previous_response_id', async () => {
    gw.model.reply({ text: 'Noted: blue.' }).reply({ text: 'Blue.' })
    const first = await gw.client.responses.create({ model: 'openclaw', input: 'My favourite colour is blue.' })
    const second = await gw.client.responses.create({ model: 'openclaw', input: 'What is my favourite colour?', previous_response_id: first.id })
    expect(second.previous_response_id).toBe(first.id)
    const messages = modelCalls(gw.model)[1]!.messages.filter((m) => m.role !== 'system')
    expect(messages).toEqual([
      { role: 'user', content: 'My favourite colour is blue.' },
      { role: 'assistant', content: 'Noted: blue.' },
      { role: 'user', content: 'What is my favourite colour?' },
    ])
  })

  it('should answer 404 in OpenAI\'s shape for an unknown previous_response_id', async () => {
    const unknown = await gw.client.responses.create({ model: 'openclaw', input: 'x', previous_response_id: 'resp_nope' }).catch((e: unknown) => e)
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError)
    expect((unknown as APIError).error).toEqual({ message: "Previous response with id 'resp_nope' not found.", type: 'invalid_request_error', param: 'previous_response_id', code: 'OAI_ERR_PREVIOUS_RESPONSE_NOT_FOUND' })

    gw.model.reply({ text: 'ok' })
    const first = await gw.client.responses.create({ model: 'openclaw', input: 'x' })
    const otherAgent = await gw.client.responses.create({ model: 'openclaw/ops', input: 'y', previous_response_id: first.id }).catch((e: unknown) => e)
    expect((otherAgent as APIError).error).toMatchObject({ param: 'previous_response_id', code: 'OAI_ERR_PREVIOUS_RESPONSE_MISMATCH' })
  })

  it('should bind previous_response_id to the user it was made for: another user, or none, gets 404', async () => {
    gw.model.replyWith(() => ({ text: 'ok' }))
    const ada = await gw.client.responses.create({ model: 'openclaw', input: 'secret of ada', user: 'ada' })
    for (const user of ['bob', undefined]) {
      const other = await gw.client.responses.create({ model: 'openclaw', input: 'what did ada say?', previous_response_id: ada.id, ...(user ? { user } : {}) }).catch((e: unknown) => e)
      expect(other, String(user)).toBeInstanceOf(OpenAI.NotFoundError)
      expect((other as APIError).error).toMatchObject({ param: 'previous_response_id', code: 'OAI_ERR_PREVIOUS_RESPONSE_NOT_FOUND' })
    }
    const again = await gw.client.responses.create({ model: 'openclaw', input: 'and then?', previous_response_id: ada.id, user: 'ada' })
    expect(again.status).toBe('completed')
    // A response made without user stays open to the same credential without user, not to a user.
    const anon = await gw.client.responses.create({ model: 'openclaw', input: 'x' })
    expect((await gw.client.responses.create({ model: 'openclaw', input: 'y', previous_response_id: anon.id })).status).toBe('completed')
    expect(await gw.client.responses.create({ model: 'openclaw', input: 'y', previous_response_id: anon.id, user: 'ada' }).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError)
  })

  it('should keep previous_response_id working across a gateway restart', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-openai-restart-'))
    const before = await startOpenAiGateway({ stateDir })
    let firstId: string
    try {
      before.model.reply({ text: 'Remembered: 7.' })
      firstId = (await before.client.responses.create({ model: 'openclaw', input: 'Remember 7.' })).id
    } finally {
      await before.close()
    }
    const after = await startOpenAiGateway({ stateDir })
    try {
      after.model.reply({ text: '7.' })
      const second = await after.client.responses.create({ model: 'openclaw', input: 'Which number?', previous_response_id: firstId })
      expect(second.output_text).toBe('7.')
      expect(modelCalls(after.model)[0]!.messages.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual(['Remember 7.', 'Remembered: 7.', 'Which number?'])
    } finally {
      await after.close()
    }
  })

  it('should store an HMAC of the credential under a per-install key (0600), never a plain hash of it', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-openai-subject-'))
    const g = await startOpenAiGateway({ stateDir })
    try {
      g.model.reply({ text: 'ok' })
      await g.client.responses.create({ model: 'openclaw', input: 'hi' })
      const [row] = await g.gateway.store.forOwner('http:openai').all<{ subject: string }>('SELECT subject FROM http_openai_response_sessions')
      const keyFile = join(stateDir, 'http-openai.subject.key')
      expect((statSync(keyFile).mode & 0o777).toString(8)).toBe('600')
      const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex')
      expect(row!.subject).not.toBe(createHash('sha256').update(TEST_TOKEN).digest('hex'))
      expect(row!.subject).toBe(createHmac('sha256', key).update(TEST_TOKEN).digest('hex'))
    } finally {
      await g.close()
    }
  })

  it('should return function_call items, and take function_call_output to continue', async () => {
    gw.model.reply({ toolCalls: [{ id: 'call_r1', name: 'get_weather', arguments: { city: 'Rome' } }] }).reply({ text: 'Sunny in Rome.' })
    const first = await gw.client.responses.create({ model: 'openclaw', input: 'Weather in Rome?', tools: [WEATHER_TOOL] })
    expect(first.status).toBe('completed')
    expect(first.output).toEqual([
      expect.objectContaining({ type: 'function_call', call_id: 'call_r1', name: 'get_weather', arguments: '{"city":"Rome"}', status: 'completed' }),
    ])
    expect(modelCalls(gw.model)[0]!.tools?.map((t) => t.function.name)).toContain('get_weather')

    const second = await gw.client.responses.create({
      model: 'openclaw',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'call_r1', output: '{"sky":"clear"}' }],
      tools: [WEATHER_TOOL],
    })
    expect(second.output_text).toBe('Sunny in Rome.')
    expect(modelCalls(gw.model)[1]!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_r1', content: '{"sky":"clear"}' })
  })

  it('should answer a failed run with its status and a failed response carrying the error', async () => {
    gw.model.fail({ status: 429 })
    const error = await gw.client.responses.create({ model: 'openclaw', input: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect((error as APIError).error).toMatchObject({ code: 'OPENAI_ERR_RATE_LIMITED', type: 'rate_limited' })
  })

  it('should refuse a missing user message and non-function tools with 400', async () => {
    const empty = await gw.client.responses.create({ model: 'openclaw', input: [] }).catch((e: unknown) => e)
    expect((empty as APIError).status).toBe(400)
    expect((empty as APIError).message).toContain('Missing user message in `input`.')

    const tools = await gw.client.responses.create({ model: 'openclaw', input: 'x', tools: [{ type: 'web_search' }] }).catch((e: unknown) => e)
    expect((tools as APIError).status).toBe(400)
    expect((tools as APIError).error).toMatchObject({ param: 'tools[0].type' })
  })
})

describe('POST /v1/responses (streaming)', () => {
  it('should emit the OpenResponses event sequence that responses.stream() accumulates', async () => {
    gw.model.reply({ text: 'Hello streaming world', chunkDelayMs: 2 })
    const stream = gw.client.responses.stream({ model: 'openclaw', input: 'Hi' })
    const events: OpenAI.Responses.ResponseStreamEvent[] = []
    let deltas = ''
    stream.on('response.output_text.delta', (e) => {
      deltas += e.delta
    })
    for await (const event of stream) events.push(event)
    const final = await stream.finalResponse()

    const types = events.map((e) => e.type)
    const unique = types.filter((t, i) => t !== types[i - 1])
    expect(unique).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
    expect(types.filter((t) => t === 'response.output_text.delta').length).toBeGreaterThan(1)
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i))
    expect(deltas).toBe('Hello streaming world')
    expect(final.status).toBe('completed')
    expect(final.output_text).toBe('Hello streaming world')
    expect(final.id).toBe((events[0] as OpenAI.Responses.ResponseCreatedEvent).response.id)
  })

  it('should use the exact SSE framing event: <type> / data: <json>, ending with [DONE]', async () => {
    gw.model.reply({ text: 'x' })
    const response = await fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openclaw', input: 'x', stream: true }),
    })
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const frames = (await response.text()).split('\n\n').filter((f) => f !== '')
    expect(frames.at(-1)).toBe('data: [DONE]')
    for (const frame of frames.slice(0, -1)) {
      const [eventLine, dataLine, ...rest] = frame.split('\n')
      expect(rest).toEqual([])
      const type = eventLine!.replace(/^event: /, '')
      expect(JSON.parse(dataLine!.replace(/^data: /, '')).type).toBe(type)
    }
  })

  it('should stream function_call items with argument deltas, and continue from function_call_output', async () => {
    gw.model.reply({ toolCalls: [{ id: 'call_rs', name: 'get_weather', arguments: { city: 'Lima' } }] }).reply({ text: 'Mild.', chunkDelayMs: 1 })
    const stream = gw.client.responses.stream({ model: 'openclaw', input: 'Weather in Lima?', tools: [WEATHER_TOOL] })
    const types: string[] = []
    for await (const event of stream) types.push(event.type)
    const final = await stream.finalResponse()
    expect(types).toContain('response.function_call_arguments.delta')
    expect(types).toContain('response.function_call_arguments.done')
    expect(types).not.toContain('response.output_text.delta')
    expect(final.output).toEqual([expect.objectContaining({ type: 'function_call', call_id: 'call_rs', name: 'get_weather', arguments: '{"city":"Lima"}' })])

    const next = gw.client.responses.stream({
      model: 'openclaw',
      previous_response_id: final.id,
      input: [{ type: 'function_call_output', call_id: 'call_rs', output: '18°C' }],
    })
    const done = await next.finalResponse()
    expect(done.output_text).toBe('Mild.')
    expect(modelCalls(gw.model)[1]!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_rs', content: '18°C' })
  })

  it('should end with response.failed carrying the error when the run fails', async () => {
    gw.model.fail({ status: 500 })
    const stream = gw.client.responses.stream({ model: 'openclaw', input: 'x' })
    const types: string[] = []
    for await (const event of stream) types.push(event.type)
    const final = await stream.finalResponse()
    expect(types.at(-1)).toBe('response.failed')
    expect(final.status).toBe('failed')
    expect(final.error).toMatchObject({ code: 'OPENAI_ERR_UPSTREAM' })
  })
})
