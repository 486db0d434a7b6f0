import type { AgentEvent } from '../types/agent.js'

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined })

/**
 * The events of one run, kept for late subscribers: a repeat request that joins a running run
 * replays what happened so far, then follows live.
 */
export class RunEvents {
  readonly #events: AgentEvent[] = []
  readonly #waiters = new Set<() => void>()
  #closed = false

  push(event: AgentEvent): void {
    if (this.#closed) return
    this.#events.push(event)
    this.#wake()
  }

  close(): void {
    this.#closed = true
    this.#wake()
  }

  /**
   * Every event from the first, then live ones until `close()`. A plain iterator rather than an async
   * generator: text deltas pass through here one by one, and generator steps cost more.
   */
  subscribe(): AsyncIterableIterator<AgentEvent> {
    let index = 0
    let stopped = false
    const next = (): Promise<IteratorResult<AgentEvent>> => {
      if (stopped) return Promise.resolve(DONE)
      if (index < this.#events.length) return Promise.resolve({ done: false, value: this.#events[index++]! })
      if (this.#closed) return Promise.resolve(DONE)
      return new Promise((resolve) => this.#waiters.add(() => resolve(next())))
    }
    return {
      next,
      return: () => {
        stopped = true
        return Promise.resolve(DONE)
      },
      [Symbol.asyncIterator]() {
        return this
      },
    }
  }

  #wake(): void {
    if (this.#waiters.size === 0) return
    const waiters = [...this.#waiters]
    this.#waiters.clear()
    for (const wake of waiters) wake()
  }
}
