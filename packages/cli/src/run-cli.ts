import { CommanderError } from 'commander'
import { CliExit } from './cli-exit.js'
import { createCliIo, type CliIo } from './cli-io.js'
import { createCli } from './create-cli.js'
import { EXIT_OK, EXIT_USAGE, exitCodeForErrorCode } from './exit-codes.js'
import { errorCode, formatError } from './format-error.js'

/** Commander "errors" that are really a successful `--help` or `--version`. */
const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.version'])

/**
 * Run `openclaw` with `argv` (as `process.argv`: node, script, then arguments) and resolve with the
 * exit code: 0 ok, 1 failure, 2 usage, 78 bad config. Failures are printed as one line,
 * `error [CODE]: message`; with `OPENCLAW_DEBUG=1` the stack follows.
 */
export async function runCli(argv: readonly string[], overrides: Partial<CliIo> = {}): Promise<number> {
  const io = createCliIo(overrides)
  try {
    await createCli(io).parseAsync([...argv], { from: 'node' })
    return EXIT_OK
  } catch (err) {
    if (err instanceof CliExit) return err.exitCode
    // Commander has already printed the problem and the help hint.
    if (err instanceof CommanderError) return COMMANDER_SUCCESS.has(err.code) ? EXIT_OK : EXIT_USAGE
    io.stderr.write(formatError(err, { debug: io.env.OPENCLAW_DEBUG === '1' }))
    return exitCodeForErrorCode(errorCode(err))
  }
}
