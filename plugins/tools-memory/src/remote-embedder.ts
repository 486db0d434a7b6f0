import { MEM_ERR_EMBEDDINGS_FAILED } from './errors.js'
import type { Embedder } from './embedder.js'

const BATCH = 64

/** Embeddings from an OpenAI-compatible `POST /v1/embeddings` (`{ model, input: string[] }` → `data[].embedding`). */
export function createRemoteEmbedder(options: { baseUrl: string; apiKey?: string; model: string; dims: number }): Embedder {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`
  const one = async (input: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> => {
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
        body: JSON.stringify({ model: options.model, input }),
        signal: signal ?? AbortSignal.timeout(30_000),
      })
    } catch (err) {
      throw new MEM_ERR_EMBEDDINGS_FAILED(err instanceof Error ? err.message : String(err), { cause: err })
    }
    if (!response.ok) throw new MEM_ERR_EMBEDDINGS_FAILED(`HTTP ${response.status}`)
    const body = (await response.json().catch(() => undefined)) as { data?: { index?: number; embedding?: unknown }[] } | undefined
    const data = body?.data
    if (!Array.isArray(data) || data.length !== input.length) throw new MEM_ERR_EMBEDDINGS_FAILED('the answer has no data[] of the right length')
    return [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => {
      if (!Array.isArray(d.embedding) || d.embedding.length !== options.dims) throw new MEM_ERR_EMBEDDINGS_FAILED(`expected ${options.dims}-dimensional embeddings`)
      const v = Float32Array.from(d.embedding as number[])
      let n = 0
      for (const x of v) n += x * x
      n = Math.sqrt(n) || 1
      return v.map((x) => x / n)
    })
  }
  return {
    model: options.model,
    dims: options.dims,
    kind: 'remote',
    async embed(texts, signal) {
      const out: Float32Array[] = []
      for (let i = 0; i < texts.length; i += BATCH) out.push(...(await one(texts.slice(i, i + BATCH), signal)))
      return out
    },
  }
}
