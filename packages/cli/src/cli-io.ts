import type { Writable } from 'node:stream'

/** A signal that asks the CLI to stop what it is doing. */
export type ShutdownSignal = 'SIGINT' | 'SIGTERM'

/**
 * Everything the CLI touches outside itself: output streams, the environment, signals and
 * `exit`. `createCli()` takes a partial one, so tests run commands in-process and read what they
 * printed.
 */
export interface CliIo {
  /** Human output, or JSON with `--json`. */
  readonly stdout: Writable
  /** Errors, diagnostics and the gateway's JSON log lines. */
  readonly stderr: Writable
  readonly env: NodeJS.ProcessEnv
  /** Call `listener` on SIGINT/SIGTERM until the returned function is called. */
  onSignal(listener: (signal: ShutdownSignal) => void): () => void
  /** Leave now, without cleaning up (a second signal while the gateway stops). */
  exit(code: number): void
}

const SIGNALS: readonly ShutdownSignal[] = ['SIGINT', 'SIGTERM']

function onProcessSignal(listener: (signal: ShutdownSignal) => void): () => void {
  const handlers = SIGNALS.map((signal) => {
    const handler = () => listener(signal)
    process.on(signal, handler)
    return [signal, handler] as const
  })
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler)
  }
}

/** The real process's streams, environment and signals, with `overrides` on top. */
export function createCliIo(overrides: Partial<CliIo> = {}): CliIo {
  return {
    stdout: overrides.stdout ?? process.stdout,
    stderr: overrides.stderr ?? process.stderr,
    env: overrides.env ?? process.env,
    onSignal: overrides.onSignal ?? onProcessSignal,
    exit: overrides.exit ?? ((code) => process.exit(code)),
  }
}
