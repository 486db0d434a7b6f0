import type { CliIo, ShutdownSignal } from './cli-io.js'
import { EXIT_FAILURE } from './exit-codes.js'

/** The first SIGINT/SIGTERM, for a graceful stop; a second one exits at once with code 1. */
export interface ShutdownSignals {
  /** Settles with the first signal received. */
  readonly first: Promise<ShutdownSignal>
  /** The first signal, once it has arrived. */
  readonly received: ShutdownSignal | undefined
  /** Stop listening (the default signal behaviour comes back). */
  dispose(): void
}

/** Listen for shutdown signals: the first asks for a graceful stop, the second forces `exit(1)`. */
export function watchShutdownSignals(io: Pick<CliIo, 'onSignal' | 'exit' | 'stderr'>, onFirst?: (signal: ShutdownSignal) => void): ShutdownSignals {
  let received: ShutdownSignal | undefined
  let resolveFirst: (signal: ShutdownSignal) => void = () => {}
  const first = new Promise<ShutdownSignal>((resolve) => {
    resolveFirst = resolve
  })
  const dispose = io.onSignal((signal) => {
    if (received === undefined) {
      received = signal
      onFirst?.(signal)
      resolveFirst(signal)
      return
    }
    io.stderr.write(`error: received ${signal} again while stopping; exiting now\n`)
    io.exit(EXIT_FAILURE)
  })
  return {
    first,
    get received() {
      return received
    },
    dispose,
  }
}
