import { createHash } from 'node:crypto'

/** Dimensions of the scripted server's embeddings when a request names none. */
export const SCRIPTED_EMBEDDING_DIMENSIONS = 256

/**
 * The scripted model server's embedding of `text`: deterministic and model-free. Lowercased words
 * (letters and digits) are hashed (SHA-256) into `dimensions` signed buckets, counted, and the vector
 * is scaled to unit length; texts sharing words point the same way, and the same text always gives
 * the same vector. A text without words embeds as the zero vector.
 */
export function scriptedEmbedding(text: string, dimensions = SCRIPTED_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0)
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const digest = createHash('sha256').update(word).digest()
    const bucket = digest.readUInt32LE(0) % dimensions
    vector[bucket]! += digest[4]! & 1 ? 1 : -1
  }
  const norm = Math.hypot(...vector)
  return norm === 0 ? vector : vector.map((x) => x / norm)
}

/** A `POST /v1/embeddings` body the scripted server accepts, or the reason it does not. */
export function parseEmbeddingsBody(body: unknown): { model: string; input: string[]; dimensions: number } | { error: string } {
  const b = body as { model?: unknown; input?: unknown; dimensions?: unknown; encoding_format?: unknown }
  if (typeof b.model !== 'string' || b.model === '') return { error: "'model' must be a non-empty string" }
  const input = typeof b.input === 'string' ? [b.input] : b.input
  if (!Array.isArray(input) || input.length === 0 || !input.every((x) => typeof x === 'string')) return { error: "'input' must be a string or a non-empty array of strings" }
  if (b.dimensions !== undefined && (!Number.isInteger(b.dimensions) || (b.dimensions as number) < 1 || (b.dimensions as number) > 4096)) return { error: "'dimensions' must be an integer from 1 to 4096" }
  if (b.encoding_format !== undefined && b.encoding_format !== 'float') return { error: "only encoding_format 'float' is supported" }
  return { model: b.model, input: input as string[], dimensions: (b.dimensions as number | undefined) ?? SCRIPTED_EMBEDDING_DIMENSIONS }
}

/** OpenAI's embeddings answer for `input`, with a token count of one per word. */
export function embeddingsAnswer(model: string, input: readonly string[], dimensions: number): object {
  const tokens = input.reduce((n, text) => n + (text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0), 0)
  return {
    object: 'list',
    data: input.map((text, index) => ({ object: 'embedding', index, embedding: scriptedEmbedding(text, dimensions) })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  }
}
