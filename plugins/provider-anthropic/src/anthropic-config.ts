import { z } from 'zod'
import { ANTHROPIC_VERSION } from './anthropic-provider.js'
import { timerMs } from '@openclaw/plugin-sdk/config'

/**
 * The fields of a `models.providers.<id>` entry with `api: "anthropic-messages"` that this adapter
 * reads besides the common ones (`baseUrl`, `apiKey`, `headers`, `models`, `maxTokens`,
 * `timeoutSeconds`, which the core checks).
 */
export const AnthropicOptionsSchema = z.strictObject({
  /** Retries after 429, 5xx, 529 and network failures, before any output. */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /** The `anthropic-version` header. */
  anthropicVersion: z.string().min(1).default(ANTHROPIC_VERSION),
  /** Give up an attempt after this long without data; wins over `timeoutSeconds`. */
  timeoutMs: timerMs().positive().optional(),
})
export type AnthropicOptions = z.output<typeof AnthropicOptionsSchema>
