import { Writable } from 'node:stream'
import type { CliIo, ShutdownSignal } from './cli-io.js'

/** Test support (not exported): a `CliIo` whose output is kept in memory and whose signals are sent by hand. */
export interface CapturedIo {
  readonly io: CliIo
  stdout(): string
  stderr(): string
  /** Deliver a signal to whatever the command subscribed. */
  signal(signal: ShutdownSignal): void
  /** Exit codes passed to `io.exit` (a forced exit). */
  readonly exits: number[]
  /** Resolves once stdout contains `text`. */
  waitForStdout(text: string | RegExp, timeoutMs?: number): Promise<string>
}

function sink(chunks: string[], onWrite: () => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString())
      onWrite()
      callback()
    },
  })
}

export function captureIo(env: NodeJS.ProcessEnv = {}): CapturedIo {
  const out: string[] = []
  const err: string[] = []
  const waiters = new Set<() => void>()
  const notify = () => {
    for (const waiter of waiters) waiter()
  }
  const listeners = new Set<(signal: ShutdownSignal) => void>()
  const exits: number[] = []
  const io: CliIo = {
    stdout: sink(out, notify),
    stderr: sink(err, notify),
    env,
    onSignal(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    exit: (code) => void exits.push(code),
  }
  const stdout = () => out.join('')
  return {
    io,
    stdout,
    stderr: () => err.join(''),
    signal: (signal) => {
      for (const listener of [...listeners]) listener(signal)
    },
    exits,
    waitForStdout(text, timeoutMs = 10_000) {
      const matches = () => (typeof text === 'string' ? stdout().includes(text) : text.test(stdout()))
      if (matches()) return Promise.resolve(stdout())
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`stdout never contained ${String(text)}; stdout: ${stdout()} stderr: ${err.join('')}`))
        }, timeoutMs)
        const check = () => {
          if (!matches()) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(stdout())
        }
        waiters.add(check)
      })
    },
  }
}
