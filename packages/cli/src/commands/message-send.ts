import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { CLI_ERR_MEDIA_PATH_UNSUPPORTED } from '../errors.js'
import { EXIT_FAILURE } from '../exit-codes.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import { withGateway } from '../with-gateway.js'

export interface MessageSendOptions extends GatewayConnectionOptions {
  /** Default: the gateway's only channel. */
  readonly channel?: string
  readonly target: string
  readonly message?: string
  /** An http(s) URL the channel fetches. */
  readonly media?: string
  /** Rows of `{ text, data?, url? }` (a flat array is one row); parsed by the option. */
  readonly buttons?: readonly unknown[]
  readonly card?: Readonly<Record<string, unknown>>
  readonly replyTo?: string
  readonly threadId?: string
  readonly account?: string
  readonly json?: boolean
}

/** The `send` method's receipt. */
interface SendReceipt {
  readonly status?: 'sent' | 'duplicate' | 'cancelled'
  readonly channel?: string
  readonly to?: string
  readonly messageId?: string
}

const MEDIA_URL = /^https?:\/\//i

function sendParams(options: MessageSendOptions): Record<string, unknown> {
  return {
    to: options.target,
    ...(options.channel !== undefined ? { channel: options.channel } : {}),
    ...(options.message !== undefined ? { message: options.message } : {}),
    ...(options.media !== undefined ? { mediaUrl: options.media } : {}),
    ...(options.buttons !== undefined ? { buttons: options.buttons } : {}),
    ...(options.card !== undefined ? { card: options.card } : {}),
    ...(options.replyTo !== undefined ? { replyToId: options.replyTo } : {}),
    ...(options.threadId !== undefined ? { threadId: options.threadId } : {}),
    ...(options.account !== undefined ? { accountId: options.account } : {}),
  }
}

/**
 * `openclaw message send`: deliver a message to a channel target through a running gateway's `send`
 * method (its durable outbox; a generated idempotency key, so the gateway never sends it twice).
 * Media goes by URL: the method has no upload, so a local path is refused before connecting.
 */
export async function runMessageSend(options: MessageSendOptions, io: CliIo): Promise<void> {
  if (options.media !== undefined && !MEDIA_URL.test(options.media)) throw new CLI_ERR_MEDIA_PATH_UNSUPPORTED(options.media)
  const receipt = await withGateway(options, io, (client) => client.call<SendReceipt>('send', sendParams(options)))
  if (options.json) io.stdout.write(`${JSON.stringify(receipt, null, 2)}\n`)
  else {
    const where = `${receipt.channel ?? options.channel ?? '?'} ${receipt.to ?? options.target}`
    const id = receipt.messageId !== undefined ? ` (message id ${receipt.messageId})` : ''
    if (receipt.status === 'duplicate') io.stdout.write(`Already sent to ${where}${id}.\n`)
    else if (receipt.status === 'cancelled') io.stdout.write(`Cancelled: the gateway did not send to ${where}.\n`)
    else io.stdout.write(`Sent to ${where}${id}.\n`)
  }
  if (receipt.status === 'cancelled') throw new CliExit(EXIT_FAILURE)
}
