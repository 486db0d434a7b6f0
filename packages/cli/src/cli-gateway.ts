import { createGateway, type Gateway, type LogLevel, type PluginInput } from '@openclaw/core'
import { toGatewayConfigInput, type CliConfig } from './cli-config.js'
import type { CliIo } from './cli-io.js'
import { createCliLogger } from './cli-logger.js'

export interface CliGatewayOptions {
  readonly plugins: readonly PluginInput[]
  readonly logLevel: LogLevel
  /** The config to use instead of the file's (e.g. with `--port` applied). */
  readonly raw?: Record<string, unknown>
  /** `':memory:'` for commands that must not touch the state database. */
  readonly store?: ':memory:'
  /** Keep stack traces in logs (the long-running gateway); one-shot commands drop them unless OPENCLAW_DEBUG=1. */
  readonly keepStacks?: boolean
}

/** A gateway for a CLI command: the command's config and state dir, logs on stderr. Not started. */
export function createCliGateway(config: CliConfig, io: CliIo, options: CliGatewayOptions): Promise<Gateway> {
  return createGateway({
    config: toGatewayConfigInput(options.raw ?? config.raw),
    stateDir: config.stateDir,
    env: io.env,
    plugins: options.plugins,
    ...(options.store ? { store: options.store } : {}),
    logger: createCliLogger(options.logLevel, io.stderr, options.keepStacks ? {} : { stacks: io.env.OPENCLAW_DEBUG === '1' }),
  })
}
