// @openclaw/plugin-provider-anthropic: the `anthropic-messages` wire API (Claude, Messages API), which
// serves the built-in `anthropic` provider and every `models.providers.<id>` entry that names it.
// Explicit names only.
import { definePlugin, type PluginDefinition } from '@openclaw/plugin-sdk'
import { anthropicMessagesApi } from './anthropic-messages-api.js'

export const PLUGIN_ID = 'provider:anthropic'
const PLUGIN_VERSION = '1.1.0'

/**
 * The Anthropic provider plugin: registers the `anthropic-messages` adapter; the core builds the providers.
 * A factory: each call makes a fresh plugin, so gateways in one process share nothing.
 */
export default function providerAnthropic(): PluginDefinition<undefined> {
  return definePlugin({
    id: PLUGIN_ID,
    version: PLUGIN_VERSION,
    name: 'Anthropic',
    description: 'Claude models over the Anthropic Messages API (api: anthropic-messages)',
    kind: 'provider',
    apiVersion: '^2.0.0',
    register(api) {
      api.providers.adapter(anthropicMessagesApi)
    },
  })
}

export { createAnthropicProvider, ANTHROPIC_BASE_URL, ANTHROPIC_VERSION } from './anthropic-provider.js'
export { anthropicMessagesApi, ANTHROPIC_MESSAGES_API, ANTHROPIC_API_KEY_ENV } from './anthropic-messages-api.js'
export { AnthropicOptionsSchema } from './anthropic-config.js'
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
export type { AnthropicOptions } from './anthropic-config.js'
export type { ThinkingBudgets } from './messages-request.js'
export type { UpstreamError, UpstreamErrorDetails } from './upstream-error.js'
