import { CORE_ERR_CLUSTER_SINGLETON_DUPLICATE } from '../errors/codes.js'
import type { ClusterConnection } from './cluster-connection.js'
import { LockClass } from './lock-keys.js'
import type { PgEventBus } from './pg-event-bus.js'
import type { ClusterSingleton, SingletonStart } from './cluster.js'

const RELEASED = 'singleton.released'

export interface PgSingletonsOptions {
  /** How often a replica that is not the leader tries to become it. */
  readonly retryMs?: number
  readonly onError?: (name: string, error: unknown) => void
}

interface Entry {
  readonly name: string
  readonly start: SingletonStart
  leader: boolean
  stopWork: (() => Promise<void> | void) | undefined
  abort: AbortController | undefined
  timer: NodeJS.Timeout | undefined
  stopped: boolean
  busy: Promise<void>
}

/**
 * Work that runs on exactly one replica: the leader holds a session-level advisory lock on its
 * cluster connection. When the leader dies (or only loses its connection), the lock goes with it;
 * the others retry every `retryMs`, and at once when a leader stops cleanly.
 */
export class PgSingletons {
  readonly #entries = new Map<string, Entry>()
  readonly #retryMs: number
  readonly #offLost: () => void
  #offReleased: (() => void) | undefined

  constructor(
    private readonly connection: ClusterConnection,
    private readonly bus: PgEventBus,
    private readonly options: PgSingletonsOptions = {},
  ) {
    this.#retryMs = options.retryMs ?? 2000
    this.#offLost = connection.onLost(() => {
      for (const entry of this.#entries.values()) if (entry.leader) void this.#demote(entry)
    })
  }

  start(): void {
    this.#offReleased ??= this.bus.subscribe(RELEASED, (name) => {
      const entry = typeof name === 'string' ? this.#entries.get(name) : undefined
      if (entry && !entry.leader) this.#schedule(entry, 0)
    })
  }

  singleton(name: string, start: SingletonStart): ClusterSingleton {
    if (this.#entries.has(name)) throw new CORE_ERR_CLUSTER_SINGLETON_DUPLICATE(name)
    const entry: Entry = { name, start, leader: false, stopWork: undefined, abort: undefined, timer: undefined, stopped: false, busy: Promise.resolve() }
    this.#entries.set(name, entry)
    this.#schedule(entry, 0)
    return {
      name,
      isLeader: () => entry.leader,
      stop: () => this.#release(entry),
    }
  }

  async stopAll(): Promise<void> {
    this.#offLost()
    this.#offReleased?.()
    await Promise.all([...this.#entries.values()].map((entry) => this.#release(entry)))
  }

  #schedule(entry: Entry, delayMs: number): void {
    if (entry.stopped || entry.leader) return
    if (entry.timer) clearTimeout(entry.timer)
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      entry.busy = entry.busy.then(() => this.#try(entry))
    }, delayMs)
  }

  async #try(entry: Entry): Promise<void> {
    if (entry.stopped || entry.leader) return
    let won = false
    try {
      won = await this.connection.tryLock(LockClass.SINGLETON, entry.name)
    } catch (error) {
      this.options.onError?.(entry.name, error)
    }
    if (!won) return this.#schedule(entry, this.#retryMs)
    entry.leader = true
    entry.abort = new AbortController()
    try {
      const stop = await entry.start(entry.abort.signal)
      entry.stopWork = stop ?? undefined
    } catch (error) {
      this.options.onError?.(entry.name, error)
      entry.leader = false
      await this.connection.unlock(LockClass.SINGLETON, entry.name).catch(() => {})
      this.#schedule(entry, this.#retryMs)
    }
  }

  /** The lock was lost with the connection: stop the work; try again later. */
  async #demote(entry: Entry): Promise<void> {
    entry.busy = entry.busy.then(async () => {
      if (!entry.leader) return
      entry.leader = false
      await this.#stopWork(entry)
      this.#schedule(entry, this.#retryMs)
    })
    await entry.busy
  }

  async #release(entry: Entry): Promise<void> {
    entry.stopped = true
    if (entry.timer) clearTimeout(entry.timer)
    entry.busy = entry.busy.then(async () => {
      this.#entries.delete(entry.name)
      if (!entry.leader) return
      entry.leader = false
      await this.#stopWork(entry)
      await this.connection.unlock(LockClass.SINGLETON, entry.name).catch(() => {})
      await this.bus.publish(RELEASED, entry.name).catch(() => {})
    })
    await entry.busy
  }

  async #stopWork(entry: Entry): Promise<void> {
    entry.abort?.abort()
    const stop = entry.stopWork
    entry.stopWork = undefined
    try {
      await stop?.()
    } catch (error) {
      this.options.onError?.(entry.name, error)
    }
  }
}
