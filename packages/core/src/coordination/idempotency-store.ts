import type { Clock } from '../clock/clock.js'
import type { SqlQueries } from '../store/state-store.js'
import type { AgentRunResult } from '../types/agent.js'

/** What claiming an idempotency key found. */
export type IdempotencyClaim =
  /**
   * The key is this run's now: start it. `takenOver`: the run that held the key before, whose holder
   * is gone (a replica that died mid-run): what it wrote to the transcript is to be undone.
   */
  | { readonly status: 'claimed'; readonly takenOver?: string }
  /** A run with the key finished within the TTL: answer its result. */
  | { readonly status: 'finished'; readonly result: AgentRunResult }
  /** A run with the key is going on under another holder (a replica), until `leaseUntil` at the latest. */
  | { readonly status: 'running'; readonly runId: string; readonly holder: string; readonly leaseUntil: number }

/**
 * A run's hold on its idempotency key, checked by each of its transcript writes: once another run
 * took the key over (its replica counted as dead), they are refused with `CORE_ERR_RUN_SUPERSEDED`.
 */
export interface RunFence {
  readonly idempotencyKey: string
  readonly runId: string
}

/**
 * Runs by idempotency key, in the database: a key is claimed when its run STARTS (so the same key
 * never starts twice, across restarts and replicas) and holds the result once it ends, for the TTL.
 */
export interface IdempotencyStore {
  /** Claim `key` for a run about to start; the claim lasts `leaseMs` unless the run finishes first. */
  claim(run: { readonly key: string; readonly runId: string; readonly sessionKey: string; readonly leaseMs: number }): Promise<IdempotencyClaim>
  /** Store the run's result under its key; in `tx` when given (it commits with the run's last writes). */
  finish(key: string, result: AgentRunResult, tx?: SqlQueries): Promise<void>
  /** Give the key up: its run never started (the session's queue was full). */
  release(key: string, runId: string): Promise<void>
  /** The result of a finished run with this key, within the TTL. */
  get(key: string): Promise<AgentRunResult | undefined>
  byRunId(runId: string): Promise<AgentRunResult | undefined>
  /** At start-up: end the claims a previous process left (one gateway), so retries take them over. How many. */
  recover(): Promise<number>
  /**
   * What the transcript writes of the run that claimed `key` check ({@link runFenceSql}); undefined
   * where no other run can take the key over while this one goes on, so there is nothing to check.
   */
  fence(key: string, runId: string): RunFence | undefined
}

interface ClaimRow {
  run_id: string
  status: string
  holder: string | null
  lease_until: number | null
  result: string | null
}

const PRUNE_EVERY_MS = 60 * 60 * 1000

// The per-turn statements, written once: raw SQL through the store's statement cache.
const UPSERT_SET = `ON CONFLICT (idempotency_key) DO UPDATE SET run_id = excluded.run_id, session_key = excluded.session_key, status = 'running', holder = excluded.holder,
    started_at = excluded.started_at, lease_until = excluded.lease_until, finished_at = NULL, result = NULL`
/** `liveHolders`: SQL that lists the holders alive now; a claim of any other holder is free (its process is gone). */
function freeSql(liveHolders: string | undefined): string {
  const gone = liveHolders ? ` OR core_runs.holder NOT IN (${liveHolders})` : ''
  return `WHERE (core_runs.status <> 'running' AND core_runs.finished_at <= ?) OR (core_runs.status = 'running' AND (core_runs.lease_until <= ?${gone}))`
}
/** One gateway (SQLite): it reads the claim it may take over first; nobody else claims in between. */
function claimSql(liveHolders: string | undefined): string {
  return `INSERT INTO core_runs (idempotency_key, run_id, session_key, status, holder, started_at, lease_until) VALUES (?, ?, ?, 'running', ?, ?, ?)
  ${UPSERT_SET}
  ${freeSql(liveHolders)}
  RETURNING run_id`
}
/**
 * Several replicas (PostgreSQL): one statement locks the key's claim row (waiting for a write of the
 * run holding it that is still going on: {@link runFenceSql}), takes it over if it is free, and says
 * which run it took it from, exactly: read apart, that could be a run that took the key over in between.
 */
