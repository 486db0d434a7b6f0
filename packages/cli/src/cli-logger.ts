import type { Writable } from 'node:stream'
import { createLogger, type LogLevel, type Logger } from '@openclaw/core'

export interface CliLoggerOptions {
  /**
   * Keep `stack` fields of logged errors. The gateway keeps them for operators; one-shot commands
   * drop them unless `OPENCLAW_DEBUG=1`, since they print the coded error themselves.
   */
  readonly stacks?: boolean
}

function withoutStacks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStacks)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'stack').map(([key, item]) => [key, withoutStacks(item)]))
}

function stripStacks(line: string): string {
  if (!line.includes('"stack":')) return line
  try {
    return `${JSON.stringify(withoutStacks(JSON.parse(line)))}\n`
  } catch {
    return line
  }
}

/** The gateway's pino logger, writing JSON lines to `stream` (stderr: stdout is for the user). */
export function createCliLogger(level: LogLevel, stream: Writable, options: CliLoggerOptions = {}): Logger {
  const write = options.stacks === false ? (line: string) => void stream.write(stripStacks(line)) : (line: string) => void stream.write(line)
  return createLogger({ level, destination: { write } })
}
