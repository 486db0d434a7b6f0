import { defineModelApi, type ModelApi } from '@openclaw/plugin-sdk'
import { AnthropicOptionsSchema, type AnthropicOptions } from './anthropic-config.js'
import { ANTHROPIC_BASE_URL, createAnthropicProvider } from './anthropic-provider.js'

/** The `api` name OpenClaw configs use for the Anthropic Messages API. */
export const ANTHROPIC_MESSAGES_API = 'anthropic-messages'
export const ANTHROPIC_API_KEY_ENV = 'ANTHROPIC_API_KEY'
/** `max_tokens` when neither the request, the model entry nor the provider entry sets one (the API requires it). */
const DEFAULT_MAX_TOKENS = 4096

/**
 * `api: "anthropic-messages"`: a provider for every `models.providers.<id>` entry that speaks the
 * Messages API (Anthropic, and compatible endpoints), and the built-in `anthropic` (api.anthropic.com,
 * key from `ANTHROPIC_API_KEY`).
 */
export const anthropicMessagesApi: ModelApi<AnthropicOptions> = defineModelApi<AnthropicOptions>({
  api: ANTHROPIC_MESSAGES_API,
  builtins: [{ id: 'anthropic', baseUrl: ANTHROPIC_BASE_URL, apiKeyEnv: ANTHROPIC_API_KEY_ENV }],
  options: AnthropicOptionsSchema,
  create(provider) {
    const { maxRetries, anthropicVersion } = provider.options
    const timeoutMs = provider.options.timeoutMs ?? provider.timeoutMs
    const perModel = new Map((provider.models ?? []).filter((m) => m.maxTokens !== undefined).map((m) => [m.id, m.maxTokens!]))
    const maxTokens = provider.maxTokens ?? DEFAULT_MAX_TOKENS
    const inner = createAnthropicProvider({
      id: provider.id,
      baseUrl: provider.baseUrl ?? ANTHROPIC_BASE_URL,
      apiKey: provider.apiKey,
      maxRetries,
      anthropicVersion,
      maxTokens,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(provider.headers !== undefined ? { headers: provider.headers } : {}),
      ...(provider.models !== undefined ? { models: provider.models } : {}),
    })
    if (perModel.size === 0) return inner
    // A listed model's own `maxTokens` is its default, before the provider's.
    return {
      ...inner,
      stream: (request) => inner.stream(request.maxTokens === undefined && perModel.has(request.model) ? { ...request, maxTokens: perModel.get(request.model)! } : request),
    }
  },
})
