import { createGateway, isCodedError } from '@openclaw/core'
import { loadCliConfig, toGatewayConfigInput, type ConfigLocation } from '../cli-config.js'
import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { createCliLogger } from '../cli-logger.js'
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
    const gateway = await createGateway({
      config: toGatewayConfigInput(config.raw),
      stateDir: config.stateDir,
      env: io.env,
      plugins: DEFAULT_PLUGINS,
      store: ':memory:',
      logger: createCliLogger('error', io.stderr, { stacks: io.env.OPENCLAW_DEBUG === '1' }),
    })
    await gateway.stop()
  } catch (err) {
    if (!isCodedError(err)) throw err
    io.stderr.write(`error [${err.code}]: ${config.configPath}: ${err.message}\n`)
    throw new CliExit(exitCodeForErrorCode(err.code))
  }
  io.stdout.write(config.exists ? `OK: ${config.configPath} is valid\n` : `OK: no config file at ${config.configPath}; the defaults are valid\n`)
}
