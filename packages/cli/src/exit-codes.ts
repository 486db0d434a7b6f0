import { errors } from '@openclaw/core'
import type { ShutdownSignal } from './cli-io.js'

/** Exit codes of the `openclaw` command. */
export const EXIT_OK = 0
/** The command failed: a run that did not end ok, a plugin that broke, a missing token. */
export const EXIT_FAILURE = 1
/** The command line was wrong: unknown option, missing argument, bad value (also OPENCLAW_GATEWAY_URL). */
export const EXIT_USAGE = 2
/** The config is invalid (systemd's `RestartPreventExitStatus=78`: restarting will not help). */
export const EXIT_CONFIG = 78

/** Exit codes after a signal, as shells report them (128 + signal number). */
export const EXIT_SIGNAL: Readonly<Record<ShutdownSignal, number>> = Object.freeze({ SIGINT: 130, SIGTERM: 143 })

/** Codes, besides `CORE_ERR_CONFIG_*`, that mean "fix the config": a restart cannot succeed. */
const CONFIG_CODES = new Set<string>([errors.CORE_ERR_PLUGIN_CONFIG_INVALID.code, 'HTTP_ERR_AUTH_REQUIRED', 'HTTP_ERR_PASSWORD_MISSING', 'CLI_ERR_PORT_ENV_INVALID'])

/** Codes that mean "the command line asked for something that cannot be done": fix the arguments. */
const USAGE_CODES = new Set(['CLI_ERR_MEDIA_PATH_UNSUPPORTED', 'CLI_ERR_GATEWAY_URL_INVALID'])

/** The exit code for an error with this code (`undefined` for errors without one). */
export function exitCodeForErrorCode(code: string | undefined): number {
  if (code === undefined) return EXIT_FAILURE
  if (USAGE_CODES.has(code)) return EXIT_USAGE
  return code.startsWith('CORE_ERR_CONFIG_') || CONFIG_CODES.has(code) ? EXIT_CONFIG : EXIT_FAILURE
}
