import { z } from 'zod'
import { ANTHROPIC_BASE_URL, ANTHROPIC_VERSION } from './anthropic-provider.js'
import { timerMs } from '@openclaw/plugin-sdk/config'

/** `models.providers.anthropic` in the gateway config. */
export const AnthropicConfigSchema = z.strictObject({
  /** Without `/v1`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default(ANTHROPIC_BASE_URL),
  /** Sent as `x-api-key`; `ANTHROPIC_API_KEY` when left out. */
  apiKey: z.string().min(1).optional(),
  /** Models to list; any model id is passed through anyway. */
  models: z.array(z.string().min(1)).optional(),
  /** `max_tokens` when a request sets none. With thinking on, the thinking budget comes on top. */
  maxTokens: z.number().int().positive().default(4096),
  /** Retries after 429, 5xx, 529 and network failures, before any output. */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /** The `anthropic-version` header. */
  anthropicVersion: z.string().min(1).default(ANTHROPIC_VERSION),
  /** Extra request headers (`anthropic-beta`, a proxy's auth…). */
  headers: z.record(z.string(), z.string()).optional(),
  /** Give up an attempt after this long without data. */
  timeoutMs: timerMs().positive().optional(),
})
export type AnthropicConfig = z.output<typeof AnthropicConfigSchema>
