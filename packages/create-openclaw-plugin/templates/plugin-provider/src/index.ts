import { createError, definePlugin, defineProvider, parseRetryAfter, type ModelMessage, type ModelRequest, type ModelStreamEvent } from '@openclaw/plugin-sdk'
import { z } from 'zod'

export const PLUGIN_NAME = '__PLUGIN_ID__'
/** The part before `/` in a model ref: agents use `__SHORT_NAME__/<model>`. */
export const PROVIDER_ID = '__SHORT_NAME__'

/** `models.providers.__SHORT_NAME__` in the gateway config. */
export const ProviderConfig = z.object({
  /** Where the API lives; the provider POSTs to `<baseUrl>/generate`. */
  baseUrl: z.url().default('http://127.0.0.1:8080/v1'),
  apiKey: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).default(['simple-model']),
})
export type ProviderConfig = z.output<typeof ProviderConfig>

/** The API answered with an error status. `retryable` for 429 and 5xx (with `retryAfterMs` when it said). */
export const __ERR_PREFIX___ERR_UPSTREAM = createError<'__ERR_PREFIX___ERR_UPSTREAM', [status: number, body: string]>(
  '__ERR_PREFIX___ERR_UPSTREAM',
  'The model API answered HTTP %s: %s',
  502,
)
/** The API answered 2xx with a body that is not `{ text: string }`. */
export const __ERR_PREFIX___ERR_BAD_RESPONSE = createError<'__ERR_PREFIX___ERR_BAD_RESPONSE', [reason: string]>(
  '__ERR_PREFIX___ERR_BAD_RESPONSE',
  'The model API answered with an unexpected body: %s',
  502,
)

/** The wire format: `{ model, system, messages: [{ role, content }] }` → `{ text, usage?: { input, output } }`. */
function toWire(message: ModelMessage): { role: string; content: string } {
  if (message.role === 'tool') return { role: 'user', content: `Result of tool ${message.name}: ${message.content}` }
  return { role: message.role, content: message.content }
}

const Answer = z.object({
  text: z.string(),
  usage: z.object({ input: z.number().int().min(0), output: z.number().int().min(0) }).optional(),
})

export function createSimpleProvider(config: ProviderConfig) {
  const url = new URL('generate', config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`)
  return defineProvider({
    id: PROVIDER_ID,
    models: config.models,
    async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
      const response = await fetch(url, {
        method: 'POST',
        signal: request.signal,
        headers: { 'content-type': 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
        body: JSON.stringify({ model: request.model, system: request.system, messages: request.messages.map(toWire) }),
      })
      if (!response.ok) {
        const retryAfterMs = parseRetryAfter(response.headers)
        const error = new __ERR_PREFIX___ERR_UPSTREAM(response.status, (await response.text()).slice(0, 200))
        throw Object.assign(error, { retryable: response.status === 429 || response.status >= 500 }, retryAfterMs !== undefined ? { retryAfterMs } : {})
      }
      const parsed = Answer.safeParse(await response.json().catch(() => undefined))
      if (!parsed.success) throw new __ERR_PREFIX___ERR_BAD_RESPONSE(parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '))
      const { text, usage } = parsed.data
      yield { type: 'text', delta: text }
      if (usage) yield { type: 'usage', usage: { inputTokens: usage.input, outputTokens: usage.output, totalTokens: usage.input + usage.output } }
      yield { type: 'finish', reason: 'stop' }
    },
  })
}

/** The plugin, as a factory: each call is one instance (keep per-gateway state in its closure). */
export default function providerPlugin() {
  return definePlugin<ProviderConfig>({
    id: PLUGIN_NAME,
    version: '0.1.0',
    kind: 'provider',
    apiVersion: '__API_RANGE__',
    description: 'A model provider for a simple JSON HTTP API',
    configKey: `models.providers.${PROVIDER_ID}`,
    config: ProviderConfig,
    register(api) {
      api.providers.register(createSimpleProvider(api.config))
    },
  })
}
