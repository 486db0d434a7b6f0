import type { Clock } from '../clock/clock.js'
import type { OwnerStore } from '../store/state-store.js'
import type { AgentRunResult } from '../types/agent.js'

/**
 * Finished runs by idempotency key, in the store so they survive restarts, kept for `ttlMs`.
 * Runs still going are tracked by the runner itself.
 */
export class IdempotencyStore {
  #lastPrune = 0

  constructor(
    private readonly db: OwnerStore,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  get(key: string): AgentRunResult | undefined {
    const row = this.db.get<{ result: string }>('SELECT result FROM core_runs WHERE idempotency_key = ? AND finished_at > ?', [
      key, this.clock.now() - this.ttlMs,
    ])
    return row ? (JSON.parse(row.result) as AgentRunResult) : undefined
  }

  byRunId(runId: string): AgentRunResult | undefined {
    const row = this.db.get<{ result: string }>('SELECT result FROM core_runs WHERE run_id = ?', [runId])
    return row ? (JSON.parse(row.result) as AgentRunResult) : undefined
  }

  save(key: string, result: AgentRunResult): void {
    const now = this.clock.now()
    this.db.run(
      'INSERT INTO core_runs (idempotency_key, run_id, session_key, status, result, finished_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(idempotency_key) DO UPDATE SET run_id = excluded.run_id, session_key = excluded.session_key, status = excluded.status, result = excluded.result, finished_at = excluded.finished_at',
      [key, result.runId, result.sessionKey, result.status, JSON.stringify(result), now],
    )
    if (now - this.#lastPrune > 60 * 60 * 1000) {
      this.#lastPrune = now
      this.db.run('DELETE FROM core_runs WHERE finished_at <= ?', [now - this.ttlMs])
    }
  }
}
