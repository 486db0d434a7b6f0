// @openclaw/plugin-tools-memory: memory tools over the agent workspace's Markdown memory and stored
// keys, with keyword (FTS5 BM25) search by default and hybrid vector search when an embedding model
// is configured. docs/memory.md explains it.
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { createToken, definePlugin, Tokens, type GatewayRuntime, type OwnerStore, type PluginDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { createHashingEmbedder, type Embedder } from './embedder.js'
import { MEM_ERR_AGENT_UNKNOWN, MEM_ERR_EMBEDDINGS_FAILED } from './errors.js'
import { IndexerClient } from './indexer-client.js'
import { MemoryConfigSchema, type MemoryConfig } from './memory-config.js'
import { MemoryIndex, type MemorySearchSettings, type MemoryStatus } from './memory-index.js'
import { MemoryIndexStore } from './memory-index-store.js'
import { MEMORY_MIGRATIONS } from './memory-migrations.js'
import { createMemoryTools } from './memory-tools.js'
import { createProviderEmbedder } from './provider-embedder.js'
import { createRemoteEmbedder } from './remote-embedder.js'

const PLUGIN_NAME = 'tool:memory'

/** What the plugin keeps per gateway: each agent's memory index, opened on first use. */
export interface MemoryService {
  /** Run the plugin's migrations and settle where vectors live (once). */
  prepare(): Promise<void>
  indexFor(agentId: string | undefined): Promise<MemoryIndex>
  close(): Promise<void>
}
export const MemoryService = createToken<MemoryService>('tool:memory.service')

const expandHome = (p: string) => p.replace(/^~(?=$|[\\/])/, homedir())

/** The agent's workspace: `agents.entries.<id>.workspace`, `agents.defaults.workspace`, else `<stateDir>/workspace`. */
export function resolveWorkspace(gateway: Pick<GatewayRuntime, 'config' | 'stateDir'>, agentId: string): string {
  const configured = gateway.config.agents.entries[agentId]?.workspace ?? gateway.config.agents.defaults.workspace
  return configured ? resolve(expandHome(configured)) : join(gateway.stateDir, 'workspace')
}

function settingsOf(config: MemoryConfig): MemorySearchSettings {
  const q = config.search.query
  return {
    maxResults: q.maxResults,
    minScore: q.minScore,
    ranking: { mode: q.hybrid.mode, vectorWeight: q.hybrid.vectorWeight, textWeight: q.hybrid.textWeight, rrfK: 60 },
    candidateMultiplier: q.hybrid.candidateMultiplier,
    mmr: q.hybrid.mmr,
    temporalDecay: q.hybrid.temporalDecay,
    chunking: config.search.chunking,
    watchDebounceMs: config.search.sync.watchDebounceMs,
  }
}

const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small'
const DEFAULT_EMBEDDING_DIMENSIONS = 1536

/** The embedder `memory.search` asks for, or why there is none (said once in the log: keyword search only). */
function embedderOf(config: MemoryConfig, providers: GatewayRuntime['registry']['providers']): { embedder: Embedder } | { why: string } {
  const s = config.search
  if (s.provider === 'none') return { why: 'memory.search.provider is "none"' }
  if (s.provider === 'local') return { embedder: createHashingEmbedder() }
  if (s.provider === 'openai-compatible') {
    if (!s.remote) return { why: 'memory.search.provider is "openai-compatible" but memory.search.remote.baseUrl is not set' }
    return { embedder: createRemoteEmbedder({ baseUrl: s.remote.baseUrl, ...(s.remote.apiKey ? { apiKey: s.remote.apiKey } : {}), model: s.model ?? DEFAULT_EMBEDDING_MODEL, dims: s.remote.dimensions ?? s.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS }) }
  }
  const provider = providers.get(s.provider)
  if (!provider) return { why: `memory.search.provider names '${s.provider}', which is no installed provider (installed: ${providers.keys().join(', ') || 'none'})` }
  if (!provider.embed) return { why: `provider '${s.provider}' does not serve embeddings` }
  return { embedder: createProviderEmbedder({ provider, model: s.model ?? DEFAULT_EMBEDDING_MODEL, dims: s.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS, requestDims: s.dimensions !== undefined }) }
}

/**
 * Why pgvector cannot hold this gateway's vectors, or undefined when it can (loaded now). The server
 * may not have the extension at all (pg_available_extensions), or the role may not create it.
 */
async function pgvectorMissing(db: Pick<OwnerStore, 'all' | 'loadExtension'>): Promise<string | undefined> {
  const available = await db.all("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
  if (available.length === 0) return 'the PostgreSQL server has no pgvector extension (no "vector" in pg_available_extensions)'
  try {
    await db.loadExtension({ postgres: 'vector' })
    return undefined
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err)
    return `CREATE EXTENSION vector failed (${cause}); a role allowed to create it must run it once in this database`
  }
}

const AgentParams = z.strictObject({ agentId: z.string().optional() })

/** A factory: each call makes a fresh plugin, so gateways in one process share nothing. */
export default function toolsMemory(): PluginDefinition<MemoryConfig> {
  return definePlugin<MemoryConfig>({
  id: PLUGIN_NAME,
  version: '1.0.0',
  name: 'Memory tools',
  description: 'memory_search, memory_get, memory_store, memory_delete: hybrid search over the workspace memory files and stored keys',
  kind: 'memory',
  apiVersion: '^2.0.0',
  configKey: 'memory',
  config: MemoryConfigSchema,
  register(api) {
    // Per-gateway state lives here, in register()'s closure.
    const indexes = new Map<string, Promise<MemoryIndex>>()
    const worker = new IndexerClient()
    const store = new MemoryIndexStore(api.store)
    const settings = settingsOf(api.config)
    // The configured embedder, chosen once (after the providers are built, at start()).
    let chosen: { embedder: Embedder } | { why: string } | undefined
    const configured = () => (chosen ??= embedderOf(api.config, api.gateway.registry.providers))
    const configuredEmbedder = (): Embedder | undefined => {
      const choice = configured()
      return 'embedder' in choice ? choice.embedder : undefined
    }
    // What the index searches with: the configured embedder, unless its vectors have nowhere to live
    // (PostgreSQL without pgvector). Settled by prepare(), said once in the log.
    let searchEmbedder: Embedder | undefined
    // Why searches are keyword only (memory.status says it), when they are.
    let vectorsOff: string | undefined
    const keywordOnly = (why: string, level: 'info' | 'warn') => {
      vectorsOff = why
      api.log[level](`memory search: keyword only (${store.backendName(undefined)}): ${why}`)
    }
    const prepareVectors = async (): Promise<void> => {
      const choice = configured()
      if (!('embedder' in choice)) return keywordOnly(choice.why, 'info')
      if (api.store.dialect === 'postgres') {
        const why = await pgvectorMissing(api.store)
        if (why) return keywordOnly(`${why}, so the ${choice.embedder.model} vectors have nowhere to live; install pgvector for hybrid search (docs/memory.md)`, 'warn')
        await store.enablePgvector(choice.embedder.dims)
      }
      searchEmbedder = choice.embedder
      api.log.info(`memory search: hybrid (${store.backendName(choice.embedder.model)}), embeddings from ${choice.embedder.model}`)
    }
    const statusOf = async (index: MemoryIndex): Promise<MemoryStatus> => ({ ...(await index.status()), ...(vectorsOff ? { vectorsOff } : {}) })
    // The tables are made in start(); an index opened before that (a tool call during start-up) waits for them.
    let prepared: Promise<void> | undefined
    const prepare = () => (prepared ??= api.store.migrate(MEMORY_MIGRATIONS).then(prepareVectors))

    const indexFor = (agentId: string | undefined): Promise<MemoryIndex> => {
      const id = agentId ?? 'main'
      const known = api.gateway.agent.agentIds()
      if (!known.includes(id)) return Promise.reject(new MEM_ERR_AGENT_UNKNOWN(id, known.join(', ')))
      let pending = indexes.get(id)
      if (!pending) {
        pending = (async () => {
          await prepare()
          const workspace = resolveWorkspace(api.gateway, id)
          const extraPaths = api.config.search.extraPaths.map((p) => (isAbsolute(expandHome(p)) ? resolve(expandHome(p)) : resolve(workspace, p)))
          const index = new MemoryIndex(id, { workspace, extraPaths }, store, worker, searchEmbedder, settings, join(api.gateway.stateDir, 'memory'), api.log.child({ agent: id }))
          await index.open()
          if (api.config.search.sync.watch) index.watch()
          return index
        })()
        indexes.set(id, pending)
        pending.catch(() => indexes.delete(id))
      }
      return pending
    }

    for (const tool of createMemoryTools(indexFor)) api.tools.register(tool)

    api.rpc.method({
      name: 'memory.status',
      description: 'Memory index status: chunks, last index, embedding model, backend',
      params: AgentParams.optional(),
      handler: async (params) => statusOf(await indexFor(params?.agentId)),
    })
    api.rpc.method({
      name: 'memory.index',
      description: 'Reindex the memory files (force: every file, not only changed ones)',
      params: z.strictObject({ agentId: z.string().optional(), force: z.boolean().optional() }).optional(),
      handler: async (params) => {
        const index = await indexFor(params?.agentId)
        return { ...(await index.sync({ force: params?.force ?? false })), status: await statusOf(index) }
      },
    })
    api.rpc.method({
      name: 'memory.search',
      description: 'Search memory as memory_search does',
      params: z.strictObject({ query: z.string().min(1), agentId: z.string().optional(), maxResults: z.number().int().min(1).max(100).optional(), minScore: z.number().min(0).max(1).optional() }),
      handler: async (params) => (await indexFor(params.agentId)).search(params.query, {
        ...(params.maxResults !== undefined ? { maxResults: params.maxResults } : {}),
        ...(params.minScore !== undefined ? { minScore: params.minScore } : {}),
      }),
    })

    api.services.registerInstance(MemoryService, {
      prepare,
      indexFor,
      async close() {
        for (const pending of indexes.values()) await (await pending.catch(() => undefined))?.close()
        indexes.clear()
        await worker.close()
      },
    })
    // The agent's embedding setup, for the gateway's POST /v1/embeddings (http:openai).
    api.services.registerInstance(Tokens.AgentEmbeddings, {
      modelFor: () => configuredEmbedder()?.model,
      async embed(agentId, request) {
        const known = api.gateway.agent.agentIds()
        if (!known.includes(agentId)) throw new MEM_ERR_AGENT_UNKNOWN(agentId, known.join(', '))
        const e = configuredEmbedder()
        if (!e) throw new MEM_ERR_EMBEDDINGS_FAILED(`agent '${agentId}' has no embedding model`)
        const provider = api.config.search.provider
        // A provider's vectors go out as it made them (any `dimensions` honoured); the others are unit vectors of their own length.
        const viaProvider = api.gateway.registry.providers.get(provider)
        if (viaProvider?.embed && provider !== 'local' && provider !== 'openai-compatible') {
          return viaProvider.embed({ model: api.config.search.model ?? DEFAULT_EMBEDDING_MODEL, input: request.input, ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : api.config.search.dimensions !== undefined ? { dimensions: api.config.search.dimensions } : {}), ...(request.signal ? { signal: request.signal } : {}) })
        }
        if (request.dimensions !== undefined && request.dimensions !== e.dims) throw new MEM_ERR_EMBEDDINGS_FAILED(`${e.model} makes ${e.dims}-dimensional vectors; 'dimensions' ${request.dimensions} cannot be served`)
        const vectors = await e.embed(request.input, request.signal)
        const tokens = request.input.reduce((n, text) => n + Math.ceil(text.length / 4), 0)
        return { model: e.model, embeddings: vectors.map((v) => Array.from(v)), usage: { promptTokens: tokens, totalTokens: tokens } }
      },
    })
    api.services.expose(Tokens.AgentEmbeddings)
  },
  async start(api) {
    const memory = api.services.resolve(MemoryService)
    await memory.prepare()
    // Index the main agent's memory in the background; the first search waits for that first index.
    memory.indexFor('main').catch((err: unknown) => api.log.warn({ err }, 'indexing memory failed'))
  },
  async stop(api) {
    await api.services.resolve(MemoryService).close()
  },
})
}

