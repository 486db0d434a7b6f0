import type { Logger, ModelProvider } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, createTestGateway, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import createProviderOpenAi, { OpenAiOptionsSchema, PLUGIN_ID } from './index.js'

let server: ScriptedModelServer
beforeEach(async () => {
  server = await createScriptedModelServer()
})
afterEach(async () => {
  await server.close()
})

async function drain(provider: ModelProvider, model = 'm'): Promise<void> {
  for await (const _ of provider.stream({ model, system: '', messages: [{ role: 'user', content: 'hi' }], tools: [], signal: new AbortController().signal })) {
    // drain
  }
}

function warnings(): { logger: Logger; warn: ReturnType<typeof vi.fn> } {
  const warn = vi.fn()
  const quiet = () => {}
  const logger: Logger = { level: 'warn', trace: quiet, debug: quiet, info: quiet, warn, error: quiet, fatal: quiet, child: () => logger }
  return { logger, warn }
}

describe('provider:openai plugin', () => {
  it('should declare a provider plugin that owns no config section', () => {
    const plugin = createProviderOpenAi()
    expect(plugin).toMatchObject({ id: PLUGIN_ID, kind: 'provider' })
    expect(plugin.configKey).toBeUndefined()
  })

  it('should give the adapter options their defaults and refuse unknown ones', () => {
    expect(OpenAiOptionsSchema.parse({})).toEqual({ maxRetries: 3 })
    expect(OpenAiOptionsSchema.safeParse({ apikey: 'x' }).success).toBe(false)
  })

  it('should serve the built-in openai provider without any config, with OPENAI_API_KEY', async () => {
    const gateway = await createTestGateway({ plugins: [createProviderOpenAi()], env: { OPENAI_API_KEY: 'sk-from-env-000000' }, start: false })
    try {
      expect(gateway.registry.providers.keys()).toEqual(['openai'])
      expect(gateway.registry.providers.owner('openai')).toBe(PLUGIN_ID)
    } finally {
      await gateway.stop()
    }
  })

  it('should build one provider per models.providers entry that names openai-completions, any id', async () => {
    const gateway = await createTestGateway({
      plugins: [createProviderOpenAi()],
      start: false,
      config: {
        models: {
          providers: {
            ollama: { baseUrl: server.baseUrl, apiKey: 'ollama', api: 'openai-completions', models: [{ id: 'llama3.2', name: 'Llama 3.2', contextWindow: 128000 }] },
            vllm: { baseUrl: 'http://127.0.0.1:9/v1', models: [{ id: 'qwen3' }] },
          },
        },
      },
    })
    try {
      expect(gateway.registry.providers.keys().sort()).toEqual(['ollama', 'openai', 'vllm'])
      await drain(gateway.registry.providers.get('ollama')!, 'llama3.2')
      expect(server.requests[0]?.headers.authorization).toBe('Bearer ollama')
      expect((server.requests[0]?.body as { model: string }).model).toBe('llama3.2')
    } finally {
      await gateway.stop()
    }
  })

  it('should fall back to OPENAI_API_KEY for the openai entry, not for other ids', async () => {
    const env = { OPENAI_API_KEY: 'sk-from-env-000000' }
    const gateway = await createTestGateway({
      plugins: [createProviderOpenAi()],
      env,
      start: false,
      config: { models: { providers: { openai: { baseUrl: server.baseUrl, maxRetries: 0 }, other: { baseUrl: server.baseUrl } } } },
    })
    try {
      await drain(gateway.registry.providers.get('openai')!)
      await drain(gateway.registry.providers.get('other')!)
      expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-from-env-000000')
      expect(server.requests[1]?.headers.authorization).toBeUndefined()
    } finally {
      await gateway.stop()
    }
  })

  it('should send a listed model\'s maxTokens, else the provider\'s, when the request sets none', async () => {
    const gateway = await createTestGateway({
      plugins: [createProviderOpenAi()],
      start: false,
      config: { models: { providers: { local: { baseUrl: server.baseUrl, maxTokens: 100, models: [{ id: 'big', maxTokens: 2000 }, 'small'] } } } },
    })
    try {
      const provider = gateway.registry.providers.get('local')!
      await drain(provider, 'big')
      await drain(provider, 'small')
      expect(server.requests.map((r) => (r.body as { max_tokens?: number }).max_tokens)).toEqual([2000, 100])
    } finally {
      await gateway.stop()
    }
  })

  it('should keep the earlier extra providers working, with a deprecation warning', async () => {
    const { logger, warn } = warnings()
    const gateway = await createTestGateway({
      plugins: [createProviderOpenAi()],
      logger,
      start: false,
      config: { models: { providers: { openai: { models: ['gpt-4o'], extra: { ollama: { baseUrl: server.baseUrl, models: ['llama3.2'] } } } } } },
    })
    try {
      expect(gateway.registry.providers.keys().sort()).toEqual(['ollama', 'openai'])
      expect(gateway.registry.providers.get('ollama')?.models).toEqual([{ id: 'llama3.2' }])
      expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining('models.providers.openai.extra is deprecated'))
    } finally {
      await gateway.stop()
    }
  })

  it('should warn when an agent uses api.openai.com with no key in config or OPENAI_API_KEY', async () => {
    const { logger, warn } = warnings()
    const gateway = await createTestGateway({ plugins: [createProviderOpenAi()], logger, start: false, config: { agents: { defaults: { model: 'openai/gpt-4o-mini' } } } })
    await gateway.stop()
    expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining('OPENAI_API_KEY'))
  })

  it('should not warn when no agent uses it, when the key is in the environment, or for another server', async () => {
    const { logger, warn } = warnings()
    for (const options of [
      { config: { agents: { defaults: { model: 'anthropic/claude' } } } },
      { config: { agents: { defaults: { model: 'openai/gpt-4o-mini' } } }, env: { OPENAI_API_KEY: 'sk-x' } },
      { config: { agents: { defaults: { model: 'openai/gpt-4o-mini' } }, models: { providers: { openai: { baseUrl: server.baseUrl } } } } },
    ]) {
      const gateway = await createTestGateway({ plugins: [createProviderOpenAi()], logger, start: false, ...options })
      await gateway.stop()
    }
    expect(warn).not.toHaveBeenCalled()
  })
})
