// @openclaw/plugin-provider-anthropic: the `anthropic` model provider (Claude, Messages API).
// Explicit names only.
import { definePlugin, type PluginDefinition } from '@openclaw/plugin-sdk'
import { AnthropicConfigSchema, type AnthropicConfig } from './anthropic-config.js'
import { ANTHROPIC_BASE_URL, createAnthropicProvider } from './anthropic-provider.js'

export const PLUGIN_ID = 'provider:anthropic'
const PLUGIN_VERSION = '1.0.0'
const API_KEY_ENV = 'ANTHROPIC_API_KEY'

/** The Anthropic provider plugin. Config lives at `models.providers.anthropic`. */
/** A factory: each call makes a fresh plugin, so gateways in one process share nothing. */
export default function providerAnthropic(): PluginDefinition<AnthropicConfig> {
  return definePlugin<AnthropicConfig>({
  id: PLUGIN_ID,
  version: PLUGIN_VERSION,
  name: 'Anthropic',
  description: 'Claude models over the Anthropic Messages API',
  kind: 'provider',
  apiVersion: '^2.0.0',
  configKey: 'models.providers.anthropic',
  config: AnthropicConfigSchema,
  register(api) {
    const { apiKey, ...settings } = api.config
    api.providers.register(createAnthropicProvider({ id: 'anthropic', ...settings, apiKey: () => apiKey ?? process.env[API_KEY_ENV] }))
  },
  start(api) {
    // Warn only when an agent actually uses this provider: an unused provider needs no key.
    const { defaults, entries } = api.gateway.config.agents
    const used = [defaults, ...Object.values(entries)].some((agent) => agent.model?.startsWith('anthropic/'))
    const official = new URL(api.config.baseUrl).origin === new URL(ANTHROPIC_BASE_URL).origin
    if (used && official && api.config.apiKey === undefined && !process.env[API_KEY_ENV]) {
      api.log.warn(`No API key for provider 'anthropic': set models.providers.anthropic.apiKey or ${API_KEY_ENV}`)
    }
  },
})
}

export { createAnthropicProvider, ANTHROPIC_BASE_URL, ANTHROPIC_VERSION } from './anthropic-provider.js'
export { AnthropicConfigSchema } from './anthropic-config.js'
export { DEFAULT_THINKING_BUDGETS } from './messages-request.js'
export {
  ANTHROPIC_ERR_AUTH,
  ANTHROPIC_ERR_RATE_LIMITED,
  ANTHROPIC_ERR_UPSTREAM,
  ANTHROPIC_ERR_BAD_REQUEST,
  ANTHROPIC_ERR_UNREACHABLE,
  ANTHROPIC_ERR_TIMEOUT,
} from './errors.js'

export type { AnthropicProviderOptions } from './anthropic-provider.js'
export type { AnthropicConfig } from './anthropic-config.js'
export type { ThinkingBudgets } from './messages-request.js'
export type { UpstreamError, UpstreamErrorDetails } from './upstream-error.js'
