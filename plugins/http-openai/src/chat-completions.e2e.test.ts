import OpenAI, { type APIError } from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { modelCalls, startOpenAiGateway, TEST_TOKEN, type OpenAiTestGateway } from '../test/start-openai-gateway.js'

const WEATHER_TOOL: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Current weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
}

let gw: OpenAiTestGateway

beforeAll(async () => {
  gw = await startOpenAiGateway({ agents: { ops: { systemPrompt: 'You are the ops agent.' } } })
})
afterAll(async () => {
  await gw.close()
})
afterEach(() => {
  gw.model.reset()
})

function systemPromptOf(call: ReturnType<typeof modelCalls>[number]): string {
  const system = call.messages.find((m) => m.role === 'system')
  return typeof system?.content === 'string' ? system.content : ''
}

describe('POST /v1/chat/completions (non-streaming)', () => {
  it('should answer with a chat.completion echoing the model, with usage', async () => {
    gw.model.reply({ text: 'Hello from the agent', usage: { input: 11, output: 5 } })
    const completion = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'Hi' }] })
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'openclaw',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the agent' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 },
    })
    expect(completion.id).toMatch(/^chatcmpl_[0-9a-f-]{36}$/)
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(60)
    const [call] = modelCalls(gw.model)
    expect(call?.messages.at(-1)).toEqual({ role: 'user', content: 'Hi' })
    // Nobody reads this answer as it comes: the model is asked for the whole of it.
    expect((gw.model.requests.at(-1)?.body as { stream?: unknown }).stream).toBe(false)
  })

  it('should not echo a 1 MB model back in the error', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: `x${'y'.repeat(1_000_000)}`, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text.length).toBeLessThan(2_000)
    expect(JSON.parse(text)).toMatchObject({ error: { param: 'model', message: expect.stringContaining('(1000001 characters)') } })
  })

  it('should answer 400 to a user with a lone surrogate, and give NFC-equivalent users one session', async () => {
    const err = (await gw.client.chat.completions.create({ model: 'openclaw', user: 'x\ud800', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as APIError
    expect(err.status).toBe(400)
    expect(err.error).toMatchObject({ param: 'user', message: expect.stringContaining('lone UTF-16 surrogate') })
    gw.model.replyWith(() => ({ text: 'ok' }))
    const key = async (user: string) => (await gw.client.chat.completions.create({ model: 'openclaw', user, messages: [{ role: 'user', content: 'hi' }] }).withResponse()).response.headers.get('x-openclaw-session-key')
    const composed = await key('Jos\u00e9')
    expect(composed).toMatch(/^agent:main:openai-user:jos/)
    expect(await key('Jose\u0301')).toBe(composed)
  })

  it('should pass max_tokens and temperature to the model', async () => {
    gw.model.reply({ text: 'short' })
    await gw.client.chat.completions.create({ model: 'openclaw', max_tokens: 32, temperature: 0.3, messages: [{ role: 'user', content: 'Hi' }] })
    const body = gw.model.requests.at(-1)?.body as Record<string, unknown>
    expect(body.max_tokens ?? body.max_completion_tokens).toBe(32)
    expect(body.temperature).toBe(0.3)
  })

  it('should pass system and developer messages as instructions', async () => {
    gw.model.reply({ text: 'ok' })
    await gw.client.chat.completions.create({
      model: 'openclaw',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    })
    const system = systemPromptOf(modelCalls(gw.model)[0]!)
    expect(system).toContain('Answer in French.')
    expect(system).toContain('Be brief.')
  })

  it('should select the agent from the model, and from the x-openclaw-agent-id header over the model', async () => {
    gw.model.replyWith(() => ({ text: 'ok' }))
    const byModel = await gw.client.chat.completions.create({ model: 'openclaw/ops', messages: [{ role: 'user', content: 'a' }] }).withResponse()
    expect(byModel.response.headers.get('x-openclaw-agent-id')).toBe('ops')
    expect(systemPromptOf(modelCalls(gw.model)[0]!)).toContain('You are the ops agent.')

    const byHeader = await gw.client.chat.completions
      .create({ model: 'openclaw/main', messages: [{ role: 'user', content: 'b' }] }, { headers: { 'x-openclaw-agent-id': 'ops' } })
      .withResponse()
    expect(byHeader.response.headers.get('x-openclaw-agent-id')).toBe('ops')
    expect(byHeader.data.model).toBe('openclaw/main')

    for (const model of ['agent:ops', 'openclaw:ops']) {
      const other = await gw.client.chat.completions.create({ model, messages: [{ role: 'user', content: 'c' }] }).withResponse()
      expect(other.response.headers.get('x-openclaw-agent-id')).toBe('ops')
    }
  })

  it('should refuse an unknown agent and a model that is no agent target with 400 naming the param', async () => {
    const unknown = await gw.client.chat.completions.create({ model: 'openclaw/nobody', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    expect(unknown).toBeInstanceOf(OpenAI.BadRequestError)
    expect((unknown as APIError).error).toMatchObject({ type: 'invalid_request_error', param: 'model', code: 'OAI_ERR_AGENT_UNKNOWN' })
    expect((unknown as APIError).message).toContain('main, ops')

    const foreign = await gw.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    expect(foreign).toBeInstanceOf(OpenAI.BadRequestError)
    expect((foreign as APIError).error).toMatchObject({ param: 'model', code: 'OAI_ERR_MODEL_INVALID' })
    expect((foreign as APIError).message).toContain("'openclaw/<agentId>'")
    expect(modelCalls(gw.model)).toHaveLength(0)
  })

  it('should continue the same session for the same user: the second model call holds the first exchange', async () => {
    gw.model.reply({ text: 'Nice to meet you, Ada.' }).reply({ text: 'Your name is Ada.' })
    await gw.client.chat.completions.create({ model: 'openclaw', user: 'ada', messages: [{ role: 'user', content: 'My name is Ada.' }] })
    const second = await gw.client.chat.completions
      .create({ model: 'openclaw', user: 'ada', messages: [{ role: 'user', content: 'What is my name?' }] })
      .withResponse()
    expect(second.response.headers.get('x-openclaw-session-key')).toBe('agent:main:openai-user:ada')
    const messages = modelCalls(gw.model)[1]!.messages.filter((m) => m.role !== 'system')
    expect(messages).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Nice to meet you, Ada.' },
      { role: 'user', content: 'What is my name?' },
    ])
  })

  it('should serve a user outside ASCII, streaming or not, naming the session percent-encoded and taking that name back', async () => {
    gw.model.replyWith(() => ({ text: 'ok' }))
    const plain = await gw.client.chat.completions.create({ model: 'openclaw', user: '李雷', messages: [{ role: 'user', content: 'a' }] }).withResponse()
    expect(plain.data.choices[0]!.message.content).toBe('ok')
    const header = plain.response.headers.get('x-openclaw-session-key')!
    expect(header).toBe('agent:main:openai-user:%E6%9D%8E%E9%9B%B7')
    expect((await gw.gateway.sessions.get('agent:main:openai-user:李雷'))?.messageCount).toBe(2)

    const streamed = await gw.client.chat.completions.create({ model: 'openclaw', user: '李雷', stream: true, messages: [{ role: 'user', content: 'b' }] }).withResponse()
    for await (const _ of streamed.data);
    expect(streamed.response.headers.get('x-openclaw-session-key')).toBe(header)

    // The header as given, and raw UTF-8, both name the same session.
    await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'c' }] }, { headers: { 'x-openclaw-session-key': header } })
    await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', 'x-openclaw-session-key': Buffer.from('agent:main:openai-user:李雷').toString('latin1') },
      body: JSON.stringify({ model: 'openclaw', messages: [{ role: 'user', content: 'd' }] }),
    }).then((r) => r.text())
    expect((await gw.gateway.sessions.get('agent:main:openai-user:李雷'))?.messageCount).toBe(8)
  })

  it('should not replay earlier messages into a session that has history, but give them to a fresh one as real messages', async () => {
    gw.model.replyWith(() => ({ text: 'ok' }))
    const history: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'second' },
    ]
    // No user: a fresh session, so the client's history reaches the model as the messages they are.
    await gw.client.chat.completions.create({ model: 'openclaw', messages: history })
    const fresh = modelCalls(gw.model)[0]!.messages.filter((m) => m.role !== 'system')
    expect(fresh).toEqual([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'second' },
    ])

    // A session with history: only the latest user message is sent.
    await gw.client.chat.completions.create({ model: 'openclaw', user: 'replay', messages: [{ role: 'user', content: 'one' }] })
    await gw.client.chat.completions.create({ model: 'openclaw', user: 'replay', messages: [...history, { role: 'assistant', content: 'x' }, { role: 'user', content: 'two' }] })
    const last = modelCalls(gw.model)[2]!.messages.filter((m) => m.role !== 'system')
    expect(last.map((m) => m.content)).toEqual(['one', 'ok', 'two'])
  })

  it('should give a fresh session the client\'s tool calls and tool results as tool_calls and tool messages, and keep them', async () => {
    gw.model.replyWith(() => ({ text: 'It is 21 degrees in Paris.' }))
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '21C' },
    ]
    const completion = await gw.client.chat.completions.create({ model: 'openclaw', user: 'kept-history', messages, tools: [WEATHER_TOOL] })
    expect(completion.choices[0]?.message.content).toBe('It is 21 degrees in Paris.')
    const sent = modelCalls(gw.model)[0]!.messages.filter((m) => m.role !== 'system')
    expect(sent).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '21C' },
    ])

    // The session now holds them: the next turn continues it, with nothing replayed twice.
    await gw.client.chat.completions.create({ model: 'openclaw', user: 'kept-history', messages: [...messages, { role: 'assistant', content: 'It is 21 degrees in Paris.' }, { role: 'user', content: 'Thanks' }] })
    const next = modelCalls(gw.model)[1]!.messages.filter((m) => m.role !== 'system')
    expect(next.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user'])
    expect(next.at(-1)).toEqual({ role: 'user', content: 'Thanks' })
  })

  it('should use a fresh session for every request without user', async () => {
    gw.model.replyWith(() => ({ text: 'ok' }))
    const a = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'a' }] }).withResponse()
    const b = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'b' }] }).withResponse()
    const keyA = a.response.headers.get('x-openclaw-session-key')
    expect(keyA).toMatch(/^agent:main:openai:[0-9a-f-]{36}$/)
    expect(b.response.headers.get('x-openclaw-session-key')).not.toBe(keyA)
    expect(modelCalls(gw.model)[1]!.messages.filter((m) => m.role !== 'system')).toHaveLength(1)
  })

  it('should use x-openclaw-session-key, and refuse reserved namespaces and another agent', async () => {
    gw.model.replyWith(() => ({ text: 'ok' }))
    const chosen = await gw.client.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: 'a' }] }, { headers: { 'x-openclaw-session-key': 'Incident-42' } })
      .withResponse()
    expect(chosen.response.headers.get('x-openclaw-session-key')).toBe('agent:main:incident-42')

    const ops = await gw.client.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: 'a' }] }, { headers: { 'x-openclaw-session-key': 'agent:ops:x' } })
      .withResponse()
    expect(ops.response.headers.get('x-openclaw-agent-id')).toBe('ops')

    const reserved = await gw.client.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: 'a' }] }, { headers: { 'x-openclaw-session-key': 'agent:main:cron:job' } })
      .catch((e: unknown) => e)
    expect((reserved as APIError).status).toBe(400)
    expect((reserved as APIError).error).toMatchObject({ code: 'OAI_ERR_SESSION_KEY_RESERVED', param: 'x-openclaw-session-key' })

    const mismatch = await gw.client.chat.completions
      .create({ model: 'openclaw/main', messages: [{ role: 'user', content: 'a' }] }, { headers: { 'x-openclaw-session-key': 'agent:ops:x' } })
      .catch((e: unknown) => e)
    expect((mismatch as APIError).status).toBe(400)
    expect((mismatch as APIError).error).toMatchObject({ code: 'CORE_ERR_SESSION_AGENT_MISMATCH', type: 'invalid_request_error' })
  })

  it('should return client tool calls with finish_reason tool_calls, and continue the session with the tool result', async () => {
    gw.model.reply({ toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris' } }] }).reply({ text: 'It is 21°C in Paris.' })
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }]
    const first = await gw.client.chat.completions.create({ model: 'openclaw', user: 'tools-1', messages, tools: [WEATHER_TOOL] })
    expect(first.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    })
    expect(modelCalls(gw.model)[0]!.tools?.map((t) => t.function.name)).toContain('get_weather')

    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: 'call_w1', content: '{"temp":21}' })
    const second = await gw.client.chat.completions.create({ model: 'openclaw', user: 'tools-1', messages, tools: [WEATHER_TOOL] })
    expect(second.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'It is 21°C in Paris.' } })

    const replayed = modelCalls(gw.model)[1]!.messages
    expect(replayed.filter((m) => m.role === 'user')).toHaveLength(1)
    expect(replayed.find((m) => m.role === 'assistant')?.tool_calls).toEqual([
      { id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ])
    expect(replayed.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_w1', content: '{"temp":21}' })

    // The same request again (an SDK retry): the call is answered already → 400, and the session still works.
    const retried = await gw.client.chat.completions.create({ model: 'openclaw', user: 'tools-1', messages, tools: [WEATHER_TOOL] }).catch((e: unknown) => e)
    expect((retried as APIError).status).toBe(400)
    expect((retried as APIError).error).toMatchObject({ code: 'CORE_ERR_TOOL_RESULT_UNMATCHED', type: 'invalid_request_error' })
    gw.model.reply({ text: 'You are welcome.' })
    const thanks = await gw.client.chat.completions.create({ model: 'openclaw', user: 'tools-1', messages: [{ role: 'user', content: 'Thanks' }] })
    expect(thanks.choices[0]!.message.content).toBe('You are welcome.')
  })

  it('should pass tool_choice on, and answer 502 when a required tool was not called', async () => {
    gw.model.reply({ text: 'I will not call it.' })
    const error = await gw.client.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], tools: [WEATHER_TOOL], tool_choice: 'required' })
      .catch((e: unknown) => e)
    expect(modelCalls(gw.model)[0]!.tool_choice).toBe('required')
    expect((error as APIError).status).toBe(502)
    expect((error as APIError).error).toMatchObject({ type: 'api_error', code: 'OAI_ERR_TOOL_CHOICE_UNSATISFIED' })
  })

  it('should refuse a tool_choice naming a tool that is not given', async () => {
    const error = await gw.client.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'nope' } } })
      .catch((e: unknown) => e)
    expect((error as APIError).status).toBe(400)
    expect((error as APIError).error).toMatchObject({ param: 'tool_choice' })
  })

  it('should pass a data: image of the latest user message as an image part', async () => {
    gw.model.reply({ text: 'a red pixel' })
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='
    await gw.client.chat.completions.create({
      model: 'openclaw',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }],
    })
    const user = modelCalls(gw.model)[0]!.messages.at(-1)!
    expect(user.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
    ])
  })

  it('should refuse image URLs unless allowed, naming the part', async () => {
    const error = await gw.client.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] })
      .catch((e: unknown) => e)
    expect((error as APIError).status).toBe(400)
    expect((error as APIError).error).toMatchObject({ param: 'messages[0].content[0].image_url' })
  })

  it('should pass x-openclaw-model on as the backend model', async () => {
    gw.model.reply({ text: 'ok' })
    await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-openclaw-model': 'openai/other-model' } })
    expect(modelCalls(gw.model)[0]).toMatchObject({ model: 'other-model' })
    const bad = await gw.client.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-openclaw-model': 'no-slash' } })
      .catch((e: unknown) => e)
    expect((bad as APIError).error).toMatchObject({ param: 'x-openclaw-model' })
    const unknown = await gw.client.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-openclaw-model': 'nope/x' } })
      .catch((e: unknown) => e)
    expect((unknown as APIError).status).toBe(400)
    expect((unknown as APIError).error).toMatchObject({ param: 'x-openclaw-model', message: expect.stringContaining("no provider 'nope' is installed (installed: openai)") })
  })

  it('should answer a repeated Idempotency-Key with the first result, without a second model call', async () => {
    gw.model.reply({ text: 'only once' }).reply({ text: 'twice?!' })
    const headers = { 'idempotency-key': 'retry-1' }
    const first = await gw.client.chat.completions.create({ model: 'openclaw', user: 'idem', messages: [{ role: 'user', content: 'x' }] }, { headers })
    const second = await gw.client.chat.completions.create({ model: 'openclaw', user: 'idem', messages: [{ role: 'user', content: 'x' }] }, { headers })
    expect(second.choices[0]!.message.content).toBe('only once')
    expect(first.choices[0]!.message.content).toBe('only once')
    expect(modelCalls(gw.model)).toHaveLength(1)

    // Another user of the same credential with the same key gets a run of its own, not idem's answer.
    gw.model.reset()
    gw.model.reply({ text: 'for other' })
    const other = await gw.client.chat.completions.create({ model: 'openclaw', user: 'other', messages: [{ role: 'user', content: 'x' }] }, { headers }).withResponse()
    expect(other.data.choices[0]!.message.content).toBe('for other')
    expect(other.response.headers.get('x-openclaw-session-key')).toBe('agent:main:openai-user:other')

    // Without user (a fresh session each time), a retry still gets the first answer.
    gw.model.reply({ text: 'fresh once' }).reply({ text: 'fresh twice?!' })
    const fresh = { 'idempotency-key': 'retry-fresh' }
    await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }, { headers: fresh })
    const again = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }, { headers: fresh })
    expect(again.choices[0]!.message.content).toBe('fresh once')
  })

  it('should abort the run when a non-streaming client disconnects', async () => {
    gw.model.hang()
    const controller = new AbortController()
    const request = gw.client.chat.completions.create({ model: 'openclaw', user: 'gone', messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal })
    await expect.poll(() => gw.model.inFlight, { timeout: 3000 }).toBe(1)
    controller.abort()
    await expect(request).rejects.toThrow()
    // The provider's request is cancelled with the run.
    await expect.poll(() => gw.model.inFlight, { timeout: 3000 }).toBe(0)
    await expect
      .poll(async () => (await gw.gateway.sessions.history('agent:main:openai-user:gone')).items.some((e) => e.role === 'system' && e.text.includes('aborted')), { timeout: 3000 })
      .toBe(true)
  })

  it('should map a provider 429 to 429 rate_limited with the provider code', async () => {
    gw.model.fail({ status: 429, headers: { 'retry-after': '7' } })
    const error = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect((error as APIError).error).toMatchObject({ type: 'rate_limited', code: 'OPENAI_ERR_RATE_LIMITED' })
    // The model's wait is passed on, for the client's retry.
    expect((error as APIError).headers?.get('retry-after')).toBe('7')
  })

  it('should map a provider 500 to 502 api_error', async () => {
    gw.model.fail({ status: 500 })
    const error = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    expect((error as APIError).status).toBe(502)
    expect((error as APIError).error).toMatchObject({ type: 'api_error', code: 'OPENAI_ERR_UPSTREAM' })
  })
})

