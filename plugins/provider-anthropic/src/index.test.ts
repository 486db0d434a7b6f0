import type { Logger, ModelProvider } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, createTestGateway, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import createProviderAnthropic, { AnthropicOptionsSchema, PLUGIN_ID } from './index.js'

let server: ScriptedModelServer
beforeEach(async () => {
  server = await createScriptedModelServer()
})
afterEach(async () => {
  await server.close()
})

async function drain(provider: ModelProvider, model = 'claude-test'): Promise<void> {
  for await (const _ of provider.stream({ model, system: '', messages: [{ role: 'user', content: 'hi' }], tools: [], signal: new AbortController().signal })) {
    // drain
  }
}

describe('provider:anthropic plugin', () => {
  it('should declare a provider plugin that owns no config section', () => {
    const plugin = createProviderAnthropic()
    expect(plugin).toMatchObject({ id: PLUGIN_ID, kind: 'provider' })
    expect(plugin.configKey).toBeUndefined()
  })

  it('should give the adapter options their defaults and refuse unknown ones', () => {
    expect(AnthropicOptionsSchema.parse({})).toEqual({ maxRetries: 3, anthropicVersion: '2023-06-01' })
    expect(AnthropicOptionsSchema.safeParse({ max_tokens: 10 }).success).toBe(false)
  })

  it('should serve the built-in anthropic provider with ANTHROPIC_API_KEY and the configured settings', async () => {
    const gateway = await createTestGateway({
      plugins: [createProviderAnthropic()],
      env: { ANTHROPIC_API_KEY: 'sk-ant-from-env-000' },
      start: false,
      config: { models: { providers: { anthropic: { baseUrl: server.url, maxTokens: 256, anthropicVersion: '2024-01-01' } } } },
    })
    try {
      expect(gateway.registry.providers.keys()).toEqual(['anthropic'])
      await drain(gateway.registry.providers.get('anthropic')!)
      const request = server.requests[0]!
      expect(request.headers['x-api-key']).toBe('sk-ant-from-env-000')
      expect(request.headers['anthropic-version']).toBe('2024-01-01')
      expect((request.body as { max_tokens: number }).max_tokens).toBe(256)
    } finally {
      await gateway.stop()
    }
  })

  it('should build a provider under any id that names anthropic-messages, with its own key and no env fallback', async () => {
    const gateway = await createTestGateway({
      plugins: [createProviderAnthropic()],
      env: { ANTHROPIC_API_KEY: 'sk-ant-from-env-000' },
      start: false,
      config: { models: { providers: { claude: { api: 'anthropic-messages', baseUrl: server.url, apiKey: 'sk-claude', models: [{ id: 'claude-sonnet-4-5', maxTokens: 1000 }] }, bare: { api: 'anthropic-messages', baseUrl: server.url } } } },
    })
    try {
      expect(gateway.registry.providers.keys().sort()).toEqual(['anthropic', 'bare', 'claude'])
      await drain(gateway.registry.providers.get('claude')!, 'claude-sonnet-4-5')
      await drain(gateway.registry.providers.get('bare')!)
      expect(server.requests[0]?.headers['x-api-key']).toBe('sk-claude')
      expect((server.requests[0]?.body as { max_tokens: number }).max_tokens).toBe(1000)
      expect(server.requests[1]?.headers['x-api-key']).toBeUndefined()
    } finally {
      await gateway.stop()
    }
  })

  it('should warn when an agent uses api.anthropic.com with no key in config or ANTHROPIC_API_KEY', async () => {
    const warn = vi.fn()
    const quiet = () => {}
  const logger: Logger = { level: 'warn', trace: quiet, debug: quiet, info: quiet, warn, error: quiet, fatal: quiet, child: () => logger }
    const gateway = await createTestGateway({ plugins: [createProviderAnthropic()], logger, start: false, config: { agents: { defaults: { model: 'anthropic/claude-x' } } } })
    await gateway.stop()
    expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining('ANTHROPIC_API_KEY'))
  })
})
