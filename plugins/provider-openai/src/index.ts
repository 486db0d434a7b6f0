// @openclaw/plugin-provider-openai: the `openai-completions` wire API, which serves the built-in
// `openai` provider and every `models.providers.<id>` entry that names it. Explicit names only.
import { definePlugin, type PluginDefinition } from '@openclaw/plugin-sdk'
import { openAiCompletionsApi } from './openai-completions-api.js'

export const PLUGIN_ID = 'provider:openai'
const PLUGIN_VERSION = '1.1.0'

/**
 * The OpenAI provider plugin: registers the `openai-completions` adapter; the core builds the providers.
 * A factory: each call makes a fresh plugin, so gateways in one process share nothing.
 */
export default function providerOpenAi(): PluginDefinition<undefined> {
  return definePlugin({
    id: PLUGIN_ID,
    version: PLUGIN_VERSION,
    name: 'OpenAI',
    description: 'Models over the OpenAI Chat Completions API and OpenAI-compatible servers (api: openai-completions)',
    kind: 'provider',
    apiVersion: '^2.0.0',
    register(api) {
      api.providers.adapter(openAiCompletionsApi)
    },
  })
}

export { createOpenAiProvider, OPENAI_BASE_URL } from './openai-provider.js'
export { openAiCompletionsApi, OPENAI_COMPLETIONS_API, OPENAI_API_KEY_ENV } from './openai-completions-api.js'
export { OpenAiOptionsSchema } from './openai-config.js'
export {
  OPENAI_ERR_AUTH,
  OPENAI_ERR_RATE_LIMITED,
  OPENAI_ERR_UPSTREAM,
  OPENAI_ERR_BAD_REQUEST,
  OPENAI_ERR_UNREACHABLE,
  OPENAI_ERR_TIMEOUT,
} from './errors.js'

export type { OpenAiProviderOptions } from './openai-provider.js'
export type { OpenAiOptions } from './openai-config.js'
export type { UpstreamError, UpstreamErrorDetails } from './upstream-error.js'
