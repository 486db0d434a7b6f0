import { definePlugin } from '@openclaw/plugin-sdk'
import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it } from 'vitest'
import httpOpenAi, { OpenAiEndpointsConfigSchema } from './index.js'

/** Stands in for the HTTP server: these tests only look at what the plugin registers. */
const fakeHttp = definePlugin({ id: 'core:http', version: '1.0.0', register() {} })

let gateway: TestGateway | undefined
afterEach(async () => {
  await gateway?.stop()
  gateway = undefined
})

async function routesFor(endpoints: Record<string, unknown>): Promise<string[]> {
  gateway = await createTestGateway({ config: { gateway: { http: { endpoints } } }, plugins: [fakeHttp, httpOpenAi()] })
  return gateway.registry.httpRoutes.keys().filter((key) => gateway!.registry.httpRoutes.owner(key) === 'http:openai').sort()
}

describe('http:openai plugin', () => {
  it('should declare its id, dependency and config key', () => {
    expect(httpOpenAi()).toMatchObject({ id: 'http:openai', dependsOn: ['core:http'], configKey: 'gateway.http.endpoints', kind: 'surface' })
  })

  it('should default to both endpoints off, with the documented limits', () => {
    const config = OpenAiEndpointsConfigSchema.parse({})
    expect(config.chatCompletions).toMatchObject({ enabled: false, maxBodyBytes: 20 * 1024 * 1024, images: { allowUrl: false, maxParts: 8 } })
    expect(config.responses).toMatchObject({ enabled: false, maxUrlParts: 8, images: { allowUrl: true }, files: { allowUrl: true, maxChars: 60_000 } })
  })

  it('should register no route while both endpoints are off', async () => {
    expect(await routesFor({})).toEqual([])
  })

  it('should register only the enabled endpoint, plus the models routes, all with gateway auth and OpenAI errors', async () => {
    expect(await routesFor({ chatCompletions: { enabled: true } })).toEqual([
      'GET /v1/models', 'GET /v1/models/:id', 'GET /v1/models/openclaw/:agentId', 'POST /v1/chat/completions', 'POST /v1/embeddings',
    ])
    for (const route of gateway!.registry.httpRoutes.values().filter((r) => r.path.startsWith('/v1/'))) {
      expect(route.auth).toBe('gateway')
      expect(route.formatError?.({ statusCode: 401, code: 'HTTP_ERR_UNAUTHORIZED', message: 'Unauthorized' })).toEqual({
        error: { message: 'Unauthorized', type: 'unauthorized', param: null, code: 'HTTP_ERR_UNAUTHORIZED' },
      })
    }
    await gateway!.stop()
    expect(await routesFor({ responses: { enabled: true, maxBodyBytes: 1234 } })).toContain('POST /v1/responses')
    expect(gateway!.registry.httpRoutes.get('POST /v1/responses')?.bodyLimit).toBe(1234)
  })

  it('should refuse an invalid config at startup', async () => {
    await expect(createTestGateway({ config: { gateway: { http: { endpoints: { chatCompletions: { enabled: 'yes' } } } } }, plugins: [fakeHttp, httpOpenAi()] })).rejects.toThrow(
      /gateway\.http\.endpoints\.chatCompletions\.enabled/,
    )
  })
})
