import type { Migration, OwnerStore, SqlTransaction } from '@openclaw/plugin-sdk'
import type { CronJob, CronJobSpec, CronJobState } from './cron-job.js'
import type { AlertDraft, AlertRoute } from './failure-alert.js'
import type { SkippedFires } from './plan-fire.js'

export const JOBS = 'cron_jobs'
export const RUNS = 'cron_runs'
export const EVENTS = 'cron_system_events'
export const ALERTS = 'cron_alerts'

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs, run history with fire claims, queued system events',
    up: {
      sqlite: `
        CREATE TABLE ${JOBS} (
          id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, name TEXT NOT NULL, enabled INTEGER NOT NULL, system INTEGER NOT NULL DEFAULT 0,
          next_run_at INTEGER, running_run_id TEXT, running_at INTEGER,
          created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, spec TEXT NOT NULL, state TEXT NOT NULL);
        CREATE INDEX ${JOBS}_due ON ${JOBS} (enabled, next_run_at);
        CREATE TABLE ${RUNS} (
          run_id TEXT PRIMARY KEY, job_id TEXT NOT NULL, fire_key TEXT NOT NULL, scheduled_at INTEGER, manual INTEGER NOT NULL DEFAULT 0,
          status TEXT NOT NULL, error TEXT, error_reason TEXT, summary TEXT, skipped_count INTEGER,
          delivered INTEGER, delivery_status TEXT, session_key TEXT, model TEXT,
          started_at INTEGER NOT NULL, ended_at INTEGER, duration_ms INTEGER, next_run_at INTEGER,
          owner TEXT, lease_until INTEGER);
        CREATE UNIQUE INDEX ${RUNS}_fire ON ${RUNS} (job_id, fire_key);
        CREATE INDEX ${RUNS}_job_time ON ${RUNS} (job_id, started_at);
        CREATE INDEX ${RUNS}_status ON ${RUNS} (status, lease_until);
        CREATE TABLE ${EVENTS} (
          id INTEGER PRIMARY KEY AUTOINCREMENT, agent_id TEXT NOT NULL, session_key TEXT NOT NULL, text TEXT NOT NULL, source TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX ${EVENTS}_session ON ${EVENTS} (session_key, id);`,
      postgres: `
        CREATE TABLE ${JOBS} (
          id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, name TEXT NOT NULL, enabled INTEGER NOT NULL, system INTEGER NOT NULL DEFAULT 0,
          next_run_at BIGINT, running_run_id TEXT, running_at BIGINT,
          created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, spec TEXT NOT NULL, state TEXT NOT NULL);
        CREATE INDEX ${JOBS}_due ON ${JOBS} (enabled, next_run_at);
        CREATE TABLE ${RUNS} (
          run_id TEXT PRIMARY KEY, job_id TEXT NOT NULL, fire_key TEXT NOT NULL, scheduled_at BIGINT, manual INTEGER NOT NULL DEFAULT 0,
          status TEXT NOT NULL, error TEXT, error_reason TEXT, summary TEXT, skipped_count INTEGER,
          delivered INTEGER, delivery_status TEXT, session_key TEXT, model TEXT,
          started_at BIGINT NOT NULL, ended_at BIGINT, duration_ms BIGINT, next_run_at BIGINT,
          owner TEXT, lease_until BIGINT);
        CREATE UNIQUE INDEX ${RUNS}_fire ON ${RUNS} (job_id, fire_key);
        CREATE INDEX ${RUNS}_job_time ON ${RUNS} (job_id, started_at);
        CREATE INDEX ${RUNS}_status ON ${RUNS} (status, lease_until);
        CREATE TABLE ${EVENTS} (
          id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, agent_id TEXT NOT NULL, session_key TEXT NOT NULL, text TEXT NOT NULL, source TEXT NOT NULL, created_at BIGINT NOT NULL);
        CREATE INDEX ${EVENTS}_session ON ${EVENTS} (session_key, id);`,
    },
  },
  {
    version: 2,
    name: 'failure alerts: decided when a run settles, sent once through the outbox (or a webhook)',
    up: {
      sqlite: `
        CREATE TABLE ${ALERTS} (
          id TEXT PRIMARY KEY, job_id TEXT NOT NULL, kind TEXT NOT NULL, session_key TEXT, route TEXT NOT NULL, text TEXT NOT NULL, facts TEXT NOT NULL,
          status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, claimed_until INTEGER, error TEXT, created_at INTEGER NOT NULL, sent_at INTEGER);
        CREATE INDEX ${ALERTS}_pending ON ${ALERTS} (status, created_at);`,
      postgres: `
        CREATE TABLE ${ALERTS} (
          id TEXT PRIMARY KEY, job_id TEXT NOT NULL, kind TEXT NOT NULL, session_key TEXT, route TEXT NOT NULL, text TEXT NOT NULL, facts TEXT NOT NULL,
          status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, claimed_until BIGINT, error TEXT, created_at BIGINT NOT NULL, sent_at BIGINT);
        CREATE INDEX ${ALERTS}_pending ON ${ALERTS} (status, created_at);`,
    },
  },
]

