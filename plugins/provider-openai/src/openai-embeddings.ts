import type { ModelProvider } from '@openclaw/plugin-sdk'
import { OPENAI_ERR_UPSTREAM } from './errors.js'
import type { ModelCallContext } from './upstream-error.js'

type Embed = NonNullable<ModelProvider['embed']>
/** A provider's embeddings call and its answer (the core's types, named through `ModelProvider`). */
export type EmbeddingRequest = Parameters<Embed>[0]
export type EmbeddingResult = Awaited<ReturnType<Embed>>

/** The body of `POST /v1/embeddings`, as OpenAI takes it (always floats). */
export function toEmbeddingsRequest(request: EmbeddingRequest): Record<string, unknown> {
  return { model: request.model, input: [...request.input], encoding_format: 'float', ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}) }
}

function malformed(call: ModelCallContext, what: string): Error {
  return Object.assign(new OPENAI_ERR_UPSTREAM(call.provider, 'embeddings answer', what), call.errorDetails(false))
}

/**
 * OpenAI's embeddings answer (`{ data: [{ index, embedding }], model, usage }`) as one vector per
 * input, in input order (by `index`); anything else is an `upstream` error naming what is wrong.
 */
export function readEmbeddings(body: unknown, inputs: number, requestedModel: string, call: ModelCallContext): EmbeddingResult {
  const answer = body as { data?: unknown; model?: unknown; usage?: { prompt_tokens?: unknown; total_tokens?: unknown } } | null
  if (typeof answer !== 'object' || answer === null || !Array.isArray(answer.data)) throw malformed(call, 'no data array')
  if (answer.data.length !== inputs) throw malformed(call, `${answer.data.length} embeddings for ${inputs} inputs`)
  const embeddings: number[][] = new Array<number[]>(inputs)
  answer.data.forEach((item: { index?: unknown; embedding?: unknown }, position) => {
    const index = typeof item?.index === 'number' ? item.index : position
    if (!Number.isInteger(index) || index < 0 || index >= inputs || embeddings[index]) throw malformed(call, `bad index ${String(item?.index)}`)
    if (!Array.isArray(item.embedding) || !item.embedding.every((x) => typeof x === 'number')) throw malformed(call, `embedding ${index} is not an array of numbers (encoding_format float)`)
    embeddings[index] = item.embedding as number[]
  })
  const prompt = typeof answer.usage?.prompt_tokens === 'number' ? answer.usage.prompt_tokens : 0
  const total = typeof answer.usage?.total_tokens === 'number' ? answer.usage.total_tokens : prompt
  return { model: typeof answer.model === 'string' ? answer.model : requestedModel, embeddings, usage: { promptTokens: prompt, totalTokens: total } }
}
