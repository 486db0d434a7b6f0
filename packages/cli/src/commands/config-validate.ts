import { isCodedError } from '@openclaw/core'
import { loadCliConfig, type ConfigLocation } from '../cli-config.js'
import { createCliGateway } from '../cli-gateway.js'
import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { DEFAULT_PLUGINS } from '../default-plugins.js'
import { exitCodeForErrorCode } from '../exit-codes.js'

export type ConfigValidateOptions = ConfigLocation

/**
 * `openclaw config validate`: check the config exactly as `openclaw gateway` would (the core's
 * schema and every first-party plugin's), without starting anything or touching the state database.
 */
export async function runConfigValidate(options: ConfigValidateOptions, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  try {
    const gateway = await createCliGateway(config, io, { plugins: DEFAULT_PLUGINS, logLevel: 'error', store: ':memory:' })
    await gateway.stop()
  } catch (err) {
    if (!isCodedError(err)) throw err
    io.stderr.write(`error [${err.code}]: ${config.configPath}: ${err.message}\n`)
    throw new CliExit(exitCodeForErrorCode(err.code))
  }
  io.stdout.write(config.exists ? `OK: ${config.configPath} is valid\n` : `OK: no config file at ${config.configPath}; the defaults are valid\n`)
}
