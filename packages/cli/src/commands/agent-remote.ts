import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { CLI_ERR_REMOTE_UNAVAILABLE } from '../errors.js'
import { EXIT_USAGE } from '../exit-codes.js'
import { formatError } from '../format-error.js'
import type { AgentCommandOptions } from './agent.js'

/**
 * `openclaw agent` without `--local`: the turn runs on a running gateway, over its WebSocket RPC.
 * Not available yet (it needs the RPC plugin's client side); never falls back to an embedded run.
 */
export async function runAgentRemote(_options: AgentCommandOptions, io: CliIo): Promise<void> {
  io.stderr.write(formatError(new CLI_ERR_REMOTE_UNAVAILABLE()))
  throw new CliExit(EXIT_USAGE)
}