type Row = Record<string, unknown>
type Queries = Pick<SqlTransaction, 'run' | 'get' | 'all' | 'dialect'>

/** Rows per multi-row statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 500

type ColumnType = 'text' | 'bigint' | 'integer'

/**
 * Rows passed as one JSON parameter and read as a table `v` with named, typed columns, for a
 * multi-row `UPDATE … FROM`: `json_each` on SQLite, `jsonb_to_recordset` on PostgreSQL. (A `VALUES`
 * list would do on PostgreSQL, but SQLite's planner then scans the whole updated table for each row.)
 */
function jsonTable(dialect: Queries['dialect'], columns: Readonly<Record<string, ColumnType>>, rows: readonly (readonly unknown[])[]): { sql: string; param: string } {
  const names = Object.keys(columns)
  if (dialect === 'postgres') {
    return {
      sql: `jsonb_to_recordset(CAST(? AS jsonb)) AS v(${names.map((name) => `${name} ${columns[name]}`).join(', ')})`,
      param: JSON.stringify(rows.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]])))),
    }
  }
  return { sql: `(SELECT ${names.map((name, i) => `value->>${i} AS ${name}`).join(', ')} FROM json_each(?)) AS v`, param: JSON.stringify(rows) }
}

/**
 * SQLite's unary `+`: keeps its planner from driving a multi-row `UPDATE … FROM` by an index on this
 * column (say `status`, where every running row matches) instead of the primary key of each row given.
 */
const unindexed = (q: Queries): string => (q.dialect === 'sqlite' ? '+' : '')

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) out.push(items.slice(i, i + ROWS_PER_STATEMENT))
  return out
}

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v))
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v))

/** A stored job row, with what the ticker needs besides the job. */
export interface JobRow {
  readonly job: CronJob
  readonly runningRunId: string | undefined
}

export function jobFromRow(row: Row): JobRow {
  const spec = JSON.parse(String(row.spec)) as CronJobSpec
  const state = JSON.parse(String(row.state)) as CronJobState
  const nextRunAtMs = num(row.next_run_at)
  const runningAtMs = num(row.running_at)
  const job: CronJob = {
    id: String(row.id),
    ...spec,
    enabled: Number(row.enabled) === 1,
    ...(Number(row.system) === 1 ? { system: true } : {}),
    createdAtMs: Number(row.created_at),
    updatedAtMs: Number(row.updated_at),
    state: { ...state, ...(nextRunAtMs !== undefined ? { nextRunAtMs } : {}), ...(runningAtMs !== undefined ? { runningAtMs } : {}) },
  }
  if (nextRunAtMs === undefined) delete (job.state as { nextRunAtMs?: number }).nextRunAtMs
  if (runningAtMs === undefined) delete (job.state as { runningAtMs?: number }).runningAtMs
  return { job, runningRunId: str(row.running_run_id) }
}

/** A run history row, as `cron.runs` answers it (OpenClaw's fields, plus ours: scheduledAtMs, skippedCount, manual). */
export interface CronRun {
  readonly ts: number
  readonly jobId: string
  readonly action: 'started' | 'finished'
  readonly status: 'running' | 'ok' | 'error' | 'skipped'
  readonly runId: string
  readonly runAtMs: number
  readonly scheduledAtMs?: number
  readonly manual?: boolean
  readonly error?: string
  readonly errorReason?: string
  readonly summary?: string
  readonly skippedCount?: number
  readonly delivered?: boolean
  readonly deliveryStatus?: string
  readonly sessionKey?: string
  readonly durationMs?: number
  readonly nextRunAtMs?: number
  readonly model?: string
}

