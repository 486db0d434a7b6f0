import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RpcTestClient } from '../test/rpc-test-client.js'
import { startRpcGateway, TEST_TOKEN, type RpcTestGateway } from '../test/start-rpc-gateway.js'

let gw: RpcTestGateway

beforeAll(async () => {
  gw = await startRpcGateway({
    agents: { ops: { model: 'vllm/qwen3' } },
    providers: {
      ollama: { baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'ollama', api: 'openai-completions', models: [{ id: 'llama3.2', name: 'Llama 3.2', contextWindow: 128000, input: ['text', 'image'] }] },
      vllm: { baseUrl: 'http://127.0.0.1:8000/v1', api: 'openai-completions', models: [{ id: 'qwen3', reasoning: true }, 'qwen3-small'] },
    },
  })
})
afterAll(async () => {
  await gw.close()
})

describe('rpc models.list', () => {
  it('should advertise the published-model-catalog capability that openclaw models list requires', async () => {
    const { client, hello } = await RpcTestClient.connect(gw.wsUrl, TEST_TOKEN)
    client.ws.terminate()
    expect(hello.features).toMatchObject({ capabilities: ['published-model-catalog'], methods: expect.arrayContaining(['models.list']) })
  })

  it('should list the configured catalogue with provider, name, context window and input', async () => {
    const client = await gw.connect()
    const res = await client.request('models.list', { view: 'default', includeDetails: true })
    expect(res.ok).toBe(true)
    expect(res.payload.models).toEqual([
      { id: 'llama3.2', name: 'Llama 3.2', provider: 'ollama', tags: ['configured'], contextWindow: 128000, input: ['text', 'image'] },
      { id: 'qwen3', name: 'qwen3', provider: 'vllm', tags: ['configured'], reasoning: true, input: ['text'] },
      { id: 'qwen3-small', name: 'qwen3-small', provider: 'vllm', tags: ['configured'], input: ['text'] },
    ])
  })

  it('should tag the agent\'s model as default and filter by provider', async () => {
    const client = await gw.connect()
    const res = await client.request('models.list', { agentId: 'ops', provider: 'vllm' })
    expect(res.payload.models.map((m: { id: string; tags: string[] }) => [m.id, m.tags])).toEqual([
      ['qwen3', ['default', 'configured']],
      ['qwen3-small', ['configured']],
    ])
  })

  it('should refuse unknown params and unknown agents with INVALID_REQUEST', async () => {
    const client = await gw.connect()
    const bad = await client.request('models.list', { nope: true })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    const agent = await client.request('models.list', { agentId: 'ghost' })
    expect(agent).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', details: { code: 'CORE_ERR_AGENT_UNKNOWN' } } })
  })
})
