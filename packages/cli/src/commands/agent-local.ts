import type { AgentRunOptions, AgentRunResult } from '@openclaw/core'
import { configuredLogLevel, loadCliConfig } from '../cli-config.js'
import { createCliGateway } from '../cli-gateway.js'
import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { CLI_ERR_RUN_NO_RESULT } from '../errors.js'
import { EXIT_FAILURE, EXIT_SIGNAL } from '../exit-codes.js'
import { providerPlugins } from '../provider-plugins.js'
import { watchShutdownSignals } from '../shutdown-signals.js'
import type { AgentCommandOptions } from './agent.js'

/** The longest timer Node supports: what `--timeout 0` (no limit) means in practice. */
const NO_TIMEOUT_MS = 2_147_483_647

function runOptions(options: AgentCommandOptions, signal: AbortSignal): AgentRunOptions {
  return {
    message: options.message,
    signal,
    ...(options.agent !== undefined ? { agentId: options.agent } : {}),
    ...(options.sessionId !== undefined ? { sessionKey: options.sessionId } : {}),
    ...(options.thinking !== undefined ? { thinking: options.thinking } : {}),
    ...(options.timeout !== undefined ? { timeoutMs: options.timeout === 0 ? NO_TIMEOUT_MS : Math.min(NO_TIMEOUT_MS, Math.max(1, Math.round(options.timeout * 1000))) } : {}),
  }
}

/**
 * `openclaw agent --local`: one turn in this process, with the provider plugins only (no server,
 * no channels). The reply streams to stdout; `--json` prints the `AgentRunResult` instead. Logs
 * go to stderr at `warn` unless the config sets `logging.level`.
 * The gateway is started (skills load; deliveries for channels it lacks stay pending for the
 * gateway that has them).
 */
export async function runAgentLocal(options: AgentCommandOptions, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  const gateway = await createCliGateway(config, io, { plugins: providerPlugins(), logLevel: configuredLogLevel(config, 'warn') })
  await gateway.start()
  const controller = new AbortController()
  const signals = watchShutdownSignals(io, () => controller.abort())
  let result: AgentRunResult | undefined
  let endsWithNewline = true
  try {
    for await (const event of gateway.agent.stream(runOptions(options, controller.signal))) {
      if (event.type === 'text' && !options.json && event.delta !== '') {
        io.stdout.write(event.delta)
        endsWithNewline = event.delta.endsWith('\n')
      } else if (event.type === 'lifecycle' && event.phase !== 'start') {
        result = event.result
      }
    }
  } finally {
    signals.dispose()
    await gateway.stop()
  }
  if (!options.json && !endsWithNewline) io.stdout.write('\n')
  if (options.json && result) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  if (result === undefined) throw new CLI_ERR_RUN_NO_RESULT()
  if (result.status === 'ok') return
  io.stderr.write(result.error ? `error [${result.error.code}]: ${result.error.message}\n` : `error: the run ended with status '${result.status}'\n`)
  throw new CliExit(signals.received ? EXIT_SIGNAL[signals.received] : EXIT_FAILURE)
}
