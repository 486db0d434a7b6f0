import type { AgentEvent } from '../types/agent.js'

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

  async *subscribe(): AsyncGenerator<AgentEvent> {
    let index = 0
    for (;;) {
      while (index < this.#events.length) yield this.#events[index++]!
      if (this.#closed) return
      await new Promise<void>((resolve) => this.#waiters.add(resolve))
    }
  }

  #wake(): void {
    const waiters = [...this.#waiters]
    this.#waiters.clear()
    for (const wake of waiters) wake()
  }
}
