import { z } from 'zod'
import { OPENAI_BASE_URL } from './openai-provider.js'
import { timerMs } from '@openclaw/plugin-sdk/config'

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

const ProviderId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"')
  .refine((id) => id !== 'openai', "'openai' is the main provider; pick another id")

/** Settings shared by the main provider and each `extra` one. */
const ConnectionFields = {
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: z.string().min(1).optional(),
  /** Models to list; any model id is passed through anyway. */
  models: z.array(z.string().min(1)).optional(),
  /** Extra request headers (`OpenAI-Organization`, a proxy's auth…). */
  headers: z.record(z.string(), z.string()).optional(),
  /** Retries after 429, 5xx and network failures, before any output. */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /** Give up an attempt after this long without data. */
  timeoutMs: timerMs().positive().optional(),
}

/** An additional OpenAI-compatible provider (Ollama, vLLM, LM Studio, OpenRouter…). */
export const OpenAiCompatibleConfigSchema = z.strictObject({
  baseUrl: HttpUrl,
  ...ConnectionFields,
})
export type OpenAiCompatibleConfig = z.output<typeof OpenAiCompatibleConfigSchema>

/** `models.providers.openai` in the gateway config. */
export const OpenAiConfigSchema = z.strictObject({
  baseUrl: HttpUrl.default(OPENAI_BASE_URL),
  ...ConnectionFields,
  /** Provider id → an additional OpenAI-compatible provider, registered under that id. */
  extra: z.record(ProviderId, OpenAiCompatibleConfigSchema).default({}),
})
export type OpenAiConfig = z.output<typeof OpenAiConfigSchema>
