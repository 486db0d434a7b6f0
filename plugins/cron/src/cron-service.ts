import { createHash, randomUUID } from 'node:crypto'
import type { GatewayRuntime, Logger } from '@openclaw/plugin-sdk'
import type { CronJob, CronJobState, JobInput, JobPatch } from './cron-job.js'
import type { CronScheduler } from './cron-scheduler.js'
import type { CronRun, CronStore, RunsQuery } from './cron-store.js'
import { CRON_ERR_JOB_NOT_FOUND, CRON_ERR_SYSTEM_JOB } from './errors.js'
import { heartbeatSettings, type Heartbeat } from './heartbeat.js'
import { applyPatch, specFromInput } from './normalize-job.js'
import { nextOccurrence, type CronSchedule } from './schedule.js'

export interface ListJobsQuery {
  readonly includeDisabled?: boolean
  readonly enabled?: 'all' | 'enabled' | 'disabled'
  readonly query?: string
  readonly scheduleKind?: CronSchedule['kind']
  readonly lastRunStatus?: string
  readonly agentId?: string
  readonly sortBy?: 'nextRunAtMs' | 'updatedAtMs' | 'name'
  readonly sortDir?: 'asc' | 'desc'
  readonly limit?: number
  readonly offset?: number
}

/** A job's first fire from `nowMs`: an `at` in the past fires at once. */
function firstFire(schedule: CronSchedule, job: { id: string; createdAtMs: number }, nowMs: number): number | undefined {
  if (schedule.kind === 'at') return Math.max(Date.parse(schedule.at), nowMs)
  return nextOccurrence(schedule, nowMs, { jobId: job.id, createdAtMs: job.createdAtMs })
}

const EMPTY_STATE: CronJobState = { consecutiveErrors: 0, consecutiveSkipped: 0 }

/** What `cron.*` methods and the CLI do with jobs: add, change, remove, list, run, read history. */
export class CronService {
  constructor(
    private readonly deps: { store: CronStore; scheduler: CronScheduler; gateway: GatewayRuntime; heartbeat: Heartbeat; log: Logger; now: () => number; enabled: boolean },
  ) {}

  async add(input: JobInput): Promise<CronJob> {
    const now = this.deps.now()
    const { enabled, ...spec } = specFromInput(input, now)
    this.#checkAgent(spec.agentId)
    const id = randomUUID()
    const next = enabled ? firstFire(spec.schedule, { id, createdAtMs: now }, now) : undefined
    const job: CronJob = { id, ...spec, enabled, createdAtMs: now, updatedAtMs: now, state: { ...EMPTY_STATE, ...(next !== undefined ? { nextRunAtMs: next } : {}) } }
    await this.deps.store.insertJob(this.deps.store.store, job)
    this.deps.scheduler.nudge()
    return job
  }

  async get(id: string): Promise<CronJob> {
    const row = await this.deps.store.getJob(this.deps.store.store, id)
    if (!row) throw new CRON_ERR_JOB_NOT_FOUND(id)
    return row.job
  }

  async update(id: string, patch: JobPatch): Promise<CronJob> {
    const now = this.deps.now()
    const job = await this.deps.store.store.transaction(async (tx) => {
      const row = await this.deps.store.getJob(tx, id)
      if (!row) throw new CRON_ERR_JOB_NOT_FOUND(id)
      if (row.job.system) throw new CRON_ERR_SYSTEM_JOB(id)
      const { spec, enabled, scheduleChanged } = applyPatch(row.job, patch, now)
      this.#checkAgent(spec.agentId)
      const wasEnabled = row.job.enabled
      // A schedule change or a re-enable starts a new scheduling decision from now (fires missed while
      // disabled are not replayed); re-enabling clears the failure count and the auto-disable reason.
      let state: CronJobState = { ...row.job.state }
      let next = state.nextRunAtMs
      if (!enabled) next = undefined
      else if (scheduleChanged || !wasEnabled) next = firstFire(spec.schedule, row.job, now)
      if (enabled && !wasEnabled) {
        state = { ...state, consecutiveErrors: 0 }
        delete state.autoDisabled
      }
      if (next === undefined) delete state.nextRunAtMs
      else state.nextRunAtMs = next
      const updated: CronJob = { ...spec, id, enabled, createdAtMs: row.job.createdAtMs, updatedAtMs: now, state }
      await this.deps.store.saveJob(tx, updated)
      return updated
    })
    this.deps.scheduler.nudge()
    return job
  }

  async remove(id: string): Promise<{ ok: true; removed: boolean }> {
    const row = await this.deps.store.getJob(this.deps.store.store, id)
    if (row?.job.system) throw new CRON_ERR_SYSTEM_JOB(id)
    const removed = await this.deps.store.deleteJob(this.deps.store.store, id)
    if (!removed) throw new CRON_ERR_JOB_NOT_FOUND(id)
    return { ok: true, removed }
  }

