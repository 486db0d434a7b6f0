import { defineTool, type ToolDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { MEM_ERR_KEY_INVALID } from './errors.js'
import type { MemoryIndex } from './memory-index.js'
import { readMemoryFile } from './read-memory-file.js'

/** The memory of the agent a call runs for. */
export type IndexFor = (agentId: string | undefined) => Promise<MemoryIndex>

const KEY = z.string()

function checkKey(key: string): string {
  const k = key.trim()
  if (k === '') throw new MEM_ERR_KEY_INVALID('empty')
  if (k.length > 256) throw new MEM_ERR_KEY_INVALID('longer than 256 characters')
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(k)) throw new MEM_ERR_KEY_INVALID('control characters are not allowed')
  return k
}

/** `memory_search`, `memory_get`, `memory_store`, `memory_delete`: OpenClaw's names and shapes. */
export function createMemoryTools(indexFor: IndexFor): ToolDefinition<never, unknown>[] {
  const search = defineTool({
    name: 'memory_search',
    description:
      'Mandatory recall step: search MEMORY.md, memory/**/*.md and stored memories before answering questions about prior work, decisions, dates, people, preferences, or todos. Returns ranked snippets with path (or key), line range, score and source; use memory_get to read more lines.',
    parameters: z.strictObject({ query: z.string().min(1), maxResults: z.number().int().min(1).max(100).optional(), minScore: z.number().min(0).max(1).optional() }),
    async execute({ query, maxResults, minScore }, ctx) {
      const index = await indexFor(ctx.agentId)
      const { results, mode } = await index.search(query, { ...(maxResults !== undefined ? { maxResults } : {}), ...(minScore !== undefined ? { minScore } : {}) })
      return { results, mode, backend: index.backend }
    },
  })
  const get = defineTool({
    name: 'memory_get',
    description: 'Safe exact excerpt read from MEMORY.md or memory/**/*.md (or the extra memory paths): `from` is the first line (1-based), `lines` how many (default 120).',
    parameters: z.strictObject({ path: z.string().min(1), from: z.number().int().min(1).optional(), lines: z.number().int().min(1).optional() }),
    async execute({ path, from, lines }, ctx) {
      const index = await indexFor(ctx.agentId)
      return readMemoryFile(index.roots, path, { ...(from !== undefined ? { from } : {}), ...(lines !== undefined ? { lines } : {}) })
    },
  })
  const store = defineTool({
    name: 'memory_store',
    description: 'Remember a value under a key (replacing what the key held); it becomes searchable with memory_search at once.',
    parameters: z.strictObject({ key: KEY, value: z.string().min(1).max(100_000), metadata: z.record(z.string(), z.unknown()).optional() }),
    async execute({ key, value, metadata }, ctx) {
      return (await indexFor(ctx.agentId)).storeKey(checkKey(key), value, metadata)
    },
  })
  const remove = defineTool({
    name: 'memory_delete',
    description: 'Forget the memory stored under a key.',
    parameters: z.strictObject({ key: KEY }),
    async execute({ key }, ctx) {
      const k = checkKey(key)
      return { key: k, deleted: await (await indexFor(ctx.agentId)).deleteKey(k) }
    },
  })
  return [search, get, store, remove] as ToolDefinition<never, unknown>[]
}