export function runFromRow(row: Row): CronRun {
  const out: Record<string, unknown> = {
    ts: num(row.ended_at) ?? Number(row.started_at),
    jobId: String(row.job_id),
    action: row.status === 'running' ? 'started' : 'finished',
    status: String(row.status),
    runId: String(row.run_id),
    runAtMs: Number(row.started_at),
    scheduledAtMs: num(row.scheduled_at),
    manual: Number(row.manual) === 1 ? true : undefined,
    error: str(row.error),
    errorReason: str(row.error_reason),
    summary: str(row.summary),
    skippedCount: num(row.skipped_count),
    delivered: row.delivered === null || row.delivered === undefined ? undefined : Number(row.delivered) === 1,
    deliveryStatus: str(row.delivery_status),
    sessionKey: str(row.session_key),
    durationMs: num(row.duration_ms),
    nextRunAtMs: num(row.next_run_at),
    model: str(row.model),
  }
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key]
  return out as unknown as CronRun
}

/** What a finished run writes to its row. */
export interface RunFinish {
  readonly status: 'ok' | 'error'
  readonly endedAtMs: number
  readonly error?: string
  readonly errorReason?: string
  readonly summary?: string
  readonly delivered?: boolean
  readonly deliveryStatus?: string
  readonly sessionKey?: string
  readonly model?: string
  readonly nextRunAtMs?: number
}

/** A fire (or a manual run) to claim: its run row, keyed by (job, fire key). */
export interface RunClaim {
  readonly runId: string
  readonly jobId: string
  readonly fireKey: string
  readonly scheduledAtMs?: number
  readonly manual: boolean
  readonly startedAtMs: number
  readonly owner: string
  readonly leaseUntilMs: number
  readonly sessionKey?: string
}

/** Fires that do not run, as one `skipped` row claimed under `fireKey`. */
export interface SkippedRecord {
  readonly runId: string
  readonly jobId: string
  readonly fireKey: string
  readonly skipped: SkippedFires
  readonly atMs: number
  readonly nextRunAtMs: number | undefined
}

/** A due job moved on from the fire at `dueAtMs` (marked running `runningRunId` when it runs). */
export interface JobAdvance {
  readonly id: string
  readonly dueAtMs: number
  readonly nextRunAtMs: number | undefined
  readonly runningRunId?: string
  readonly runningAtMs?: number
  /** The job's new state; left out when it did not change (most fires). */
  readonly state?: CronJobState
}

/** A job's state after its run `runId` finished; clears its running mark. */
export interface JobSettle {
  readonly id: string
  readonly runId: string
  readonly nextRunAtMs: number | undefined
  readonly state: CronJobState
  readonly enabled: boolean
}

function skippedSummary(skipped: SkippedFires): string {
  return skipped.count === 1
    ? `fire at ${new Date(skipped.firstAtMs).toISOString()} skipped: ${skipped.reason}`
    : `${skipped.count} fires from ${new Date(skipped.firstAtMs).toISOString()} to ${new Date(skipped.lastAtMs).toISOString()} skipped: ${skipped.reason}`
}

/** A failure alert as stored: written with the run that decided it, then claimed and sent once. */
export interface StoredAlert {
  readonly id: string
  readonly jobId: string
  readonly kind: AlertDraft['kind']
  /** The job's session, whose last route a `channel: 'last'` alert goes to. */
  readonly sessionKey?: string
  readonly route: AlertRoute
  readonly text: string
  readonly facts: Readonly<Record<string, unknown>>
  readonly createdAtMs: number
  readonly attempts?: number
}

function alertFromRow(row: Row): StoredAlert & { status: string; error?: string; sentAtMs?: number } {
  return {
    id: String(row.id), jobId: String(row.job_id), kind: String(row.kind) as AlertDraft['kind'],
    ...(str(row.session_key) !== undefined ? { sessionKey: String(row.session_key) } : {}),
    route: JSON.parse(String(row.route)) as AlertRoute, text: String(row.text), facts: JSON.parse(String(row.facts)) as Record<string, unknown>,
    createdAtMs: Number(row.created_at), attempts: Number(row.attempts), status: String(row.status),
    ...(str(row.error) !== undefined ? { error: String(row.error) } : {}),
    ...(num(row.sent_at) !== undefined ? { sentAtMs: Number(row.sent_at) } : {}),
  }
}

/** A system event to queue for a session's next heartbeat. */
export interface SystemEventInput {
  readonly agentId: string
  readonly sessionKey: string
  readonly text: string
  readonly source: string
  readonly createdAtMs: number
}

