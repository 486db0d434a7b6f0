import type { ModelInfo, ModelProvider } from '../types/providers.js'

/** One model of the configured catalogue, as `models.list` and `openclaw models list` show it. */
export interface ModelCatalogEntry {
  /** `provider/model`: what `agents.*.model` and a request's `model` override name. */
  readonly ref: string
  readonly provider: string
  /** The model id without the provider prefix. */
  readonly id: string
  /** The configured name, else the id. */
  readonly name: string
  readonly contextWindow?: number
  readonly contextTokens?: number
  readonly maxTokens?: number
  readonly reasoning?: boolean
  readonly input: readonly ('text' | 'image')[]
}

/** A provider's models as entries (strings become `{ id }`); undefined when it lists none. */
export function providerModels(provider: ModelProvider): readonly ModelInfo[] | undefined {
  return provider.models?.map((m) => (typeof m === 'string' ? { id: m } : m))
}

/**
 * Whether `provider` may serve `model`: any model when it lists none, else only a listed one.
 * Returns the listed entry (or a bare one), or undefined when the model is not listed.
 */
export function findModel(provider: ModelProvider, model: string): ModelInfo | undefined {
  const models = providerModels(provider)
  if (models === undefined) return { id: model }
  return models.find((m) => m.id === model)
}

/** Every listed model of every provider, provider by provider in registration order. */
export function modelCatalog(providers: readonly ModelProvider[]): ModelCatalogEntry[] {
  return providers.flatMap((provider) =>
    (providerModels(provider) ?? []).map((m) => ({
      ref: `${provider.id}/${m.id}`,
      provider: provider.id,
      id: m.id,
      name: m.name ?? m.id,
      ...(m.contextWindow !== undefined ? { contextWindow: m.contextWindow } : {}),
      ...(m.contextTokens !== undefined ? { contextTokens: m.contextTokens } : {}),
      ...(m.maxTokens !== undefined ? { maxTokens: m.maxTokens } : {}),
      ...(m.reasoning !== undefined ? { reasoning: m.reasoning } : {}),
      input: m.input ?? ['text'],
    })),
  )
}
