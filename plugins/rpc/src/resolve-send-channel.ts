import { RPC_ERR_CHANNEL_INVALID } from './errors.js'
import type { RpcMethodDeps } from './rpc-method-deps.js'

/**
 * The channel a `send` / `message.action` goes to: the one requested, if installed (never `webchat`,
 * which has no outbox: use `chat.send`), else the only one installed.
 */
export function resolveSendChannel(deps: RpcMethodDeps, requested: string | undefined): string {
  const channels = deps.gateway.registry.channels
  const installed = channels.keys()
  if (requested !== undefined) {
    if (requested === 'webchat') throw new RPC_ERR_CHANNEL_INVALID("'webchat' cannot be sent to; use chat.send")
    if (!channels.has(requested)) throw new RPC_ERR_CHANNEL_INVALID(`'${requested}' is not installed (installed: ${installed.join(', ') || 'none'})`)
    return requested
  }
  if (installed.length === 1) return installed[0]!
  throw new RPC_ERR_CHANNEL_INVALID(installed.length === 0 ? 'no channel is installed' : `'channel' is required: several are installed (${installed.join(', ')})`)
}
