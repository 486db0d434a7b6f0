import { createRequire } from 'node:module'
import type { DestinationStream, pino as Pino } from 'pino'

// pino is loaded on the first createLogger() call, not at import: a host that passes its own logger
// (or a test with a silent one) never pays for it in start-up time or memory.
let pinoFactory: typeof Pino | undefined
function loadPino(): typeof Pino {
  pinoFactory ??= (createRequire(import.meta.url)('pino') as { pino: typeof Pino }).pino
  return pinoFactory
}

export interface LogFn {
  (message: string, ...args: unknown[]): void
  (bindings: object, message?: string, ...args: unknown[]): void
}

/** The logger every part of OpenClaw writes to; pino's loggers fit it. */
export interface Logger {
  level: string
  trace: LogFn
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  fatal: LogFn
  child(bindings: Record<string, unknown>): Logger
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

const SECRET_KEYS = ['token', 'password', 'apiKey', 'api_key', 'secret', 'authorization', 'Authorization', 'cookie', 'x-openclaw-token', 'hooksToken', 'botToken']

/** pino redaction paths: secret keys at the top and up to three levels down, whatever the parent. */
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`
  const dot = k.startsWith('[') ? '' : '.'
  return [k, `*${dot}${k}`, `*.*${dot}${k}`, `*.*.*${dot}${k}`]
})

export interface CreateLoggerOptions {
  level?: LogLevel
  /** Where lines go; standard output by default. */
  destination?: DestinationStream
  name?: string
}

/** The gateway's root logger: JSON lines, secrets redacted. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return loadPino()(
    {
      name: options.name ?? 'openclaw',
      level: options.level ?? 'info',
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
      base: undefined,
    },
    options.destination,
  ) as unknown as Logger
}

const noop: LogFn = () => {}

/** A logger that writes nothing, for tests and quiet embedding. */
export function createSilentLogger(): Logger {
  const logger: Logger = { level: 'silent', trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child: () => logger }
  return logger
}
