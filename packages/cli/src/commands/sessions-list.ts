import type { CliIo } from '../cli-io.js'
import { formatTable } from '../format-table.js'
import { formatTimestamp } from '../format-timestamp.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import { withGateway } from '../with-gateway.js'

export interface SessionsListOptions extends GatewayConnectionOptions {
  /** Only this agent's sessions. */
  readonly agent?: string
  readonly limit?: number
  readonly json?: boolean
}

/** `sessions.list`'s answer. */
interface SessionsPage {
  readonly sessions: readonly { readonly key: string; readonly agentId?: string; readonly messageCount?: number; readonly updatedAt?: number; readonly origin?: { readonly channel?: string } }[]
  readonly nextCursor?: string
}

function formatSessions(page: SessionsPage): string {
  if (page.sessions.length === 0) return 'No sessions.\n'
  const rows = page.sessions.map((s) => [s.key, s.agentId ?? '?', String(s.messageCount ?? 0), formatTimestamp(s.updatedAt), s.origin?.channel ?? ''])
  const more = page.nextCursor !== undefined ? '(more sessions: raise --limit)\n' : ''
  return formatTable(['KEY', 'AGENT', 'MESSAGES', 'UPDATED', 'ORIGIN'], rows) + more
}

/** `openclaw sessions list`: a running gateway's sessions, one per line (`--json`: the `sessions.list` answer). */
export async function runSessionsList(options: SessionsListOptions, io: CliIo): Promise<void> {
  const params = { ...(options.agent !== undefined ? { agentId: options.agent } : {}), ...(options.limit !== undefined ? { limit: options.limit } : {}) }
  const page = await withGateway(options, io, (client) => client.call<SessionsPage>('sessions.list', params))
  io.stdout.write(options.json ? `${JSON.stringify(page, null, 2)}\n` : formatSessions(page))
}