describe('POST /v1/chat/completions (streaming)', () => {
  it('should stream a role chunk, content deltas as they arrive and a finish chunk through the SDK iterator', async () => {
    gw.model.reply({ text: 'one two three four', chunkDelayMs: 5 })
    const stream = await gw.client.chat.completions.create({ model: 'openclaw', stream: true, messages: [{ role: 'user', content: 'count' }] })
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)
    expect(chunks[0]!.choices[0]!.delta).toMatchObject({ role: 'assistant' })
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe('one two three four')
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(1)
    expect(chunks.at(-1)!.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' })
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1)
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'openclaw')).toBe(true)
    expect(chunks.some((c) => c.usage)).toBe(false)
    expect((gw.model.requests.at(-1)?.body as { stream?: unknown }).stream).toBe(true)
  })

  it('should stream text with quotes, newlines and non-ASCII characters unchanged', async () => {
    const text = 'He said "hi" \\ then left.\nNext line\u2028 — ünïcödé 🦀 </script>'
    gw.model.reply({ text })
    const stream = await gw.client.chat.completions.create({ model: 'openclaw/ops', stream: true, messages: [{ role: 'user', content: 'quote' }] })
    let streamed = ''
    for await (const chunk of stream) {
      expect(chunk.model).toBe('openclaw/ops')
      streamed += chunk.choices[0]?.delta.content ?? ''
    }
    expect(streamed).toBe(text)
  })

  it('should send SSE headers at once and end with data: [DONE]', async () => {
    gw.model.reply({ text: 'hi', delayMs: 1000 })
    const started = Date.now()
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openclaw', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    })
    expect(Date.now() - started).toBeLessThan(800)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    const body = await response.text()
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true)
    expect(body.split('\n\n').filter((e) => e !== '').every((e) => e.startsWith('data: '))).toBe(true)
  })

  it('should send a usage chunk with empty choices only with stream_options.include_usage', async () => {
    gw.model.reply({ text: 'hello there', usage: { input: 7, output: 3 } })
    const stream = await gw.client.chat.completions.create({
      model: 'openclaw', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }],
    })
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)
    const last = chunks.at(-1)!
    expect(last.choices).toEqual([])
    expect(last.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 })
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop')
  })

  it('should stream client tool calls, and continue with the tool result in the same session', async () => {
    gw.model.reply({ text: 'Let me check.', toolCalls: [{ id: 'call_s1', name: 'get_weather', arguments: { city: 'Oslo' } }] }).reply({ text: 'Cold.' })
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }]
    const stream = gw.client.chat.completions.stream({ model: 'openclaw', user: 'tools-stream', messages, tools: [WEATHER_TOOL] })
    const final = await stream.finalChatCompletion()
    expect(final.choices[0]!.finish_reason).toBe('tool_calls')
    expect(final.choices[0]!.message.content).toBe('Let me check.')
    expect(final.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_s1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ])

    messages.push({ role: 'assistant', content: 'Let me check.', tool_calls: final.choices[0]!.message.tool_calls! }, { role: 'tool', tool_call_id: 'call_s1', content: '-5°C' })
    const next = await gw.client.chat.completions.create({ model: 'openclaw', user: 'tools-stream', stream: true, messages, tools: [WEATHER_TOOL] })
    let text = ''
    for await (const chunk of next) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('Cold.')
    expect(modelCalls(gw.model)[1]!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_s1', content: '-5°C' })
  })

  it('should end with an error event and [DONE] when the run fails mid-stream', async () => {
    gw.model.fail({ status: 500 })
    const stream = await gw.client.chat.completions.create({ model: 'openclaw', stream: true, messages: [{ role: 'user', content: 'x' }] })
    const seen: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk)
    })().catch((e: unknown) => e)
    expect(seen[0]!.choices[0]!.delta.role).toBe('assistant')
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect((error as APIError).error).toMatchObject({ code: 'OPENAI_ERR_UPSTREAM', type: 'api_error' })
  })

  it('should pass on an error event the model sends mid-stream, and keep serving', async () => {
    // vLLM, LiteLLM and OpenRouter send `data: {"error": …}` and end the response when they fail mid-answer.
    for (let i = 0; i < 3; i++) {
      gw.model.reply({ text: 'Partial answer', streamError: 'The model is overloaded' })
      const stream = await gw.client.chat.completions.create({ model: 'openclaw', stream: true, messages: [{ role: 'user', content: `x${i}` }] })
      const error = await (async () => {
        for await (const _ of stream);
      })().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OpenAI.APIError)
      expect((error as APIError).message).toContain('The model is overloaded')
    }
    gw.model.reply({ text: 'Still here' })
    const completion = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'y' }] })
    expect(completion.choices[0]!.message.content).toBe('Still here')
  })

  it('should answer a bad streaming request with a real 400, not a stream', async () => {
    const error = await gw.client.chat.completions.create({ model: 'openclaw/nobody', stream: true, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    expect((error as APIError).status).toBe(400)
  })

  it('should abort the run when the client disconnects', async () => {
    gw.model.reply({ text: 'a b c d e f g h i j k l m n o p', chunkDelayMs: 100 })
    const controller = new AbortController()
    const stream = await gw.client.chat.completions.create(
      { model: 'openclaw', stream: true, user: 'disconnect', messages: [{ role: 'user', content: 'x' }] },
      { signal: controller.signal },
    )
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break
    }
    // 1. The client is gone; 2. the run is aborted, which 3. cancels the model request.
    await expect.poll(() => gw.model.inFlight, { timeout: 3000 }).toBe(0)
    const history = (await gw.gateway.sessions.history('agent:main:openai-user:disconnect')).items
    await expect.poll(async () => (await gw.gateway.sessions.history('agent:main:openai-user:disconnect')).items.some((e) => e.role === 'system' && e.text.includes('aborted')), { timeout: 3000 }).toBe(true)
    expect(history.length).toBeGreaterThan(0)
  })
})