function claimTakeoverSql(liveHolders: string | undefined): string {
  return `WITH prev AS MATERIALIZED (SELECT run_id, status FROM core_runs WHERE idempotency_key = ? FOR UPDATE)
  INSERT INTO core_runs (idempotency_key, run_id, session_key, status, holder, started_at, lease_until)
  SELECT ?::text, ?::text, ?::text, 'running', ?::text, ?::bigint, ?::bigint FROM (SELECT count(*) FROM prev) AS locked
  ${UPSERT_SET}
  ${freeSql(liveHolders)}
  RETURNING run_id, (SELECT run_id FROM prev) AS prev_run_id, (SELECT status FROM prev) AS prev_status`
}

/**
 * The check a run's transcript write makes in its transaction (see `SessionStore.append`): the run
 * still holds its idempotency key. On PostgreSQL it also locks the claim row (`FOR SHARE`) until the
 * write commits, so a replica taking the key over waits for a write already under way, and then
 * removes it with the rest of what the cut-off run wrote; a write that starts later is refused. That
 * is what keeps a turn retried after its replica died in the transcript once.
 */
export function runFenceSql(dialect: 'sqlite' | 'postgres'): string {
  return `SELECT 1 AS ok FROM core_runs WHERE idempotency_key = ? AND run_id = ? AND status = 'running'${dialect === 'postgres' ? ' FOR SHARE' : ''}`
}

const CLAIM_FRESH = `INSERT INTO core_runs (idempotency_key, run_id, session_key, status, holder, started_at, lease_until) VALUES (?, ?, ?, 'running', ?, ?, ?)
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING run_id`
const CURRENT = 'SELECT run_id, status, holder, lease_until, result FROM core_runs WHERE idempotency_key = ?'
const FINISH = 'UPDATE core_runs SET status = ?, result = ?, finished_at = ?, lease_until = NULL WHERE idempotency_key = ? AND run_id = ?'

/**
 * The {@link IdempotencyStore} on the core's `core_runs` table, in portable SQL. `holder` names this
 * gateway; `singleProcess` (SQLite, whose state directory one gateway holds) makes {@link recover}
 * drop every claim of another holder, which can only be a process that is gone.
 */
export class SqlIdempotencyStore implements IdempotencyStore {
  #lastPrune = 0
  readonly #claim: string
  readonly #atomic: boolean

  constructor(
    private readonly db: SqlQueries,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly holder: string,
    private readonly singleProcess: boolean,
    /** Several replicas: SQL listing the holders alive now (PostgreSQL presence locks); others' claims are free. */
    private readonly liveHolders?: string,
  ) {
    this.#atomic = db.dialect === 'postgres'
    this.#claim = this.#atomic ? claimTakeoverSql(liveHolders) : claimSql(liveHolders)
  }

