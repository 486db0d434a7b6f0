import type { CliIo } from '../cli-io.js'
import { formatTable } from '../format-table.js'
import { formatTimestamp } from '../format-timestamp.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import { withGateway } from '../with-gateway.js'

// `openclaw channels list|status`, `openclaw deliveries list|retry|drop`, `openclaw pairing list|approve`:
// thin clients of the RPC methods of the same names.

export interface OpsOptions extends GatewayConnectionOptions {
  readonly json?: boolean
  readonly channel?: string
  readonly account?: string
  readonly limit?: number
}

interface AccountStatus {
  readonly channel: string
  readonly accountId: string
  readonly state: string
  readonly healthy: boolean
  readonly lastReceiveAt?: number
  readonly lastSendAt?: number
  readonly lastError?: { readonly message: string; readonly at: number }
  readonly inDoubt?: { readonly count: number; readonly lastAt: number }
}

function print(io: CliIo, options: OpsOptions, answer: unknown, text: () => string): void {
  io.stdout.write(options.json ? `${JSON.stringify(answer, null, 2)}\n` : text())
}

/** `channels list` (one line per account) and `channels status` (with receive, send and error facts). */
export async function runChannels(mode: 'list' | 'status', options: OpsOptions, io: CliIo): Promise<void> {
  const answer = await withGateway(options, io, (client) => client.call<{ channels: AccountStatus[] }>('channels.status', {}))
  const accounts = answer.channels.filter((a) => options.channel === undefined || a.channel === options.channel)
  print(io, options, { channels: accounts }, () => {
    if (accounts.length === 0) return 'No channels.\n'
    if (mode === 'list') return formatTable(['CHANNEL', 'ACCOUNT', 'STATE'], accounts.map((a) => [a.channel, a.accountId, a.state]))
    // Sends in doubt (cut off after they began) get a column once there are any.
    const doubt = accounts.some((a) => a.inDoubt)
    return formatTable(
      ['CHANNEL', 'ACCOUNT', 'STATE', 'LAST RECEIVE', 'LAST SEND', ...(doubt ? ['IN DOUBT'] : []), 'LAST ERROR'],
      accounts.map((a) => [a.channel, a.accountId, a.healthy ? a.state : `${a.state} (unhealthy)`, formatTimestamp(a.lastReceiveAt), formatTimestamp(a.lastSendAt),
        ...(doubt ? [a.inDoubt ? `${a.inDoubt.count} (last ${formatTimestamp(a.inDoubt.lastAt)})` : ''] : []),
        a.lastError ? `${formatTimestamp(a.lastError.at)} ${a.lastError.message}` : '']),
    )
  })
}

interface DeadLetter {
  readonly deliveryKey: string
  readonly channel: string
  readonly to: string
  readonly error: string
  readonly attempts: number
  readonly failedAt: number
}

/** `deliveries list`: dead letters, newest first. */
export async function runDeliveriesList(options: OpsOptions, io: CliIo): Promise<void> {
  const params = { ...(options.channel ? { channel: options.channel } : {}), ...(options.limit ? { limit: options.limit } : {}) }
  const answer = await withGateway(options, io, (client) => client.call<{ deliveries: DeadLetter[] }>('deliveries.list', params))
  print(io, options, answer, () =>
    answer.deliveries.length === 0
      ? 'No dead letters.\n'
      : formatTable(['DELIVERY KEY', 'CHANNEL', 'TO', 'ATTEMPTS', 'FAILED', 'ERROR'], answer.deliveries.map((d) => [d.deliveryKey, d.channel, d.to, String(d.attempts), formatTimestamp(d.failedAt), d.error])))
}

/** `deliveries retry <key>` / `deliveries drop <key>`. */
export async function runDeliveryAction(action: 'retry' | 'drop', deliveryKey: string, options: OpsOptions, io: CliIo): Promise<void> {
  const answer = await withGateway(options, io, (client) => client.call<object>(`deliveries.${action}`, { deliveryKey }))
  print(io, options, answer, () => (action === 'retry' ? `Put ${deliveryKey} back in line.\n` : `Dropped ${deliveryKey}.\n`))
}

interface PairingRequest {
  readonly channel: string
  readonly accountId: string
  readonly senderId: string
  readonly senderName?: string
  readonly code: string
  readonly expiresAt: number
}

/** `pairing list [channel]`: pending DM pairing requests. */
export async function runPairingList(channel: string | undefined, options: OpsOptions, io: CliIo): Promise<void> {
  const answer = await withGateway(options, io, (client) => client.call<{ requests: PairingRequest[] }>('pairing.list', channel ? { channel } : {}))
  print(io, options, answer, () =>
    answer.requests.length === 0
      ? 'No pending pairing requests.\n'
      : formatTable(['CHANNEL', 'ACCOUNT', 'SENDER', 'NAME', 'CODE', 'EXPIRES'], answer.requests.map((r) => [r.channel, r.accountId, r.senderId, r.senderName ?? '', r.code, formatTimestamp(r.expiresAt)])))
}

/** `pairing approve <channel> <code>`: admit the sender to direct messages. */
export async function runPairingApprove(channel: string, code: string, options: OpsOptions, io: CliIo): Promise<void> {
  const answer = await withGateway(options, io, (client) =>
    client.call<{ accountId: string; senderId: string }>('pairing.approve', { channel, code, ...(options.account ? { accountId: options.account } : {}) }))
  print(io, options, answer, () => `Approved ${channel} sender ${answer.senderId} (account ${answer.accountId}) for direct messages.\n`)
}
