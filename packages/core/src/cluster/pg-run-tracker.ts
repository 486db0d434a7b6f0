import { InMemoryRunTracker, type RemoteRuns, type TrackedRun } from '../coordination/run-tracker.js'
import { CORE_ERR_RUN_ABORTED } from '../errors/codes.js'
import type { SqlQueries } from '../store/state-store.js'
import type { AgentEvent, AgentRunResult } from '../types/agent.js'
import { LIVE_HOLDERS_SQL } from './lock-keys.js'
import type { PgEventBus } from './pg-event-bus.js'

/** A replica asks whoever runs `runId` to send its events. */
const FOLLOW = 'run.follow'
/** One event of a followed run. */
const EVENT = 'run.event'
const ABORT = 'run.abort'

/** A follow request that came before its run was tracked here (claimed, not started yet) is kept this long. */
const EARLY_FOLLOW_MS = 30_000

interface ClaimRow {
  run_id: string
  status: string
  result: string | null
  live: boolean
}

const LOOKUP = `SELECT run_id, status, result, holder IN (${LIVE_HOLDERS_SQL}) AS live FROM core_runs WHERE run_id = ? OR idempotency_key = ? LIMIT 1`

const isEnd = (event: AgentEvent): event is Extract<AgentEvent, { result: AgentRunResult; type: 'lifecycle' }> =>
  event.type === 'lifecycle' && event.phase !== 'start'

/**
 * The runs of one replica among several on one PostgreSQL. Runs going on here are tracked in memory
 * (as on a single gateway); runs elsewhere are reached through the idempotency claims in `core_runs`
 * (which replica holds a key, whether it is alive, the result) and the event bus: a replica that
 * follows a run asks for its events, and the replica running it forwards them, from the first, only
 * then (no run's events cross the bus unless someone follows it). Aborts travel the same way.
 */
export class PgRunTracker extends InMemoryRunTracker {
  readonly remote: RemoteRuns
  /** Runs whose events this replica forwards now. */
  readonly #forwarding = new Set<string>()
  /** Follow requests for runs not tracked here (yet), until when they count. */
  readonly #early = new Map<string, number>()
  readonly #followers = new Map<string, Set<(event: AgentEvent) => void>>()
  readonly #wakers = new Map<string, Set<() => void>>()
  readonly #unsubscribe: Array<() => void>

  constructor(
    private readonly bus: PgEventBus,
    private readonly db: SqlQueries,
    private readonly pollMs: number,
  ) {
    super()
    this.#unsubscribe = [
      bus.subscribe(FOLLOW, (data) => this.#onFollow(data)),
      bus.subscribe(EVENT, (data) => this.#onEvent(data)),
      bus.subscribe(ABORT, (data) => {
        const runId = (data as { runId?: unknown } | null)?.runId
        if (typeof runId === 'string') this.get(runId)?.controller.abort(new CORE_ERR_RUN_ABORTED('aborted by request'))
      }),
    ]
    this.remote = {
      follow: (runId, onEvent) => this.#follow(runId, onEvent),
      changed: (runId, ms) => this.#changed(runId, ms),
      alive: async (holder) => (await this.db.get<{ live: boolean }>(`SELECT ? IN (${LIVE_HOLDERS_SQL}) AS live`, [holder]))?.live === true,
      wait: (id, timeoutMs) => this.#wait(id, timeoutMs),
      abort: (id) => this.#abort(id),
    }
  }

  override add(run: TrackedRun): void {
    super.add(run)
    const early = this.#early.get(run.runId)
    if (early === undefined) return
    this.#early.delete(run.runId)
    if (early >= Date.now()) this.#forward(run)
  }

  /** Stop hearing the bus (the gateway stops). */
  close(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe()
  }

  #onFollow(data: unknown): void {
    const runId = (data as { runId?: unknown } | null)?.runId
    if (typeof runId !== 'string') return
    const run = this.get(runId)
    if (run) return this.#forward(run)
    const now = Date.now()
    if (this.#early.size > 1000) for (const [id, until] of this.#early) if (until < now) this.#early.delete(id)
    this.#early.set(runId, now + EARLY_FOLLOW_MS)
  }

  /** Publish a run's events, from the first, in order; once per run however many replicas follow it. */
  #forward(run: TrackedRun): void {
    if (this.#forwarding.has(run.runId)) return
    this.#forwarding.add(run.runId)
    void (async () => {
      for await (const event of run.events.subscribe()) await this.bus.publish(EVENT, { runId: run.runId, event })
    })()
      .catch(() => {})
      .finally(() => this.#forwarding.delete(run.runId))
  }

  #onEvent(data: unknown): void {
    const { runId, event } = (data ?? {}) as { runId?: unknown; event?: AgentEvent }
    if (typeof runId !== 'string' || !event) return
    for (const handler of this.#followers.get(runId) ?? []) handler(event)
    if (isEnd(event)) this.#wake(runId)
  }

  #follow(runId: string, onEvent: (event: AgentEvent) => void): () => void {
    let handlers = this.#followers.get(runId)
    if (!handlers) {
      handlers = new Set()
      this.#followers.set(runId, handlers)
    }
    handlers.add(onEvent)
    void this.bus.publish(FOLLOW, { runId }).catch(() => {})
    return () => {
      handlers.delete(onEvent)
      if (handlers.size === 0 && this.#followers.get(runId) === handlers) this.#followers.delete(runId)
    }
  }

  #changed(runId: string, ms: number): Promise<void> {
    // Asked again on every look: a request lost with a connection, or sent before the run was tracked, is repeated.
    if (this.#followers.has(runId)) void this.bus.publish(FOLLOW, { runId }).catch(() => {})
    return new Promise<void>((resolve) => {
      let wakers = this.#wakers.get(runId)
      if (!wakers) {
        wakers = new Set()
        this.#wakers.set(runId, wakers)
      }
      const set = wakers
      const done = () => {
        clearTimeout(timer)
        set.delete(done)
        if (set.size === 0 && this.#wakers.get(runId) === set) this.#wakers.delete(runId)
        resolve()
      }
      const timer = setTimeout(done, ms)
      set.add(done)
    })
  }

  #wake(runId: string): void {
    for (const wake of [...(this.#wakers.get(runId) ?? [])]) wake()
  }

  async #wait(id: string, timeoutMs: number | undefined): Promise<AgentRunResult | undefined> {
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs
    let ended: AgentRunResult | undefined
    let stop: (() => void) | undefined
    try {
      for (;;) {
        if (ended) return ended
        const row = await this.db.get<ClaimRow>(LOOKUP, [id, id])
        if (!row) return undefined
        if (row.status !== 'running') return row.result ? (JSON.parse(row.result) as AgentRunResult) : undefined
        if (!row.live) return undefined
        const left = deadline - Date.now()
        if (left <= 0) return undefined
        stop ??= this.#follow(row.run_id, (event) => {
          if (isEnd(event)) ended = event.result
        })
        await this.#changed(row.run_id, Math.min(left, this.pollMs))
      }
    } finally {
      stop?.()
    }
  }

  async #abort(id: string): Promise<boolean> {
    const row = await this.db.get<ClaimRow>(LOOKUP, [id, id])
    if (!row || row.status !== 'running' || !row.live) return false
    await this.bus.publish(ABORT, { runId: row.run_id })
    return true
  }
}
