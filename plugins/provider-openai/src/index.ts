// @openclaw/plugin-provider-openai: the `openai` model provider, plus any OpenAI-compatible ones
// configured under `extra`. Explicit names only.
import { definePlugin, type PluginDefinition } from '@openclaw/plugin-sdk'
import { OpenAiConfigSchema, type OpenAiConfig } from './openai-config.js'
import { createOpenAiProvider, OPENAI_BASE_URL } from './openai-provider.js'

export const PLUGIN_ID = 'provider:openai'
const PLUGIN_VERSION = '1.0.0'
const API_KEY_ENV = 'OPENAI_API_KEY'

/** The OpenAI provider plugin. Config lives at `models.providers.openai`. */
/** A factory: each call makes a fresh plugin, so gateways in one process share nothing. */
export default function providerOpenAi(): PluginDefinition<OpenAiConfig> {
  return definePlugin<OpenAiConfig>({
  id: PLUGIN_ID,
  version: PLUGIN_VERSION,
  name: 'OpenAI',
  description: 'Models over the OpenAI Chat Completions API and OpenAI-compatible servers',
  kind: 'provider',
  apiVersion: '^2.0.0',
  configKey: 'models.providers.openai',
  config: OpenAiConfigSchema,
  register(api) {
    const { extra, apiKey, ...main } = api.config
    api.providers.register(createOpenAiProvider({ id: 'openai', ...main, apiKey: () => apiKey ?? process.env[API_KEY_ENV] }))
    for (const [id, settings] of Object.entries(extra)) api.providers.register(createOpenAiProvider({ id, ...settings }))
  },
  start(api) {
    // Warn only when an agent actually uses this provider: an unused provider needs no key.
    const { defaults, entries } = api.gateway.config.agents
    const used = [defaults, ...Object.values(entries)].some((agent) => agent.model?.startsWith('openai/'))
    const official = new URL(api.config.baseUrl).origin === new URL(OPENAI_BASE_URL).origin
    if (used && official && api.config.apiKey === undefined && !process.env[API_KEY_ENV]) {
      api.log.warn(`No API key for provider 'openai': set models.providers.openai.apiKey or ${API_KEY_ENV}`)
    }
  },
})
}

export { createOpenAiProvider, OPENAI_BASE_URL } from './openai-provider.js'
export { OpenAiConfigSchema, OpenAiCompatibleConfigSchema } from './openai-config.js'
export {
  OPENAI_ERR_AUTH,
  OPENAI_ERR_RATE_LIMITED,
  OPENAI_ERR_UPSTREAM,
  OPENAI_ERR_BAD_REQUEST,
  OPENAI_ERR_UNREACHABLE,
  OPENAI_ERR_TIMEOUT,
} from './errors.js'

export type { OpenAiProviderOptions } from './openai-provider.js'
export type { OpenAiConfig, OpenAiCompatibleConfig } from './openai-config.js'
export type { UpstreamError, UpstreamErrorDetails } from './upstream-error.js'
