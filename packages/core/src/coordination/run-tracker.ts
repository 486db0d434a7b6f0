import type { RunEvents } from '../agent/run-events.js'
import type { AgentEvent, AgentRunResult } from '../types/agent.js'

/** A run this process started (or is following), as the runner tracks it. */
export interface TrackedRun {
  readonly runId: string
  readonly sessionKey: string
  readonly agentId: string
  readonly events: RunEvents
  readonly result: Promise<AgentRunResult>
  readonly controller: AbortController
}

/**
 * The runs going on in this process, by run id, and starts in progress by idempotency key (so a
 * second start with the key joins the first without a database round trip). What lets `wait` and
 * `abort` reach a run: on several replicas, a run lives on the replica that started it, and `wait`
 * for another replica's run falls back to the database ({@link IdempotencyStore.byRunId}).
 */
export interface RunTracker {
  get(runId: string): TrackedRun | undefined
  add(run: TrackedRun): void
  delete(runId: string): void
  values(): TrackedRun[]
  /** The start in progress (or run going on) under an idempotency key. */
  byKey(key: string): Promise<TrackedRun> | undefined
  setKey(key: string, run: Promise<TrackedRun>): void
  deleteKey(key: string): void
  /** Runs executing on other replicas (several gateways on one database); absent on a single process. */
  readonly remote?: RemoteRuns
}

/**
 * What one replica can do with a run another replica executes. Runs are found by run id or
 * idempotency key in the database's claims; events travel between replicas as notifications.
 */
export interface RemoteRuns {
  /**
   * Receive the events of a run executing elsewhere, from its first one (the replica running it
   * replays them), until its lifecycle `end`/`error` event. The returned function stops following.
   */
  follow(runId: string, onEvent: (event: AgentEvent) => void): () => void
  /** Resolves when something happened to a followed run, or after `ms` at the latest. */
  changed(runId: string, ms: number): Promise<void>
  /** Whether the gateway named `holder` (in a claim) is alive. */
  alive(holder: string): Promise<boolean>
  /**
   * The result of a run (by run id or idempotency key) once it ends on whichever replica runs it;
   * `undefined` when no replica knows it, its replica died, or `timeoutMs` passed.
   */
  wait(id: string, timeoutMs?: number): Promise<AgentRunResult | undefined>
  /** Ask the replica running `id` (run id or idempotency key) to abort it: whether one was running it. */
  abort(id: string): Promise<boolean>
}

/** The single-process {@link RunTracker}: two maps. */
export class InMemoryRunTracker implements RunTracker {
  readonly #runs = new Map<string, TrackedRun>()
  readonly #keys = new Map<string, Promise<TrackedRun>>()

  get(runId: string): TrackedRun | undefined {
    return this.#runs.get(runId)
  }

  add(run: TrackedRun): void {
    this.#runs.set(run.runId, run)
  }

  delete(runId: string): void {
    this.#runs.delete(runId)
  }

  values(): TrackedRun[] {
    return [...this.#runs.values()]
  }

  byKey(key: string): Promise<TrackedRun> | undefined {
    return this.#keys.get(key)
  }

  setKey(key: string, run: Promise<TrackedRun>): void {
    this.#keys.set(key, run)
  }

  deleteKey(key: string): void {
    this.#keys.delete(key)
  }
}
