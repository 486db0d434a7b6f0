import type { APIError } from 'openai'
import { definePlugin } from '@openclaw/plugin-sdk'
import { scriptedEmbedding } from '@openclaw/plugin-sdk/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startOpenAiGateway, TEST_TOKEN, type OpenAiTestGateway } from '../test/start-openai-gateway.js'

// POST /v1/embeddings through the `openai` SDK: the provider chosen by x-openclaw-model embeds on the
// scripted model server (deterministic vectors), errors come back in OpenAI's shape.
let gw: OpenAiTestGateway
const EMBEDDING_MODEL = { headers: { 'x-openclaw-model': 'openai/text-embedding-3-small' } }

/** A provider plugin whose provider has no embeddings call. */
const chatOnly = () => definePlugin({
  id: 'provider:chat-only',
  version: '1.0.0',
  apiVersion: '^2.0.0',
  register(api) {
    api.providers.register({ id: 'chatonly', async *stream() { yield { type: 'finish', reason: 'stop' } } })
  },
})

const embeddingCalls = () => gw.model.requests.filter((r) => r.path === '/v1/embeddings')
const close = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) < 1e-6)

beforeAll(async () => {
  gw = await startOpenAiGateway({ plugins: [chatOnly()] })
})
afterAll(async () => {
  await gw.close()
})
afterEach(() => {
  gw.model.reset()
})

describe('POST /v1/embeddings', () => {
  it('embeds a list of strings with the x-openclaw-model provider (the SDK asks for base64 and decodes it)', async () => {
    const res = await gw.client.embeddings.create({ model: 'openclaw', input: ['the quick brown fox', 'a lazy dog'] }, EMBEDDING_MODEL)
    expect(res.object).toBe('list')
    expect(res.model).toBe('openclaw')
    expect(res.data.map((d) => d.index)).toEqual([0, 1])
    expect(close(res.data[0]!.embedding, scriptedEmbedding('the quick brown fox'))).toBe(true)
    expect(close(res.data[1]!.embedding, scriptedEmbedding('a lazy dog'))).toBe(true)
    expect(res.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 })
    expect(embeddingCalls()).toHaveLength(1)
    expect(embeddingCalls()[0]!.body).toMatchObject({ model: 'text-embedding-3-small', input: ['the quick brown fox', 'a lazy dog'], encoding_format: 'float' })
    expect(embeddingCalls()[0]!.headers.authorization).toBe('Bearer sk-scripted')
  })

  it('answers floats for encoding_format float, a string input, and passes dimensions on', async () => {
    const res = await fetch(`${gw.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}`, 'x-openclaw-model': 'openai/text-embedding-3-small' },
      body: JSON.stringify({ model: 'openclaw/main', input: 'hello world', encoding_format: 'float', dimensions: 32 }),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { data: { object: string; index: number; embedding: number[] }[]; model: string }
    expect(body.model).toBe('openclaw/main')
    expect(body.data).toHaveLength(1)
    expect(body.data[0]).toMatchObject({ object: 'embedding', index: 0 })
    expect(close(body.data[0]!.embedding, scriptedEmbedding('hello world', 32))).toBe(true)
    expect(embeddingCalls()[0]!.body).toMatchObject({ dimensions: 32 })
  })

  it('refuses, in OpenAI\'s error shape: no embedding model for the agent, bad input, unknown agent, a provider without embeddings', async () => {
    const refused = async (body: object, headers: Record<string, string> = {}) => {
      const err = (await gw.client.embeddings.create(body as never, { headers }).catch((e: unknown) => e)) as APIError
      return { status: err.status, error: err.error as { code?: string; param?: string | null; type?: string; message?: string } }
    }
    const unconfigured = await refused({ model: 'openclaw', input: 'x' })
    expect(unconfigured).toMatchObject({ status: 400, error: { code: 'OAI_ERR_EMBEDDINGS_UNCONFIGURED', type: 'invalid_request_error' } })
    expect(unconfigured.error.message).toContain("Agent 'main' has no embedding model")
    expect(await refused({ model: 'openclaw', input: [] }, EMBEDDING_MODEL.headers)).toMatchObject({ status: 400, error: { code: 'OAI_ERR_INVALID_PARAM', param: 'input' } })
    expect(await refused({ model: 'openclaw', input: [[1, 2, 3]] }, EMBEDDING_MODEL.headers)).toMatchObject({ status: 400, error: { code: 'OAI_ERR_INVALID_PARAM' } })
    expect(await refused({ model: 'openclaw/nobody', input: 'x' }, EMBEDDING_MODEL.headers)).toMatchObject({ status: 400, error: { code: 'OAI_ERR_AGENT_UNKNOWN', param: 'model' } })
    expect(await refused({ model: 'openclaw', input: 'x' }, { 'x-openclaw-model': 'chatonly/m' })).toMatchObject({ status: 400, error: { code: 'OAI_ERR_EMBEDDINGS_UNSUPPORTED' } })
    expect(await refused({ model: 'openclaw', input: 'x' }, { 'x-openclaw-model': 'nope/m' })).toMatchObject({ status: 400, error: { param: 'x-openclaw-model' } })
    expect(embeddingCalls()).toEqual([])
  })

  it('a failing upstream is a 502 naming the provider, without its key; 401 without the gateway token', async () => {
    gw.model.failEmbeddings({ status: 500 })
    const err = (await gw.client.embeddings.create({ model: 'openclaw', input: 'x' }, EMBEDDING_MODEL).catch((e: unknown) => e)) as APIError
    expect(err.status).toBe(502)
    expect(err.error).toMatchObject({ code: 'OPENAI_ERR_UPSTREAM', type: 'api_error' })
    expect(JSON.stringify(err.error)).not.toContain('sk-scripted')
    const anonymous = (await gw.clientWith({ apiKey: 'wrong' }).embeddings.create({ model: 'openclaw', input: 'x' }, EMBEDDING_MODEL).catch((e: unknown) => e)) as APIError
    expect(anonymous.status).toBe(401)
  })
})
