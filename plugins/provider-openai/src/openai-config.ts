import { z } from 'zod'
import { timerMs } from '@openclaw/plugin-sdk/config'

/**
 * The fields of a `models.providers.<id>` entry with `api: "openai-completions"` that this adapter
 * reads besides the common ones (`baseUrl`, `apiKey`, `headers`, `models`, `maxTokens`,
 * `timeoutSeconds`, which the core checks).
 */
export const OpenAiOptionsSchema = z.strictObject({
  /** Retries after 429, 5xx and network failures, before any output. */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /** Give up an attempt after this long without data; wins over `timeoutSeconds`. */
  timeoutMs: timerMs().positive().optional(),
  /** Default: `max_completion_tokens` for api.openai.com, `max_tokens` elsewhere. */
  maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
})
export type OpenAiOptions = z.output<typeof OpenAiOptionsSchema>
