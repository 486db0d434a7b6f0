import type { CliIo } from '../cli-io.js'
import { formatTable } from '../format-table.js'
import { formatTimestamp } from '../format-timestamp.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import { withGateway } from '../with-gateway.js'

export interface MemoryOptions extends GatewayConnectionOptions {
  /** The agent whose memory (default: main). */
  readonly agent?: string
  readonly json?: boolean
}

/** `memory.status`'s answer (the memory plugin's MemoryStatus). */
export interface MemoryStatusPayload {
  readonly agentId: string
  readonly workspace: string
  readonly files: number
  readonly chunks: number
  readonly keys: number
  readonly vectors: number
  readonly lastIndexAt?: number
  readonly embeddingModel?: string
  readonly backend: string
  readonly indexing: boolean
  /** Why search is keyword only, when it is. */
  readonly vectorsOff?: string
}

interface MemorySearchPayload {
  readonly mode: string
  readonly results: readonly { readonly path: string; readonly startLine: number; readonly endLine: number; readonly score: number; readonly snippet: string; readonly source: string }[]
}

const agentParams = (options: MemoryOptions) => (options.agent !== undefined ? { agentId: options.agent } : {})

/** The memory lines of `openclaw status` and `openclaw memory status`. */
export function formatMemoryStatus(s: MemoryStatusPayload, indent = ''): string {
  return [
    `${indent}Memory (agent ${s.agentId}): ${s.files} files, ${s.chunks} chunks, ${s.keys} keys, ${s.vectors} vectors${s.indexing ? ', indexing' : ''}`,
    `${indent}  backend     ${s.backend}`,
    `${indent}  embeddings  ${s.embeddingModel ?? `none (keyword search only${s.vectorsOff ? `: ${s.vectorsOff}` : ''})`}`,
    `${indent}  last index  ${s.lastIndexAt === undefined ? 'never' : formatTimestamp(s.lastIndexAt)}`,
    `${indent}  workspace   ${s.workspace}`,
  ].join('\n') + '\n'
}

/** `openclaw memory status`: chunks, last index, embedding model and backend of an agent's memory. */
export async function runMemoryStatus(options: MemoryOptions, io: CliIo): Promise<void> {
  const status = await withGateway(options, io, (client) => client.call<MemoryStatusPayload>('memory.status', agentParams(options)))
  io.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatMemoryStatus(status))
}

/** `openclaw memory index [--force]`: reindex changed memory files now (`--force`: every file). */
export async function runMemoryIndex(options: MemoryOptions & { readonly force?: boolean }, io: CliIo): Promise<void> {
  const answer = await withGateway(options, io, (client) =>
    client.call<{ indexed: number; removed: number; unchanged: number; status: MemoryStatusPayload }>('memory.index', { ...agentParams(options), ...(options.force ? { force: true } : {}) }))
  io.stdout.write(options.json
    ? `${JSON.stringify(answer, null, 2)}\n`
    : `Indexed ${answer.indexed} files, removed ${answer.removed}, ${answer.unchanged} unchanged.\n${formatMemoryStatus(answer.status)}`)
}

const oneLine = (text: string, max = 80) => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** `openclaw memory search "<query>"`: what memory_search answers, one result a line. */
export async function runMemorySearch(query: string, options: MemoryOptions & { readonly maxResults?: number; readonly minScore?: number }, io: CliIo): Promise<void> {
  const params = {
    query, ...agentParams(options),
    ...(options.maxResults !== undefined ? { maxResults: options.maxResults } : {}),
    ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
  }
  const answer = await withGateway(options, io, (client) => client.call<MemorySearchPayload>('memory.search', params))
  if (options.json) return void io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`)
  if (answer.results.length === 0) return void io.stdout.write('No matches.\n')
  const rows = answer.results.map((r) => [r.score.toFixed(3), `${r.path}:${r.startLine}-${r.endLine}`, oneLine(r.snippet)])
  io.stdout.write(formatTable(['SCORE', 'PATH', 'SNIPPET'], rows))
}
