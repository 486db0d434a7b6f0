import { defineModelApi, type ModelApi } from '@openclaw/plugin-sdk'
import { OpenAiOptionsSchema, type OpenAiOptions } from './openai-config.js'
import { createOpenAiProvider, OPENAI_BASE_URL } from './openai-provider.js'

/** The `api` name OpenClaw configs use for the Chat Completions API. */
export const OPENAI_COMPLETIONS_API = 'openai-completions'
export const OPENAI_API_KEY_ENV = 'OPENAI_API_KEY'

/**
 * `api: "openai-completions"`: a provider for every `models.providers.<id>` entry that speaks the
 * Chat Completions API (OpenAI, Ollama, vLLM, LM Studio, OpenRouter…), and the built-in `openai`
 * (api.openai.com, key from `OPENAI_API_KEY`).
 */
export const openAiCompletionsApi: ModelApi<OpenAiOptions> = defineModelApi<OpenAiOptions>({
  api: OPENAI_COMPLETIONS_API,
  builtins: [{ id: 'openai', baseUrl: OPENAI_BASE_URL, apiKeyEnv: OPENAI_API_KEY_ENV }],
  options: OpenAiOptionsSchema,
  create(provider) {
    const { maxRetries, maxTokensField } = provider.options
    const timeoutMs = provider.options.timeoutMs ?? provider.timeoutMs
    return createOpenAiProvider({
      id: provider.id,
      baseUrl: provider.baseUrl ?? OPENAI_BASE_URL,
      apiKey: provider.apiKey,
      maxRetries,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(maxTokensField !== undefined ? { maxTokensField } : {}),
      ...(provider.headers !== undefined ? { headers: provider.headers } : {}),
      ...(provider.models !== undefined ? { models: provider.models } : {}),
      ...(provider.maxTokens !== undefined ? { maxTokens: provider.maxTokens } : {}),
    })
  },
})
