import { isCodedError, type PluginConfigProblem } from '@openclaw/core'
import { loadCliConfig, type ConfigLocation } from '../cli-config.js'
import { createCliGateway } from '../cli-gateway.js'
import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { defaultPlugins } from '../default-plugins.js'
import { EXIT_CONFIG, exitCodeForErrorCode } from '../exit-codes.js'

export type ConfigValidateOptions = ConfigLocation

/**
 * `openclaw config validate`: check the config exactly as `openclaw gateway` would, without starting
 * anything or touching the state database: the core's schema and every first-party plugin's (the
 * gateway's create phase), then each plugin's `checkConfig`, the checks its start would make first
 * (`gateway.auth` without a usable credential, `hooks.enabled` without a token of its own, …).
 */
export async function runConfigValidate(options: ConfigValidateOptions, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  let problems: readonly PluginConfigProblem[]
  try {
    const gateway = await createCliGateway(config, io, { plugins: defaultPlugins(), logLevel: 'error', store: ':memory:' })
    try {
      problems = gateway.checkConfig()
    } finally {
      await gateway.stop()
    }
  } catch (err) {
    if (!isCodedError(err)) throw err
    io.stderr.write(`error [${err.code}]: ${config.configPath}: ${err.message}\n`)
    throw new CliExit(exitCodeForErrorCode(err.code))
  }
  if (problems.length > 0) {
    // Whatever a plugin's check refuses is a config problem: restarting the gateway would not help.
    for (const { plugin, error } of problems) io.stderr.write(`error [${error.code}]: ${config.configPath}: ${plugin} would not start: ${error.message}\n`)
    throw new CliExit(EXIT_CONFIG)
  }
  io.stdout.write(config.exists ? `OK: ${config.configPath} is valid\n` : `OK: no config file at ${config.configPath}; the defaults are valid\n`)
}