  async claim(run: { key: string; runId: string; sessionKey: string; leaseMs: number }): Promise<IdempotencyClaim> {
    const now = this.clock.now()
    const values = [run.key, run.runId, run.sessionKey, this.holder, now, now + run.leaseMs, now - this.ttlMs, now]
    let takenOver: string | undefined
    if (this.#atomic) {
      const won = await this.db.get<{ run_id: string; prev_run_id: string | null; prev_status: string | null }>(this.#claim, [run.key, ...values])
      if (won?.run_id === run.runId) return won.prev_status === 'running' && won.prev_run_id ? { status: 'claimed', takenOver: won.prev_run_id } : { status: 'claimed' }
    } else {
      // A key never seen (or pruned): one statement, nothing taken over. The common case.
      const fresh = await this.db.get<{ run_id: string }>(CLAIM_FRESH, values.slice(0, 6))
      if (fresh?.run_id === run.runId) return { status: 'claimed' }
      // The run a claim takes over (its holder's process is gone): what it wrote is to be undone.
      const before = await this.db.get<ClaimRow>(CURRENT, [run.key])
      const won = await this.db.get<{ run_id: string }>(this.#claim, values)
      if (before?.status === 'running') takenOver = before.run_id
      if (won?.run_id === run.runId) return takenOver ? { status: 'claimed', takenOver } : { status: 'claimed' }
    }
    const row = await this.db.get<ClaimRow>(CURRENT, [run.key])
    // Gone in between (released or pruned): try once more.
    if (row === undefined) return this.claim(run)
    if (row.status === 'running') return { status: 'running', runId: row.run_id, holder: row.holder ?? '', leaseUntil: Number(row.lease_until ?? 0) }
    return { status: 'finished', result: JSON.parse(row.result!) as AgentRunResult }
  }

  async finish(key: string, result: AgentRunResult, tx?: SqlQueries): Promise<void> {
    const now = this.clock.now()
    await (tx ?? this.db).run(FINISH, [result.status, JSON.stringify(result), now, key, result.runId])
    if (now - this.#lastPrune > PRUNE_EVERY_MS) {
      this.#lastPrune = now
      // Results past the TTL, and claims of runs cut off that long ago that nobody retried.
      await (tx ?? this.db).run("DELETE FROM core_runs WHERE (status <> 'running' AND finished_at <= ?) OR (status = 'running' AND lease_until <= ?)", [
        now - this.ttlMs, now - this.ttlMs,
      ])
    }
  }

  async release(key: string, runId: string): Promise<void> {
    await this.db.run("DELETE FROM core_runs WHERE idempotency_key = ? AND run_id = ? AND status = 'running'", [key, runId])
  }

  async get(key: string): Promise<AgentRunResult | undefined> {
    const row = await this.db.get<{ result: string }>("SELECT result FROM core_runs WHERE idempotency_key = ? AND status <> 'running' AND finished_at > ?", [
      key, this.clock.now() - this.ttlMs,
    ])
    return row ? (JSON.parse(row.result) as AgentRunResult) : undefined
  }

  async byRunId(runId: string): Promise<AgentRunResult | undefined> {
    const row = await this.db.get<{ result: string }>("SELECT result FROM core_runs WHERE run_id = ? AND status <> 'running'", [runId])
    return row ? (JSON.parse(row.result) as AgentRunResult) : undefined
  }

  /**
   * The fence of a run that claimed `key`: on several replicas (PostgreSQL), or several gateways on
   * one SQLite file (an injected store), a run may be cut off while it goes on (its replica counted as
   * dead, its lease run out) and its key taken over; its writes must then be refused.
   *
   * None on one gateway alone on its database (`singleProcess`: it holds the state directory's lock,
   * or its store is a private `:memory:` one). No other process claims there, and this process never
   * takes over a key while its own run holding it goes on, even past that run's lease (a run waiting
   * behind a longer turn, or one that outlives its timeout): the agent runner joins every start with
   * a key it has a run for, in memory, before any claim (`AgentRunner#start`, `#runs.byKey`), and the
   * key leaves that map only once the run has settled and its claim is finished or released in the
   * database. A previous process's claims are taken over (see {@link recover}), but their runs are
   * gone. So the check could never fail there: it is skipped, one read fewer per transcript write
   * (see bench/README.md). Should the runner ever claim a key it still runs, the fence is needed here too.
   */
  fence(key: string, runId: string): RunFence | undefined {
    return this.singleProcess ? undefined : { idempotencyKey: key, runId }
  }

  /**
   * At start-up, on one gateway (`singleProcess`): the claims another holder left are its previous
   * process's, cut off; their leases end now, so a retry takes them over (and undoes what the cut-off
   * run wrote, knowing its run id). They are not deleted: a retry would then run the turn again
   * beside what the cut-off run wrote. Several replicas: a dead replica's claims are free at claim
   * time already, and keep their run ids the same way. How many claims ended.
   */
  async recover(): Promise<number> {
    if (!this.singleProcess) return 0
    const now = this.clock.now()
    const { changes } = await this.db.run("UPDATE core_runs SET lease_until = ? WHERE status = 'running' AND lease_until > ? AND (holder IS NULL OR holder <> ?)", [
      now, now, this.holder,
    ])
    return changes
  }
}
