import type { ModelProvider } from '@openclaw/plugin-sdk'
import type { Embedder } from './embedder.js'
import { MEM_ERR_EMBEDDINGS_FAILED } from './errors.js'

const BATCH = 64

function unit(vector: readonly number[]): Float32Array {
  const v = Float32Array.from(vector)
  let n = 0
  for (const x of v) n += x * x
  n = Math.sqrt(n) || 1
  return v.map((x) => x / n)
}

/**
 * Embeddings through a provider plugin's `embed` call (`memory.search.provider: "openai"`, or any
 * provider id whose plugin serves embeddings): `models.providers.<id>` gives its endpoint and key.
 * `dimensions` is sent only when configured; vectors of another length fail the batch.
 */
export function createProviderEmbedder(options: { provider: ModelProvider; model: string; dims: number; requestDims: boolean }): Embedder {
  const { provider, model, dims } = options
  const embed = provider.embed!.bind(provider)
  return {
    model: `${provider.id}/${model}`,
    dims,
    kind: 'remote',
    async embed(texts, signal) {
      const out: Float32Array[] = []
      for (let i = 0; i < texts.length; i += BATCH) {
        let result
        try {
          result = await embed({ model, input: texts.slice(i, i + BATCH), ...(options.requestDims ? { dimensions: dims } : {}), ...(signal ? { signal } : {}) })
        } catch (err) {
          throw new MEM_ERR_EMBEDDINGS_FAILED(err instanceof Error ? err.message : String(err), { cause: err })
        }
        for (const vector of result.embeddings) {
          if (vector.length !== dims) throw new MEM_ERR_EMBEDDINGS_FAILED(`expected ${dims}-dimensional embeddings from ${provider.id}/${model}, got ${vector.length} (set memory.search.dimensions)`)
          out.push(unit(vector))
        }
      }
      return out
    },
  }
}