  /**
   * A page of jobs, as OpenClaw's CLI reads it: `snapshotRevision` (a hash of the whole filtered,
   * sorted list, so a reader paging through notices a change), `total`, `offset`, `limit`,
   * `hasMore` and `nextOffset` (`null` on the last page).
   */
  async list(query: ListJobsQuery = {}): Promise<{ jobs: CronJob[]; snapshotRevision: string; total: number; offset: number; limit: number; hasMore: boolean; nextOffset: number | null }> {
    const filter = query.enabled ?? (query.includeDisabled ? 'all' : 'enabled')
    const text = query.query?.toLowerCase()
    let jobs = (await this.deps.store.listJobs()).map((r) => r.job).filter((job) =>
      (filter === 'all' || (filter === 'enabled') === job.enabled) &&
      (!text || [job.id, job.name, job.description ?? '', job.agentId].join(' ').toLowerCase().includes(text)) &&
      (!query.scheduleKind || job.schedule.kind === query.scheduleKind) &&
      (!query.lastRunStatus || job.state.lastRunStatus === query.lastRunStatus) &&
      (!query.agentId || job.agentId === query.agentId))
    const by = query.sortBy ?? 'nextRunAtMs'
    const key = (job: CronJob): number | string => by === 'name' ? job.name : by === 'updatedAtMs' ? job.updatedAtMs : job.state.nextRunAtMs ?? Number.MAX_SAFE_INTEGER
    const dir = query.sortDir === 'desc' ? -1 : 1
    jobs = jobs.sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0))
    const total = jobs.length
    const offset = Math.min(query.offset ?? 0, total)
    const limit = query.limit ?? 200
    const page = jobs.slice(offset, offset + limit)
    const next = offset + page.length
    const snapshotRevision = `sha256:${createHash('sha256').update(JSON.stringify(jobs.map((j) => [j.id, j.updatedAtMs, j.enabled]))).digest('base64url')}`
    return { jobs: page, snapshotRevision, total, offset, limit, hasMore: next < total, nextOffset: next < total ? next : null }
  }

  async status(): Promise<{ enabled: boolean; jobs: number; enabledJobs: number; running: number; nextWakeAtMs: number | null }> {
    const counts = await this.deps.store.countJobs()
    const next = await this.deps.store.earliestDue()
    // Runs going on on every replica, not only this one.
    const running = await this.deps.store.countRunning()
    return { enabled: this.deps.enabled, jobs: counts.total, enabledJobs: counts.enabled, running, nextWakeAtMs: next ?? null }
  }

  /** `cron.run`: `force` runs now; `due` runs only a job that is due. Enqueue only: the run goes on in the background. */
  async run(id: string, mode: 'force' | 'due'): Promise<{ ok: true; enqueued: boolean; runId?: string; reason?: string }> {
    const job = await this.get(id)
    if (mode === 'due' && !(job.enabled && job.state.nextRunAtMs !== undefined && job.state.nextRunAtMs <= this.deps.now())) return { ok: true, enqueued: false, reason: 'not-due' }
    if (mode === 'due') {
      // Claimed here, on whichever replica was asked; the ticker (here or elsewhere) would have claimed it too, once.
      const runId = await this.deps.scheduler.runDue(id)
      return runId ? { ok: true, enqueued: true, runId } : { ok: true, enqueued: false, reason: 'not-due' }
    }
    const runId = await this.deps.scheduler.runNow(id)
    return runId ? { ok: true, enqueued: true, runId } : { ok: true, enqueued: false, reason: 'already-running' }
  }

  async runs(query: RunsQuery): Promise<{ entries: CronRun[]; total: number; offset: number; limit: number; hasMore: boolean }> {
    if (query.jobId !== undefined) await this.get(query.jobId)
    const { runs, total } = await this.deps.store.listRuns(query)
    return { entries: runs, total, offset: query.offset, limit: query.limit, hasMore: query.offset + runs.length < total }
  }

  /**
   * Make the heartbeat jobs match the config: one system-owned job per agent whose
   * `heartbeat.every` is set (`heartbeat:<agentId>`), disabled when it is `0m` or unset.
   */
  async syncHeartbeats(): Promise<void> {
    const { gateway, store } = this.deps
    const now = this.deps.now()
    const agents = gateway.agent.agentIds()
    const existing = new Map((await store.listSystemJobs()).map((r) => [r.job.id, r.job]))
    for (const agentId of agents) {
      const { everyMs } = heartbeatSettings(gateway.config, agentId)
      const id = `heartbeat:${agentId}`
      const job = existing.get(id)
      existing.delete(id)
      const schedule: CronSchedule = { kind: 'every', everyMs: Math.max(everyMs, 1000) }
      const enabled = everyMs > 0
      if (!job && !enabled) continue
      const sameSchedule = job?.schedule.kind === 'every' && job.schedule.everyMs === schedule.everyMs && job.enabled === enabled
      if (job && sameSchedule) continue
      const createdAtMs = job?.createdAtMs ?? now
      const next = enabled ? nextOccurrence(schedule, now, { jobId: id, createdAtMs }) : undefined
      const updated: CronJob = {
        id, name: `Heartbeat (${agentId})`, agentId, schedule, sessionTarget: 'main', wakeMode: 'now', payload: { kind: 'heartbeat' },
        enabled, system: true, createdAtMs, updatedAtMs: now,
        state: { ...(job?.state ?? EMPTY_STATE), ...(next !== undefined ? { nextRunAtMs: next } : {}) },
      }
      if (next === undefined) delete (updated.state as { nextRunAtMs?: number }).nextRunAtMs
      if (job) await store.saveJob(store.store, updated)
      else await store.insertJob(store.store, updated)
    }
    // Heartbeats of agents that are gone: disabled, kept with their history.
    for (const job of existing.values()) if (job.enabled) await store.saveJob(store.store, { ...job, enabled: false, updatedAtMs: now, state: { ...job.state, nextRunAtMs: undefined } as CronJobState })
  }

  #checkAgent(agentId: string): void {
    // Throws CORE_ERR_AGENT_UNKNOWN for an agent that is not configured.
    this.deps.gateway.agent.resolveSessionKey({ agentId, sessionKey: 'main' })
  }
}
