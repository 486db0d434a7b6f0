import type { CliIo } from '../cli-io.js'
import { formatDuration } from '../format-duration.js'
import { formatTable } from '../format-table.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import type { GatewayClient } from '../gateway-client.js'
import { GatewayRpcError } from '../gateway-rpc-error.js'
import { withGateway } from '../with-gateway.js'
import { formatMemoryStatus, type MemoryStatusPayload } from './memory.js'

export interface StatusOptions extends GatewayConnectionOptions {
  readonly json?: boolean
}

/** The `status` method's answer (fields this command prints; the rest only shows with `--json`). */
interface StatusPayload {
  readonly ok?: boolean
  readonly version?: string
  readonly uptimeMs?: number
  readonly agents?: readonly string[]
  /** Each channel with its accounts' liveness (a gateway before channels 2 sent bare ids). */
  readonly channels?: readonly (string | { readonly id: string; readonly accounts?: readonly { readonly accountId: string; readonly state: string; readonly healthy?: boolean }[] })[]
  readonly plugins?: readonly { readonly id: string; readonly version?: string; readonly state?: string; readonly error?: { readonly code?: string; readonly message?: string } }[]
  readonly rpc?: { readonly connections?: number; readonly activeRuns?: number; readonly methods?: number; readonly slowConsumerDisconnects?: number }
}

const list = (items: readonly string[] | undefined) => (items && items.length > 0 ? items.join(', ') : 'none')
const channelSummary = (c: NonNullable<StatusPayload['channels']>[number]): string => {
  if (typeof c === 'string') return c
  const unhealthy = (c.accounts ?? []).filter((a) => a.healthy === false)
  return unhealthy.length > 0 ? `${c.id} (${unhealthy.map((a) => `${a.accountId}: ${a.state}`).join(', ')})` : c.id
}
const plural = (n: number | undefined, one: string, many = `${one}s`) => `${n ?? 0} ${n === 1 ? one : many}`

function formatStatus(status: StatusPayload, url: string): string {
  const plugins = status.plugins ?? []
  const rpc = status.rpc ?? {}
  const lines = [
    `Gateway ${status.version ?? '?'} at ${url}: ${status.ok === true ? 'ok' : 'not ready'}`,
    `  uptime    ${typeof status.uptimeMs === 'number' ? formatDuration(status.uptimeMs) : 'unknown'}`,
    `  agents    ${list(status.agents)}`,
    `  channels  ${list(status.channels?.map(channelSummary))}`,
    `  rpc       ${plural(rpc.connections, 'connection')}, ${plural(rpc.activeRuns, 'active run')}, ${plural(rpc.methods, 'method')}, ${plural(rpc.slowConsumerDisconnects, 'slow-consumer disconnect')}`,
    `Plugins (${plugins.length}):`,
  ]
  const table = formatTable(['  ID', 'STATE', 'VERSION'], plugins.map((p) => [`  ${p.id}`, p.state ?? '?', p.version ?? '?']))
  const errors = plugins.filter((p) => p.error).map((p) => `  ${p.id}: [${p.error!.code ?? 'ERR_UNKNOWN'}] ${p.error!.message ?? ''}\n`)
  return `${lines.join('\n')}\n${table}${errors.join('')}`
}

/** The main agent's memory status when the memory plugin (`tool:memory`) runs; a refusal leaves it out. */
async function memoryStatus(client: GatewayClient, status: StatusPayload): Promise<MemoryStatusPayload | undefined> {
  if (!status.plugins?.some((p) => p.id === 'tool:memory' && p.state === 'started')) return undefined
  try {
    return await client.call<MemoryStatusPayload>('memory.status', {})
  } catch (err) {
    if (err instanceof GatewayRpcError) return undefined
    throw err
  }
}

/** `openclaw status`: a running gateway's version, uptime, agents, channels, plugins, RPC counters and memory. */
export async function runStatus(options: StatusOptions, io: CliIo): Promise<void> {
  const { payload, memory, url } = await withGateway(options, io, async (client) => {
    const payload = await client.call<StatusPayload>('status', {})
    return { payload, memory: await memoryStatus(client, payload), url: client.url }
  })
  if (options.json) io.stdout.write(`${JSON.stringify(memory ? { ...payload, memory } : payload, null, 2)}\n`)
  else io.stdout.write(formatStatus(payload, url) + (memory ? formatMemoryStatus(memory) : ''))
}