export interface RunsQuery {
  readonly jobId?: string
  readonly runId?: string
  readonly statuses?: readonly string[]
  readonly limit: number
  readonly offset: number
  readonly sortDir: 'asc' | 'desc'
}

/** The scheduler's tables: jobs, their run history (whose unique (job, fire) key is the fire claim), queued system events. */
export class CronStore {
  #pendingEvents: Array<{ event: SystemEventInput; resolve: () => void; reject: (err: unknown) => void }> = []

  constructor(readonly store: OwnerStore) {}

  migrate(): Promise<void> {
    return this.store.migrate(MIGRATIONS)
  }

  async insertJob(q: Queries, job: CronJob): Promise<void> {
    const { id, createdAtMs, updatedAtMs, state, enabled, system, ...spec } = job
    const { nextRunAtMs, runningAtMs: _running, ...rest } = state
    await q.run(
      `INSERT INTO ${JOBS} (id, agent_id, name, enabled, system, next_run_at, created_at, updated_at, spec, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, spec.agentId, spec.name, enabled ? 1 : 0, system ? 1 : 0, nextRunAtMs ?? null, createdAtMs, updatedAtMs, JSON.stringify(spec), JSON.stringify(rest)],
    )
  }

  /** Replace a job's definition, enabled flag and next fire. */
  async saveJob(q: Queries, job: CronJob): Promise<void> {
    const { id, createdAtMs: _c, updatedAtMs, state, enabled, system: _s, ...spec } = job
    const { nextRunAtMs, runningAtMs: _running, ...rest } = state
    await q.run(`UPDATE ${JOBS} SET agent_id = ?, name = ?, enabled = ?, next_run_at = ?, updated_at = ?, spec = ?, state = ? WHERE id = ?`, [
      spec.agentId, spec.name, enabled ? 1 : 0, nextRunAtMs ?? null, updatedAtMs, JSON.stringify(spec), JSON.stringify(rest), id,
    ])
  }

  async getJob(q: Queries, id: string): Promise<JobRow | undefined> {
    const row = await q.get<Row>(`SELECT * FROM ${JOBS} WHERE id = ?${q.dialect === 'postgres' ? ' FOR UPDATE' : ''}`, [id])
    return row ? jobFromRow(row) : undefined
  }

  async listJobs(): Promise<JobRow[]> {
    return (await this.store.all<Row>(`SELECT * FROM ${JOBS} ORDER BY created_at, id`)).map(jobFromRow)
  }

  /** Jobs running now, and jobs that name their session (`session:<key>`), without reading every job. */
  async listSessionHolders(): Promise<JobRow[]> {
    return (await this.store.all<Row>(`SELECT * FROM ${JOBS} WHERE running_run_id IS NOT NULL OR spec LIKE ?`, ['%"sessionTarget":"session:%'])).map(jobFromRow)
  }

  /** The system-owned jobs (heartbeats), without reading every job. */
  async listSystemJobs(): Promise<JobRow[]> {
    return (await this.store.all<Row>(`SELECT * FROM ${JOBS} WHERE system = 1 ORDER BY created_at, id`)).map(jobFromRow)
  }

  async deleteJob(q: Queries, id: string): Promise<boolean> {
    return (await q.run(`DELETE FROM ${JOBS} WHERE id = ?`, [id])).changes > 0
  }

  /** Enabled jobs due at `nowMs`, earliest first; locked for this transaction on PostgreSQL (others skip them). */
  async dueJobs(q: Queries, nowMs: number, limit: number): Promise<JobRow[]> {
    const lock = q.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''
    const rows = await q.all<Row>(`SELECT * FROM ${JOBS} WHERE enabled = 1 AND next_run_at <= ? ORDER BY next_run_at LIMIT ?${lock}`, [nowMs, limit])
    return rows.map(jobFromRow)
  }

  /** When the earliest enabled job is due, if any. */
  async earliestDue(): Promise<number | undefined> {
    const row = await this.store.get<{ t: unknown }>(`SELECT MIN(next_run_at) AS t FROM ${JOBS} WHERE enabled = 1`)
    return num(row?.t)
  }

  async countJobs(): Promise<{ total: number; enabled: number }> {
    const row = await this.store.get<{ total: unknown; enabled: unknown }>(`SELECT COUNT(*) AS total, SUM(enabled) AS enabled FROM ${JOBS}`)
    return { total: Number(row?.total ?? 0), enabled: Number(row?.enabled ?? 0) }
  }

  /** Mark a job running a manual run (no claim of a scheduled fire). */
  async markRunning(q: Queries, id: string, runId: string, atMs: number): Promise<boolean> {
    return (await q.run(`UPDATE ${JOBS} SET running_run_id = ?, running_at = ? WHERE id = ? AND running_run_id IS NULL`, [runId, atMs, id])).changes > 0
  }

  /**
   * Claim a fire: insert its run row under (job, fire key). `false` when the fire was claimed
   * before (by another replica, or before a restart): it must not run again.
   */
  async claimRun(q: Queries, run: RunClaim): Promise<boolean> {
    const row = await q.get(
      `INSERT INTO ${RUNS} (run_id, job_id, fire_key, scheduled_at, manual, status, started_at, owner, lease_until, session_key) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)
       ON CONFLICT (job_id, fire_key) DO NOTHING RETURNING run_id`,
      [run.runId, run.jobId, run.fireKey, run.scheduledAtMs ?? null, run.manual ? 1 : 0, run.startedAtMs, run.owner, run.leaseUntilMs, run.sessionKey ?? null],
    )
    return row !== undefined
  }

  /**
   * Claim many fires at once (one multi-row INSERT per 500): returns the run ids inserted. A fire
   * claimed before (another replica, before a restart) is not among them: it must not run again.
   */
  async claimRuns(q: Queries, runs: readonly RunClaim[]): Promise<Set<string>> {
    const claimed = new Set<string>()
    for (const part of chunks(runs)) {
      const v = jsonTable(q.dialect, {
        run_id: 'text', job_id: 'text', fire_key: 'text', scheduled_at: 'bigint', manual: 'integer', started_at: 'bigint', owner: 'text', lease_until: 'bigint', session_key: 'text',
      }, part.map((run) => [run.runId, run.jobId, run.fireKey, run.scheduledAtMs ?? null, run.manual ? 1 : 0, run.startedAtMs, run.owner, run.leaseUntilMs, run.sessionKey ?? null]))
      const rows = await q.all<{ run_id: unknown }>(
        `INSERT INTO ${RUNS} (run_id, job_id, fire_key, scheduled_at, manual, status, started_at, owner, lease_until, session_key)
         SELECT v.run_id, v.job_id, v.fire_key, v.scheduled_at, v.manual, 'running', v.started_at, v.owner, v.lease_until, v.session_key FROM ${v.sql}
         WHERE true ON CONFLICT (job_id, fire_key) DO NOTHING RETURNING run_id`,
        [v.param],
      )
      for (const row of rows) claimed.add(String(row.run_id))
    }
    return claimed
  }

  /** Record fires that do not run, each as one `skipped` row claimed under its `fireKey` like a run; one multi-row INSERT per 500. */
  async recordSkippedMany(q: Queries, runs: readonly SkippedRecord[]): Promise<void> {
    for (const part of chunks(runs)) {
      await q.run(
        `INSERT INTO ${RUNS} (run_id, job_id, fire_key, scheduled_at, status, error_reason, summary, skipped_count, started_at, ended_at, duration_ms, next_run_at)
         VALUES ${part.map(() => `(?, ?, ?, ?, 'skipped', ?, ?, ?, ?, ?, 0, ?)`).join(', ')} ON CONFLICT (job_id, fire_key) DO NOTHING`,
        part.flatMap((run) => [run.runId, run.jobId, run.fireKey, run.skipped.firstAtMs, run.skipped.reason, skippedSummary(run.skipped), run.skipped.count, run.atMs, run.atMs, run.nextRunAtMs ?? null]),
      )
    }
  }

  /**
   * Move due jobs on, each only if its next fire is still the one claimed (compare-and-set), one
   * multi-row UPDATE per 500. Returns the ids of those that moved.
   */
  async advanceJobs(q: Queries, jobs: readonly JobAdvance[]): Promise<Set<string>> {
    const moved = new Set<string>()
    for (const part of chunks(jobs)) {
      const v = jsonTable(q.dialect, { id: 'text', due_at: 'bigint', next_run_at: 'bigint', running_run_id: 'text', running_at: 'bigint', state: 'text' }, part.map((job) => {
        let state: string | null = null
        if (job.state) {
          const { nextRunAtMs: _n, runningAtMs: _r, ...rest } = job.state
          state = JSON.stringify(rest)
        }
        return [job.id, job.dueAtMs, job.nextRunAtMs ?? null, job.runningRunId ?? null, job.runningAtMs ?? null, state]
      }))
      const rows = await q.all<{ id: unknown }>(
        `UPDATE ${JOBS} SET next_run_at = v.next_run_at, running_run_id = COALESCE(v.running_run_id, ${JOBS}.running_run_id), running_at = COALESCE(v.running_at, ${JOBS}.running_at),
           state = COALESCE(v.state, ${JOBS}.state)
         FROM ${v.sql} WHERE ${JOBS}.id = v.id AND ${JOBS}.next_run_at = v.due_at RETURNING ${JOBS}.id`,
        [v.param],
      )
      for (const row of rows) moved.add(String(row.id))
    }
    return moved
  }

  /** Jobs by id, locked for this transaction on PostgreSQL (in id order, so two lockers never deadlock). */
  async getJobs(q: Queries, ids: readonly string[]): Promise<JobRow[]> {
    const out: JobRow[] = []
    for (const part of chunks(ids)) {
      const rows = await q.all<Row>(`SELECT * FROM ${JOBS} WHERE id IN (${part.map(() => '?').join(', ')}) ORDER BY id${q.dialect === 'postgres' ? ' FOR UPDATE' : ''}`, part)
      out.push(...rows.map(jobFromRow))
    }
    return out
  }

  /** When each of these runs started, for those still `running`. */
  async runningStarts(q: Queries, runIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>()
    for (const part of chunks(runIds)) {
      const rows = await q.all<Row>(`SELECT run_id, started_at FROM ${RUNS} WHERE status = 'running' AND run_id IN (${part.map(() => '?').join(', ')})`, part)
      for (const row of rows) out.set(String(row.run_id), Number(row.started_at))
    }
    return out
  }

  /** Finish the rows of runs that are still `running`, one multi-row UPDATE per 500. */
  async finishRuns(q: Queries, finishes: readonly (RunFinish & { runId: string })[]): Promise<void> {
    for (const part of chunks(finishes)) {
      const v = jsonTable(q.dialect, {
        run_id: 'text', status: 'text', ended_at: 'bigint', error: 'text', error_reason: 'text', summary: 'text', delivered: 'integer',
        delivery_status: 'text', session_key: 'text', model: 'text', next_run_at: 'bigint',
      }, part.map((f) => [
        f.runId, f.status, f.endedAtMs, f.error ?? null, f.errorReason ?? null, f.summary ?? null, f.delivered === undefined ? null : f.delivered ? 1 : 0,
        f.deliveryStatus ?? null, f.sessionKey ?? null, f.model ?? null, f.nextRunAtMs ?? null,
      ]))
      await q.run(
        `UPDATE ${RUNS} SET status = v.status, ended_at = v.ended_at, duration_ms = v.ended_at - ${RUNS}.started_at, error = v.error, error_reason = v.error_reason, summary = v.summary,
           delivered = v.delivered, delivery_status = v.delivery_status, session_key = COALESCE(v.session_key, ${RUNS}.session_key), model = v.model, next_run_at = v.next_run_at, lease_until = NULL
         FROM ${v.sql} WHERE ${RUNS}.run_id = v.run_id AND ${unindexed(q)}${RUNS}.status = 'running'`,
        [v.param],
      )
    }
  }

  /** Write jobs' state after their runs and clear their running marks, one multi-row UPDATE per 500. */
  async settleJobs(q: Queries, jobs: readonly JobSettle[]): Promise<void> {
    for (const part of chunks(jobs)) {
      const v = jsonTable(q.dialect, { id: 'text', run_id: 'text', next_run_at: 'bigint', state: 'text', enabled: 'integer' }, part.map((job) => {
        const { nextRunAtMs: _n, runningAtMs: _r, ...rest } = job.state
        return [job.id, job.runId, job.nextRunAtMs ?? null, JSON.stringify(rest), job.enabled ? 1 : 0]
      }))
      await q.run(
        `UPDATE ${JOBS} SET next_run_at = v.next_run_at, state = v.state, enabled = v.enabled, running_run_id = NULL, running_at = NULL
         FROM ${v.sql} WHERE ${JOBS}.id = v.id AND (${JOBS}.running_run_id = v.run_id OR ${JOBS}.running_run_id IS NULL)`,
        [v.param],
      )
    }
  }

  async deleteJobs(q: Queries, ids: readonly string[]): Promise<void> {
    for (const part of chunks(ids)) await q.run(`DELETE FROM ${JOBS} WHERE id IN (${part.map(() => '?').join(', ')})`, part)
  }

  /** Runs marked `running` in the store, on every replica. */
  async countRunning(): Promise<number> {
    const row = await this.store.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${RUNS} WHERE status = 'running'`)
    return Number(row?.n ?? 0)
  }

  async renewLeases(runIds: readonly string[], owner: string, leaseUntilMs: number): Promise<void> {
    if (runIds.length === 0) return
    await this.store.run(`UPDATE ${RUNS} SET lease_until = ? WHERE owner = ? AND status = 'running' AND run_id IN (${runIds.map(() => '?').join(', ')})`, [leaseUntilMs, owner, ...runIds])
  }

  /** Runs still marked running whose holder is gone: all of another owner's (`ownerGone`), or whose lease expired. */
  async orphanedRuns(nowMs: number, selfOwner: string, ownerGone: boolean): Promise<{ runId: string; jobId: string }[]> {
    const rows = ownerGone
      ? await this.store.all<Row>(`SELECT run_id, job_id FROM ${RUNS} WHERE status = 'running' AND owner <> ?`, [selfOwner])
      : await this.store.all<Row>(`SELECT run_id, job_id FROM ${RUNS} WHERE status = 'running' AND lease_until < ?`, [nowMs])
    return rows.map((r) => ({ runId: String(r.run_id), jobId: String(r.job_id) }))
  }

  async getRun(runId: string): Promise<CronRun | undefined> {
    const row = await this.store.get<Row>(`SELECT * FROM ${RUNS} WHERE run_id = ?`, [runId])
    return row ? runFromRow(row) : undefined
  }

  async listRuns(query: RunsQuery): Promise<{ runs: CronRun[]; total: number }> {
    const where: string[] = []
    const params: unknown[] = []
    const filter = (clause: string, ...values: unknown[]) => {
      where.push(clause)
      params.push(...values)
    }
    if (query.jobId !== undefined) filter('job_id = ?', query.jobId)
    if (query.runId !== undefined) filter('run_id = ?', query.runId)
    if (query.statuses && query.statuses.length > 0) filter(`status IN (${query.statuses.map(() => '?').join(', ')})`, ...query.statuses)
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : ''
    const dir = query.sortDir === 'asc' ? 'ASC' : 'DESC'
    const rows = await this.store.all<Row>(`SELECT * FROM ${RUNS}${clause} ORDER BY started_at ${dir}, run_id ${dir} LIMIT ? OFFSET ?`, [...params, query.limit, query.offset])
    const total = await this.store.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${RUNS}${clause}`, params)
    return { runs: rows.map(runFromRow), total: Number(total?.n ?? 0) }
  }

  /** Retention: drop finished rows older than `maxAgeMs`, and all but the newest `maxPerJob` of each job. */
  async pruneRuns(nowMs: number, maxAgeMs: number, maxPerJob: number): Promise<number> {
    const old = await this.store.run(`DELETE FROM ${RUNS} WHERE status <> 'running' AND started_at < ?`, [nowMs - maxAgeMs])
    const extra = await this.store.run(
      `DELETE FROM ${RUNS} WHERE status <> 'running' AND run_id IN (
         SELECT run_id FROM (SELECT run_id, ROW_NUMBER() OVER (PARTITION BY job_id ORDER BY started_at DESC, run_id DESC) AS n FROM ${RUNS}) ranked WHERE n > ?)`,
      [maxPerJob],
    )
    return old.changes + extra.changes
  }

  /** Write alerts decided in this transaction, `pending` until a replica claims and sends them. */
  async insertAlerts(q: Queries, alerts: readonly StoredAlert[]): Promise<void> {
    for (const part of chunks(alerts)) {
      await q.run(
        `INSERT INTO ${ALERTS} (id, job_id, kind, session_key, route, text, facts, status, created_at) VALUES ${part.map(() => `(?, ?, ?, ?, ?, ?, ?, 'pending', ?)`).join(', ')}`,
        part.flatMap((a) => [a.id, a.jobId, a.kind, a.sessionKey ?? null, JSON.stringify(a.route), a.text, JSON.stringify(a.facts), a.createdAtMs]),
      )
    }
  }

  /**
   * Claim pending alerts to send them: these ids, or (no ids) the oldest whose claim expired. A claim
   * is a compare-and-set on `claimed_until`, so of two replicas asking at once only one gets a row.
   */
  async claimAlerts(nowMs: number, claimUntilMs: number, ids?: readonly string[]): Promise<StoredAlert[]> {
    const free = `status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)`
    const which = ids
      ? { sql: `id IN (${ids.map(() => '?').join(', ')})`, params: ids }
      : { sql: `id IN (SELECT id FROM ${ALERTS} WHERE ${free} ORDER BY created_at LIMIT 100)`, params: [nowMs] }
    if (ids && ids.length === 0) return []
    const rows = await this.store.all<Row>(
      `UPDATE ${ALERTS} SET claimed_until = ?, attempts = attempts + 1 WHERE ${which.sql} AND ${free} RETURNING *`,
      [claimUntilMs, ...which.params, nowMs],
    )
    return rows.map(alertFromRow)
  }

  /** Record how sending a claimed alert ended; `pending` releases it for a later attempt. */
  async finishAlert(id: string, status: 'sent' | 'failed' | 'pending', atMs: number, error?: string): Promise<void> {
    await this.store.run(`UPDATE ${ALERTS} SET status = ?, error = ?, sent_at = ?, claimed_until = NULL WHERE id = ?`, [status, error ?? null, status === 'sent' ? atMs : null, id])
  }

  /** A job's alerts, oldest first (what was decided, and how sending it went). */
  async listAlerts(jobId?: string): Promise<ReturnType<typeof alertFromRow>[]> {
    const rows = jobId === undefined
      ? await this.store.all<Row>(`SELECT * FROM ${ALERTS} ORDER BY created_at, id`)
      : await this.store.all<Row>(`SELECT * FROM ${ALERTS} WHERE job_id = ? ORDER BY created_at, id`, [jobId])
    return rows.map(alertFromRow)
  }

  /** Retention: alerts no longer pending, older than `maxAgeMs`. */
  async pruneAlerts(nowMs: number, maxAgeMs: number): Promise<number> {
    return (await this.store.run(`DELETE FROM ${ALERTS} WHERE status <> 'pending' AND created_at < ?`, [nowMs - maxAgeMs])).changes
  }

  /**
   * Queue a system event for a session's next heartbeat. Resolves once it is stored. Events queued in
   * the same turn of the event loop (the system-event payloads of many fires due together) are written
   * in one multi-row INSERT, in the order they were queued.
   */
  enqueueEvent(event: SystemEventInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pendingEvents.push({ event, resolve, reject })
      if (this.#pendingEvents.length === 1) queueMicrotask(() => void this.#writeEvents())
    })
  }

  async #writeEvents(): Promise<void> {
    const batch = this.#pendingEvents
    this.#pendingEvents = []
    for (const part of chunks(batch)) {
      try {
        await this.store.run(
          `INSERT INTO ${EVENTS} (agent_id, session_key, text, source, created_at) VALUES ${part.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
          part.flatMap(({ event }) => [event.agentId, event.sessionKey, event.text, event.source, event.createdAtMs]),
        )
        for (const entry of part) entry.resolve()
      } catch (err) {
        for (const entry of part) entry.reject(err)
      }
    }
  }

  /** Take (delete and return) the events queued for a session, oldest first. */
  async takeEvents(sessionKey: string): Promise<{ text: string; source: string; createdAtMs: number; agentId: string }[]> {
    const rows = await this.store.all<Row>(`DELETE FROM ${EVENTS} WHERE session_key = ? RETURNING agent_id, text, source, created_at, id`, [sessionKey])
    return rows
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => ({ agentId: String(r.agent_id), text: String(r.text), source: String(r.source), createdAtMs: Number(r.created_at) }))
  }

  async pendingEvents(sessionKey?: string): Promise<{ sessionKey: string; text: string; source: string }[]> {
    const rows = sessionKey === undefined
      ? await this.store.all<Row>(`SELECT session_key, text, source FROM ${EVENTS} ORDER BY id`)
      : await this.store.all<Row>(`SELECT session_key, text, source FROM ${EVENTS} WHERE session_key = ? ORDER BY id`, [sessionKey])
    return rows.map((r) => ({ sessionKey: String(r.session_key), text: String(r.text), source: String(r.source) }))
  }
}
