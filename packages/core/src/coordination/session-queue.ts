import { CORE_ERR_SESSION_BUSY } from '../errors/codes.js'
import type { TurnQueue } from './turn-queue.js'

interface Lane {
  pending: number
  tail: Promise<unknown>
}

const noop = () => {}

/**
 * The single-process {@link TurnQueue}: serialises work per session in arrival order, in memory;
 * different sessions run concurrently. At most `maxWaiting` tasks wait behind the running one; one
 * more is refused with `CORE_ERR_SESSION_BUSY`.
 */
export class SessionQueue implements TurnQueue {
  readonly #lanes = new Map<string, Lane>()

  constructor(private readonly maxWaiting: number) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.#lanes.get(key)
    if (!lane) {
      lane = { pending: 0, tail: Promise.resolve() }
      this.#lanes.set(key, lane)
    }
    if (lane.pending > this.maxWaiting) throw new CORE_ERR_SESSION_BUSY(key, this.maxWaiting)
    lane.pending++
    const current = lane
    const result = current.tail.then(task)
    current.tail = result.then(noop, noop).then(() => {
      current.pending--
      if (current.pending === 0 && this.#lanes.get(key) === current) this.#lanes.delete(key)
    })
    return result
  }

  /** Tasks running or waiting for a session. */
  depth(key: string): number {
    return this.#lanes.get(key)?.pending ?? 0
  }
}