export { PLUGIN_NAME }
export { MemoryConfigSchema } from './memory-config.js'
export { chunkMarkdown, DEFAULT_CHUNK_TOKENS, DEFAULT_CHUNK_OVERLAP } from './markdown-chunker.js'
export { hashingEmbed, HASHING_DIMENSIONS, HASHING_MODEL } from './hashing-embedder.js'
export { mergeHybrid, mmrOrder, recencyDecay, bm25ToScore, RANKING_DEFAULTS } from './hybrid-ranking.js'
export { MemoryIndex, DEFAULT_SEARCH_SETTINGS } from './memory-index.js'
export { MemoryIndexStore } from './memory-index-store.js'
export { MEMORY_MIGRATIONS } from './memory-migrations.js'
export { IndexerClient } from './indexer-client.js'
export { createHashingEmbedder } from './embedder.js'
export { createRemoteEmbedder } from './remote-embedder.js'
export { VectorIndex } from './vector-index.js'
export { ANN_CONFIG } from './ann-build.js'
export { resolveMemoryPath } from './memory-paths.js'
export { MEM_ERR_PATH_REFUSED, MEM_ERR_KEY_INVALID, MEM_ERR_INDEXER_FAILED, MEM_ERR_EMBEDDINGS_FAILED, MEM_ERR_AGENT_UNKNOWN } from './errors.js'

export type { MemoryConfig, MemoryConfigInput } from './memory-config.js'
export type { MemorySearchResult, MemorySearchSettings, MemoryStatus } from './memory-index.js'
export type { MarkdownChunk, ChunkOptions } from './markdown-chunker.js'
export type { Embedder } from './embedder.js'
