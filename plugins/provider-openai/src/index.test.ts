import type { Logger, ModelProvider, PluginApi } from '@openclaw/plugin-sdk'
import { createScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import createProviderOpenAi, { OpenAiConfigSchema, PLUGIN_ID, type OpenAiConfig } from './index.js'

const providerOpenAi = createProviderOpenAi()

/** Just enough of a PluginApi for register/start: providers and a logger. */
function fakeApi(input: unknown, usedBy: string | undefined = 'openai/some-model'): { api: PluginApi<OpenAiConfig>; providers: ModelProvider[]; warn: ReturnType<typeof vi.fn> } {
  const providers: ModelProvider[] = []
  const warn = vi.fn()
  const log = { warn } as unknown as Logger
  const api = { id: PLUGIN_ID, config: OpenAiConfigSchema.parse(input), log, gateway: { config: { agents: { defaults: { model: usedBy }, entries: {} } } }, providers: { register: (p: ModelProvider) => providers.push(p) } }
  return { api: api as unknown as PluginApi<OpenAiConfig>, providers, warn }
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('provider:openai plugin', () => {
  it('should declare a provider plugin configured at models.providers.openai', () => {
    expect(providerOpenAi).toMatchObject({ id: 'provider:openai', kind: 'provider', configKey: 'models.providers.openai' })
    expect(providerOpenAi.config).toBe(OpenAiConfigSchema)
  })

  it('should apply defaults to an empty config', () => {
    expect(OpenAiConfigSchema.parse({})).toEqual({ baseUrl: 'https://api.openai.com/v1', maxRetries: 3, extra: {} })
  })

  it('should reject unknown keys, bad URLs and an extra provider named openai', () => {
    expect(OpenAiConfigSchema.safeParse({ apikey: 'x' }).success).toBe(false)
    expect(OpenAiConfigSchema.safeParse({ baseUrl: 'ftp://example.test' }).success).toBe(false)
    expect(OpenAiConfigSchema.safeParse({ extra: { openai: { baseUrl: 'http://localhost:1/v1' } } }).success).toBe(false)
    expect(OpenAiConfigSchema.safeParse({ extra: { Bad_Id: { baseUrl: 'http://localhost:1/v1' } } }).success).toBe(false)
  })

  it('should register the openai provider, and one provider per extra entry', () => {
    const { api, providers } = fakeApi({
      models: ['gpt-4o'],
      extra: { ollama: { baseUrl: 'http://127.0.0.1:11434/v1', models: ['llama3.2'] }, vllm: { baseUrl: 'http://127.0.0.1:8000/v1' } },
    })
    providerOpenAi.register(api)
    expect(providers.map((p) => p.id)).toEqual(['openai', 'ollama', 'vllm'])
    expect(providers[0]?.models).toEqual(['gpt-4o'])
    expect(providers[1]?.models).toEqual(['llama3.2'])
  })

  it('should warn at start when api.openai.com has no key in config or OPENAI_API_KEY', async () => {
    vi.stubEnv('OPENAI_API_KEY', '')
    const { api, warn } = fakeApi({})
    await providerOpenAi.start?.(api)
    expect(warn).toHaveBeenCalledOnce()
    expect(String(warn.mock.calls[0]?.[0])).toContain('OPENAI_API_KEY')
  })

  it('should not warn when no agent uses the provider', async () => {
    vi.stubEnv('OPENAI_API_KEY', '')
    const { api, warn } = fakeApi({}, 'anthropic/claude')
    await providerOpenAi.start?.(api)
    expect(warn).not.toHaveBeenCalled()
  })

  it('should not warn when OPENAI_API_KEY is set, or when the base URL is another server', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env-000000')
    const withEnv = fakeApi({})
    await providerOpenAi.start?.(withEnv.api)
    vi.stubEnv('OPENAI_API_KEY', '')
    const local = fakeApi({ baseUrl: 'http://127.0.0.1:11434/v1' })
    await providerOpenAi.start?.(local.api)
    expect(withEnv.warn).not.toHaveBeenCalled()
    expect(local.warn).not.toHaveBeenCalled()
  })

  it('should fall back to OPENAI_API_KEY when the config has no apiKey', async () => {
    const server = await createScriptedModelServer()
    try {
      vi.stubEnv('OPENAI_API_KEY', 'sk-from-env-000000')
      const { api, providers } = fakeApi({ baseUrl: server.baseUrl })
      providerOpenAi.register(api)
      const signal = new AbortController().signal
      for await (const _ of providers[0]!.stream({ model: 'm', system: '', messages: [{ role: 'user', content: 'hi' }], tools: [], signal })) {
        // drain
      }
      expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-from-env-000000')
    } finally {
      await server.close()
    }
  })
})
