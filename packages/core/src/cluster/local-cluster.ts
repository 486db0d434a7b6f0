import { CORE_ERR_CLUSTER_SINGLETON_DUPLICATE } from '../errors/codes.js'
import type { ClusterHost, ClusterSingleton, SingletonStart } from './cluster.js'

/**
 * The cluster of one gateway (SQLite): a singleton simply runs here, from the moment it is asked for
 * until it is stopped. `onError` hears a start that threw.
 */
export class LocalCluster implements ClusterHost {
  readonly mode = 'single' as const
  readonly #running = new Map<string, { abort: AbortController; stop: Promise<(() => Promise<void> | void) | void> }>()

  constructor(private readonly onError: (name: string, error: unknown) => void = () => {}) {}

  singleton(name: string, start: SingletonStart): ClusterSingleton {
    if (this.#running.has(name)) throw new CORE_ERR_CLUSTER_SINGLETON_DUPLICATE(name)
    const abort = new AbortController()
    const started = Promise.resolve().then(() => start(abort.signal))
    const stop = started.catch((error: unknown) => {
      this.onError(name, error)
      return undefined
    })
    let leader = true
    started.catch(() => (leader = false))
    this.#running.set(name, { abort, stop })
    return {
      name,
      isLeader: () => leader,
      stop: async () => {
        if (this.#running.get(name)?.abort !== abort) return
        this.#running.delete(name)
        leader = false
        abort.abort()
        await (await stop)?.()
      },
    }
  }

  async stopSingletons(): Promise<void> {
    await Promise.all([...this.#running.entries()].map(async ([name, entry]) => {
      this.#running.delete(name)
      entry.abort.abort()
      try {
        await (await entry.stop)?.()
      } catch (error) {
        this.onError(name, error)
      }
    }))
  }
}
