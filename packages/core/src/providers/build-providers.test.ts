import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import type { ModelApi, ModelApiProvider, ModelStreamEvent } from '../types/providers.js'
import { buildProviders, type BuildProvidersInput } from './build-providers.js'

/** An adapter that records what the core handed it. */
function recordingApi(api: string, extra: Partial<ModelApi> = {}): { adapter: ModelApi; made: ModelApiProvider[] } {
  const made: ModelApiProvider[] = []
  const adapter: ModelApi = {
    api,
    ...extra,
    create(provider) {
      made.push(provider)
      return { id: 'whatever-the-adapter-says', models: ['ignored'], async *stream(): AsyncGenerator<ModelStreamEvent> {} }
    },
  }
  return { adapter, made }
}

function build(entries: Record<string, unknown>, adapters: ModelApi[], more: Partial<BuildProvidersInput> = {}) {
  return buildProviders({
    entries: entries as BuildProvidersInput['entries'],
    adapters: adapters.map((adapter) => ({ owner: `provider:${adapter.api}`, adapter })),
    registered: new Map(),
    claimed: new Set(),
    env: {},
    ...more,
  })
}

describe('buildProviders', () => {
  it('should build one provider per entry, under the entry\'s id, with the core\'s catalogue', () => {
    const completions = recordingApi('openai-completions')
    const result = build(
      { ollama: { api: 'openai-completions', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'ollama', models: [{ id: 'llama3.2', name: 'Llama 3.2', contextWindow: 128000 }] } },
      [completions.adapter],
    )
    expect(result.problems).toEqual([])
    expect(result.providers.map((p) => [p.owner, p.provider.id, p.provider.models])).toEqual([
      ['provider:openai-completions', 'ollama', [{ id: 'llama3.2', name: 'Llama 3.2', contextWindow: 128000 }]],
    ])
    expect(completions.made[0]).toMatchObject({ id: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', models: [{ id: 'llama3.2' }] })
    expect(completions.made[0]!.apiKey()).toBe('ollama')
  })

  it('should default a provider with a baseUrl and no api to openai-completions, as OpenClaw does', () => {
    const completions = recordingApi('openai-completions')
    const result = build({ vllm: { baseUrl: 'http://gpu:8000/v1', models: ['qwen3'] } }, [completions.adapter])
    expect(result.problems).toEqual([])
    expect(completions.made.map((p) => p.id)).toEqual(['vllm'])
  })

  it('should refuse an unknown api, naming the path and the known values', () => {
    const result = build({ gem: { api: 'google-generative-ai', models: ['x'] } }, [recordingApi('openai-completions').adapter, recordingApi('anthropic-messages').adapter])
    expect(result.problems).toEqual(['models.providers.gem.api: unknown API "google-generative-ai" (known: anthropic-messages, openai-completions)'])
    expect(result.providers).toEqual([])
  })

  it('should refuse an entry with neither api nor baseUrl that is not built in', () => {
    const result = build({ mystery: { apiKey: 'k' } }, [recordingApi('openai-completions').adapter])
    expect(result.problems[0]).toMatch(/^models\.providers\.mystery\.api: required/)
  })

  it('should build built-in providers without an entry, and give them their environment key', () => {
    const messages = recordingApi('anthropic-messages', { builtins: [{ id: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKeyEnv: 'ANTHROPIC_API_KEY' }] })
    const env: NodeJS.ProcessEnv = {}
    const result = build({}, [messages.adapter], { env })
    expect(result.providers.map((p) => p.provider.id)).toEqual(['anthropic'])
    expect(messages.made[0]!.baseUrl).toBe('https://api.anthropic.com')
    expect(messages.made[0]!.apiKey()).toBeUndefined()
    env.ANTHROPIC_API_KEY = 'sk-later'
    expect(messages.made[0]!.apiKey()).toBe('sk-later')
  })

  it('should validate the adapter\'s own fields, and refuse fields neither the core nor the adapter reads', () => {
    const withOptions = recordingApi('openai-completions', { options: z.strictObject({ maxRetries: z.number().int().default(3) }) })
    const ok = build({ a: { baseUrl: 'http://a/v1', maxRetries: 1 } }, [withOptions.adapter])
    expect(ok.problems).toEqual([])
    expect(withOptions.made[0]!.options).toEqual({ maxRetries: 1 })

    const bad = build({ a: { baseUrl: 'http://a/v1', maxRetries: 'x', compat: {} } }, [withOptions.adapter])
    expect(bad.problems.join('\n')).toContain('models.providers.a.maxRetries')
    expect(bad.problems.join('\n')).toContain('compat')

    const none = build({ a: { baseUrl: 'http://a/v1', nope: 1 } }, [recordingApi('openai-completions').adapter])
    expect(none.problems).toEqual(['models.providers.a: unknown field(s) "nope" for API "openai-completions"'])
  })

  it('should leave an entry a plugin owns as its config section alone, and refuse an id registered directly', () => {
    const completions = recordingApi('openai-completions')
    const result = build(
      { mine: { baseUrl: 'http://a/v1', anything: true }, taken: { baseUrl: 'http://b/v1' } },
      [completions.adapter],
      { claimed: new Set(['mine']), registered: new Map([['taken', 'provider:custom']]) },
    )
    expect(result.problems).toEqual(["models.providers.taken: provider 'taken' is already registered by plugin 'provider:custom'"])
    expect(completions.made).toEqual([])
  })
})
