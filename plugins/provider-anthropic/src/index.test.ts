import type { Logger, ModelProvider, PluginApi } from '@openclaw/plugin-sdk'
import { createScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import createProviderAnthropic, { AnthropicConfigSchema, PLUGIN_ID, type AnthropicConfig } from './index.js'

const providerAnthropic = createProviderAnthropic()

/** Just enough of a PluginApi for register/start: providers and a logger. */
function fakeApi(input: unknown, usedBy: string | undefined = 'anthropic/some-model'): { api: PluginApi<AnthropicConfig>; providers: ModelProvider[]; warn: ReturnType<typeof vi.fn> } {
  const providers: ModelProvider[] = []
  const warn = vi.fn()
  const log = { warn } as unknown as Logger
  const api = { id: PLUGIN_ID, config: AnthropicConfigSchema.parse(input), log, gateway: { config: { agents: { defaults: { model: usedBy }, entries: {} } } }, providers: { register: (p: ModelProvider) => providers.push(p) } }
  return { api: api as unknown as PluginApi<AnthropicConfig>, providers, warn }
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('provider:anthropic plugin', () => {
  it('should declare a provider plugin configured at models.providers.anthropic', () => {
    expect(providerAnthropic).toMatchObject({ id: 'provider:anthropic', kind: 'provider', configKey: 'models.providers.anthropic' })
    expect(providerAnthropic.config).toBe(AnthropicConfigSchema)
  })

  it('should apply defaults to an empty config', () => {
    expect(AnthropicConfigSchema.parse({})).toEqual({ baseUrl: 'https://api.anthropic.com', maxTokens: 4096, maxRetries: 3, anthropicVersion: '2023-06-01' })
  })

  it('should reject unknown keys and bad values', () => {
    expect(AnthropicConfigSchema.safeParse({ max_tokens: 10 }).success).toBe(false)
    expect(AnthropicConfigSchema.safeParse({ maxTokens: 0 }).success).toBe(false)
    expect(AnthropicConfigSchema.safeParse({ baseUrl: 'not a url' }).success).toBe(false)
  })

  it('should register the anthropic provider', () => {
    const { api, providers } = fakeApi({ models: ['claude-sonnet-4-5'] })
    providerAnthropic.register(api)
    expect(providers.map((p) => p.id)).toEqual(['anthropic'])
    expect(providers[0]?.models).toEqual(['claude-sonnet-4-5'])
  })

  it('should warn at start when api.anthropic.com has no key in config or ANTHROPIC_API_KEY', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '')
    const { api, warn } = fakeApi({})
    await providerAnthropic.start?.(api)
    expect(warn).toHaveBeenCalledOnce()
    expect(String(warn.mock.calls[0]?.[0])).toContain('ANTHROPIC_API_KEY')
  })

  it('should fall back to ANTHROPIC_API_KEY and use the configured settings', async () => {
    const server = await createScriptedModelServer()
    try {
      vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-from-env-000')
      const { api, providers, warn } = fakeApi({ baseUrl: server.url, maxTokens: 256, anthropicVersion: '2024-01-01' })
      providerAnthropic.register(api)
      await providerAnthropic.start?.(api)
      const signal = new AbortController().signal
      for await (const _ of providers[0]!.stream({ model: 'claude-test', system: '', messages: [{ role: 'user', content: 'hi' }], tools: [], signal })) {
        // drain
      }
      expect(warn).not.toHaveBeenCalled()
      expect(server.requests[0]?.headers['x-api-key']).toBe('sk-ant-from-env-000')
      expect(server.requests[0]?.headers['anthropic-version']).toBe('2024-01-01')
      expect(server.requests[0]?.body).toMatchObject({ max_tokens: 256 })
    } finally {
      await server.close()
    }
  })
})
