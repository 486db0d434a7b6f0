import type { CliIo } from '../cli-io.js'
import { formatTimestamp } from '../format-timestamp.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import { withGateway } from '../with-gateway.js'

export interface SessionsHistoryOptions extends GatewayConnectionOptions {
  /** Scopes a bare key (`demo` → `agent:<agent>:demo`). */
  readonly agent?: string
  readonly limit?: number
  readonly json?: boolean
}

/** One message of `chat.history`. */
interface HistoryMessage {
  readonly role: string
  readonly timestamp?: number
  readonly content?: readonly { readonly type: string; readonly text?: string }[]
  readonly toolCalls?: readonly { readonly name?: string }[]
  readonly toolName?: string
  readonly isError?: boolean
}

interface HistoryPage {
  readonly sessionKey: string
  readonly messages: readonly HistoryMessage[]
  readonly hasMore?: boolean
}

function formatMessage(message: HistoryMessage): string {
  const text = (message.content ?? []).filter((part) => part.type === 'text').map((part) => part.text ?? '').join('')
  const calls = message.toolCalls && message.toolCalls.length > 0 ? ` [calls ${message.toolCalls.map((c) => c.name ?? '?').join(', ')}]` : ''
  const who = message.role === 'toolResult' ? `tool ${message.toolName ?? '?'}${message.isError ? ' (error)' : ''}` : message.role
  return `[${formatTimestamp(message.timestamp)}] ${who}: ${text.replace(/\n/g, '\n  ')}${calls}\n`
}

function formatHistory(page: HistoryPage): string {
  const head = `${page.sessionKey} (${page.messages.length} message${page.messages.length === 1 ? '' : 's'}${page.hasMore ? ', older ones left out: raise --limit' : ''})\n`
  return head + page.messages.map(formatMessage).join('')
}

/** `openclaw sessions history <key>`: a session's latest messages, oldest first (`--json`: the `chat.history` answer). */
export async function runSessionsHistory(key: string, options: SessionsHistoryOptions, io: CliIo): Promise<void> {
  const params = {
    sessionKey: key,
    ...(options.agent !== undefined ? { agentId: options.agent } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  }
  const page = await withGateway(options, io, (client) => client.call<HistoryPage>('chat.history', params))
  io.stdout.write(options.json ? `${JSON.stringify(page, null, 2)}\n` : formatHistory(page))
}
