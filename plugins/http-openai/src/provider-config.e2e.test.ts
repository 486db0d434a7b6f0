import type { APIError } from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { modelCalls, startOpenAiGateway, type OpenAiTestGateway } from '../test/start-openai-gateway.js'

// A user's OpenClaw config, as OpenClaw writes it: providers under any id, each naming its wire API,
// with a model catalogue; the default model is `<providerId>/<modelId>`.
let gw: OpenAiTestGateway

beforeAll(async () => {
  gw = await startOpenAiGateway({
    model: 'ollama/llama3.2',
    providers: {
      ollama: { baseUrl: '{{model}}', apiKey: 'ollama', api: 'openai-completions', models: [{ id: 'llama3.2', name: 'Llama 3.2', contextWindow: 128000 }] },
      vllm: { baseUrl: '{{model}}', api: 'openai-completions', models: [{ id: 'qwen3' }] },
      open: { baseUrl: '{{model}}' },
    },
  })
})
afterAll(async () => {
  await gw.close()
})
afterEach(() => {
  gw.model.reset()
})

describe('model providers as OpenClaw configures them', () => {
  it('should run the default model of a provider configured under its own id', async () => {
    gw.model.reply({ text: 'from llama' })
    const completion = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'Hi' }] })
    expect(completion.choices[0]?.message.content).toBe('from llama')
    expect(gw.model.requests[0]?.headers.authorization).toBe('Bearer ollama')
    expect(modelCalls(gw.model)[0]).toMatchObject({ model: 'llama3.2' })
  })

  it('should route x-openclaw-model to another configured provider by its id', async () => {
    gw.model.reply({ text: 'from qwen' })
    const completion = await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'x-openclaw-model': 'vllm/qwen3' } })
    expect(completion.choices[0]?.message.content).toBe('from qwen')
    expect(modelCalls(gw.model)[0]).toMatchObject({ model: 'qwen3' })
  })

  it('should pass any model id to a provider that lists none', async () => {
    gw.model.reply({ text: 'ok' })
    await gw.client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'x-openclaw-model': 'open/whatever/with-slash' } })
    expect(modelCalls(gw.model)[0]).toMatchObject({ model: 'whatever/with-slash' })
  })

  it('should answer 400 naming the model and the provider when the provider lists other models', async () => {
    const err = await gw.client.chat.completions
      .create({ model: 'openclaw', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'x-openclaw-model': 'vllm/llama3.2' } })
      .catch((e: unknown) => e)
    expect((err as APIError).status).toBe(400)
    expect((err as APIError).error).toMatchObject({ type: 'invalid_request_error', code: 'CORE_ERR_MODEL_UNKNOWN' })
    expect((err as APIError).message).toContain("Model 'llama3.2' is not listed under provider 'vllm'")
    expect((err as APIError).message).toContain('qwen3')
    expect(gw.model.requests).toEqual([])
  })
})
