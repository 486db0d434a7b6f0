import { z } from 'zod'
import { RANKING_DEFAULTS } from './hybrid-ranking.js'

/**
 * The plugin's config, at `memory` (OpenClaw's key: `memory.search.*`). Zero configuration gives
 * keyword search (FTS5 BM25). `provider: "local"` adds the deterministic hashing-trick embedding
 * (384 dims, no model weights); `"openai-compatible"` calls a `/v1/embeddings` endpoint itself
 * (`remote`); any other value names a provider (`models.providers.<id>`, or a built-in such as
 * `openai`) whose plugin serves embeddings.
 */
export const MemoryConfigSchema = z.strictObject({
  search: z.strictObject({
    enabled: z.boolean().default(true),
    provider: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'expected none, local, openai-compatible or a provider id').default('none'),
    model: z.string().min(1).optional(),
    /** Vector length of `model` (a provider's); sent as `dimensions` when set. Default 1536 (text-embedding-3-small). */
    dimensions: z.number().int().min(8).max(4096).optional(),
    remote: z.strictObject({ baseUrl: z.url(), apiKey: z.string().optional(), dimensions: z.number().int().min(8).max(4096).optional() }).optional(),
    extraPaths: z.array(z.string().min(1)).default([]),
    query: z.strictObject({
      maxResults: z.number().int().min(1).max(100).default(6),
      minScore: z.number().min(0).max(1).default(0.35),
      hybrid: z.strictObject({
        mode: z.enum(['weighted', 'rrf']).default('weighted'),
        vectorWeight: z.number().min(0).max(1).default(RANKING_DEFAULTS.vectorWeight),
        textWeight: z.number().min(0).max(1).default(RANKING_DEFAULTS.textWeight),
        candidateMultiplier: z.number().int().min(1).max(50).default(RANKING_DEFAULTS.candidateMultiplier),
        mmr: z.strictObject({ enabled: z.boolean().default(true), lambda: z.number().min(0).max(1).default(RANKING_DEFAULTS.mmrLambda) }).prefault({}),
        temporalDecay: z.strictObject({ enabled: z.boolean().default(true), halfLifeDays: z.number().positive().default(RANKING_DEFAULTS.halfLifeDays) }).prefault({}),
      }).prefault({}),
    }).prefault({}),
    chunking: z.strictObject({ tokens: z.number().int().min(32).max(8192).default(400), overlap: z.number().int().min(0).max(2048).default(80) }).prefault({}),
    sync: z.strictObject({ watch: z.boolean().default(true), watchDebounceMs: z.number().int().min(0).max(600_000).default(1500) }).prefault({}),
  }).prefault({}),
})

export type MemoryConfig = z.output<typeof MemoryConfigSchema>
export type MemoryConfigInput = z.input<typeof MemoryConfigSchema>
