import type { AgentRunOptions, GatewayRuntime, Logger } from '@openclaw/plugin-sdk'
import { RunBroadcast } from './run-broadcast.js'

/** Idempotency keys remembered for `agent.wait` / `chat.abort` lookups; the oldest are forgotten first. */
const MAX_REMEMBERED_IDS = 10_000

/** How a request met its run. */
export type RunAdmission =
  /** A new run, or one the kernel answered from its idempotency store: see {@link RunBroadcast.storedResult}. */
  | 'new'
  /** A run with the same idempotency key is going on: the request joins it. */
  | 'joined'

/**
 * The runs this plugin's clients started or joined, by kernel run id, and the ids clients know them by
 * (their idempotency keys). One {@link RunBroadcast} per run, however many requests share it.
 */
export class RunTracker {
  readonly #active = new Map<string, RunBroadcast>()
  /** Client run id (idempotency key) → kernel run id, for runs going on and finished. */
  readonly #kernelIds = new Map<string, string>()

  constructor(
    private readonly agent: GatewayRuntime['agent'],
    private readonly log: Logger,
  ) {}

  /**
   * Start a run or join the one with the same idempotency key. Synchronous from `start()` resolving
   * to the broadcast being registered, so a duplicate (which the kernel hands the same run) finds it.
   * A new run's events are not followed until {@link RunBroadcast.start}, so its first answer can go
   * out before them.
   */
  async begin(options: AgentRunOptions): Promise<{ broadcast: RunBroadcast; admission: RunAdmission }> {
    const started = await this.agent.start(options)
    const existing = this.#active.get(started.runId)
    if (existing) return { broadcast: existing, admission: 'joined' }
    const runId = options.idempotencyKey ?? started.runId
    const broadcast = new RunBroadcast(runId, started, this.log, (done) => this.#active.delete(done.kernelRunId))
    this.#active.set(started.runId, broadcast)
    this.#remember(runId, started.runId)
    if (started.joined) {
      // Started elsewhere (another surface, same key): follow it from now on.
      broadcast.start()
      return { broadcast, admission: 'joined' }
    }
    return { broadcast, admission: 'new' }
  }

  /** The kernel's id for a client run id (an idempotency key), or the id itself. */
  kernelRunId(runId: string): string {
    return this.#kernelIds.get(runId) ?? runId
  }

  /** The run going on under a client or kernel run id. */
  active(runId: string): RunBroadcast | undefined {
    return this.#active.get(this.kernelRunId(runId))
  }

  /** Runs going on in a session (that this plugin follows). */
  activeInSession(sessionKey: string): RunBroadcast[] {
    const found: RunBroadcast[] = []
    for (const broadcast of this.#active.values()) if (broadcast.sessionKey === sessionKey && !broadcast.done) found.push(broadcast)
    return found
  }

  get size(): number {
    return this.#active.size
  }

  #remember(runId: string, kernelRunId: string): void {
    if (runId === kernelRunId) return
    this.#kernelIds.delete(runId)
    this.#kernelIds.set(runId, kernelRunId)
    if (this.#kernelIds.size > MAX_REMEMBERED_IDS) this.#kernelIds.delete(this.#kernelIds.keys().next().value!)
  }
}
