import OpenAI, { type APIError } from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOpenAiGateway, TEST_TOKEN, type OpenAiTestGateway } from '../test/start-openai-gateway.js'

/** An OpenAI error body: `{ error: { message, type, param, code } }`. */
const openAiError = (fields: Record<string, unknown>) => ({ error: expect.objectContaining({ message: expect.any(String), ...fields }) })

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...headers }, body })
}

describe('/v1/models', () => {
  let gw: OpenAiTestGateway
  beforeAll(async () => {
    gw = await startOpenAiGateway({ agents: { ops: {} } })
  })
  afterAll(async () => {
    await gw.close()
  })

  it('should list openclaw, openclaw/default and one model per agent', async () => {
    const ids: string[] = []
    for await (const model of gw.client.models.list()) {
      expect(model).toMatchObject({ object: 'model', owned_by: 'openclaw' })
      ids.push(model.id)
    }
    expect(ids).toEqual(['openclaw', 'openclaw/default', 'openclaw/main', 'openclaw/ops'])
  })

  it('should retrieve a model by its URL-encoded id, and by the unencoded path', async () => {
    expect(await gw.client.models.retrieve('openclaw/ops')).toMatchObject({ id: 'openclaw/ops', object: 'model' })
    const raw = await fetch(`${gw.url}/v1/models/openclaw/main`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    expect(await raw.json()).toMatchObject({ id: 'openclaw/main' })
  })

  it('should answer 404 in OpenAI shape for an unknown model', async () => {
    const error = await gw.client.models.retrieve('openclaw/nobody').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    expect((error as APIError).error).toMatchObject({ type: 'invalid_request_error', code: 'OAI_ERR_MODEL_NOT_FOUND' })
  })
})

describe('auth and request errors', () => {
  let gw: OpenAiTestGateway
  beforeAll(async () => {
    gw = await startOpenAiGateway({ endpoints: { chatCompletions: { enabled: true, maxBodyBytes: 2048 }, responses: { enabled: true } } })
  })
  afterAll(async () => {
    await gw.close()
  })

  it('should answer 401 in OpenAI shape without a key', async () => {
    const response = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual(openAiError({ type: 'unauthorized', code: 'HTTP_ERR_UNAUTHORIZED', param: null }))
  })

  it('should answer 401 AuthenticationError to the SDK with a wrong key, on every route', async () => {
    const wrong = gw.clientWith({ apiKey: 'wrong-token' })
    for (const call of [
      () => wrong.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }),
      () => wrong.responses.create({ model: 'openclaw', input: 'x' }),
      () => wrong.models.list(),
    ]) {
      const error = await call().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
      expect((error as APIError).error).toMatchObject({ type: 'unauthorized', message: 'Unauthorized' })
    }
  })

  it('should answer malformed JSON with 400 in OpenAI shape', async () => {
    const response = await post(`${gw.url}/v1/chat/completions`, '{"model": "openclaw", "messages": [')
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual(openAiError({ type: 'invalid_request_error', code: 'HTTP_ERR_INVALID_JSON' }))
  })

  it('should answer wrong types and out-of-range values with 400 naming the param', async () => {
    const cases: [body: object, param: string][] = [
      [{ model: 'openclaw', messages: 'hi' }, 'messages'],
      [{ model: 42, messages: [{ role: 'user', content: 'x' }] }, 'model'],
      [{ model: 'openclaw', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
      [{ model: 'openclaw', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content'],
      [{ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], temperature: 5 }, 'temperature'],
      [{ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }, 'max_tokens'],
      [{ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'allowed_tools' } }, 'tool_choice'],
      [{ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n'],
    ]
    for (const [body, param] of cases) {
      const response = await post(`${gw.url}/v1/chat/completions`, JSON.stringify(body))
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(await response.json(), JSON.stringify(body)).toEqual(openAiError({ type: 'invalid_request_error', param, code: 'OAI_ERR_INVALID_PARAM' }))
    }
    const responses = await post(`${gw.url}/v1/responses`, JSON.stringify({ model: 'openclaw', input: [{ role: 'user', content: [{ type: 'input_audio' }] }] }))
    expect(await responses.json()).toEqual(openAiError({ param: 'input[0].content[0].type', code: 'OAI_ERR_INVALID_PARAM', message: expect.stringContaining('input_text, input_image or input_file') }))
  })

  it('should run the default agent for a chat request without model, echoing openclaw, as OpenClaw does', async () => {
    gw.model.reply({ text: 'default agent' })
    const response = await post(`${gw.url}/v1/chat/completions`, JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }))
    expect(response.status).toBe(200)
    expect(response.headers.get('x-openclaw-agent-id')).toBe('main')
    expect(await response.json()).toMatchObject({ model: 'openclaw', choices: [{ message: { content: 'default agent' } }] })
    const responses = await post(`${gw.url}/v1/responses`, JSON.stringify({ input: 'x' }))
    expect(await responses.json()).toEqual(openAiError({ param: 'model', code: 'OAI_ERR_INVALID_PARAM', message: expect.stringContaining('model') }))
  })

  it('should answer a conversation without a user message with 400', async () => {
    const response = await post(`${gw.url}/v1/chat/completions`, JSON.stringify({ model: 'openclaw', messages: [{ role: 'system', content: 'x' }] }))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual(openAiError({ message: 'Missing user message in `messages`.', param: 'messages', code: 'OAI_ERR_MISSING_USER_MESSAGE' }))
  })

  it('should answer a body over the endpoint limit with 413 in OpenAI shape', async () => {
    const big = JSON.stringify({ model: 'openclaw', messages: [{ role: 'user', content: 'x'.repeat(4096) }] })
    const response = await post(`${gw.url}/v1/chat/completions`, big)
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual(openAiError({ type: 'invalid_request_error', code: 'HTTP_ERR_BODY_TOO_LARGE' }))
  })

  it('should answer another method with 405 in OpenAI shape', async () => {
    const response = await fetch(`${gw.url}/v1/chat/completions`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
    expect(await response.json()).toEqual(openAiError({ code: 'HTTP_ERR_METHOD_NOT_ALLOWED' }))
  })
})

describe('enablement, password auth, missing provider', () => {
  it('should register no route for a disabled endpoint (404), and no /v1 route at all when both are off', async () => {
    const gw = await startOpenAiGateway({ endpoints: { responses: { enabled: true } } })
    try {
      const chat = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
      expect((chat as APIError).status).toBe(404)
      gw.model.reply({ text: 'ok' })
      expect((await gw.client.responses.create({ model: 'openclaw', input: 'x' })).status).toBe('completed')
      expect((await gw.client.models.list()).data.length).toBeGreaterThan(0)
    } finally {
      await gw.close()
    }
    const off = await startOpenAiGateway({ endpoints: {} })
    try {
      for (const path of ['/v1/chat/completions', '/v1/responses', '/v1/models']) {
        const response = await fetch(`${off.url}${path}`, { method: path === '/v1/models' ? 'GET' : 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}` } })
        expect(response.status, path).toBe(404)
      }
      expect(off.gateway.registry.httpRoutes.keys().filter((k) => k.includes('/v1/'))).toEqual([])
    } finally {
      await off.close()
    }
  })

  it('should accept the gateway password in password mode and refuse the token', async () => {
    const gw = await startOpenAiGateway({ gateway: { auth: { mode: 'password', password: 'open-sesame' } } })
    try {
      gw.model.reply({ text: 'welcome' })
      const ok = await gw.clientWith({ apiKey: 'open-sesame' }).chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] })
      expect(ok.choices[0]!.message.content).toBe('welcome')
      const error = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
    } finally {
      await gw.close()
    }
  })

  it('should answer 503 api_error when no model provider is configured', async () => {
    const gw = await startOpenAiGateway({ noProvider: true })
    try {
      const error = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
      expect((error as APIError).status).toBe(503)
      expect((error as APIError).error).toMatchObject({ type: 'api_error', code: 'CORE_ERR_NO_PROVIDER' })
      const stream = gw.client.responses.stream({ model: 'openclaw', input: 'x' })
      const final = await stream.finalResponse()
      expect(final).toMatchObject({ status: 'failed', error: { code: 'CORE_ERR_NO_PROVIDER' } })
    } finally {
      await gw.close()
    }
  })
})
