import { randomUUID } from 'node:crypto'
import type { Clock, Logger } from '@openclaw/plugin-sdk'
import type { CronJob, CronJobState } from './cron-job.js'
import type { CronStore, JobRow } from './cron-store.js'
import { CRON_ERR_FIRE_RACE, CRON_ERR_RUN_INTERRUPTED, CRON_ERR_RUN_TIMEOUT } from './errors.js'
import { planFire, type SkippedFires } from './plan-fire.js'
import { settleRun } from './settle-run.js'

type ClockTimer = ReturnType<Clock['setTimeout']>

/** What a job's run produced, whatever its payload. */
export interface RunOutcome {
  readonly status: 'ok' | 'error'
  readonly error?: string
  readonly errorReason?: string
  readonly summary?: string
  readonly delivered?: boolean
  readonly deliveryStatus?: 'delivered' | 'not-delivered' | 'unknown' | 'not-requested'
  readonly sessionKey?: string
  readonly model?: string
}

export interface RunRequest {
  readonly job: CronJob
  readonly runId: string
  /** Aborted on timeout or when the gateway stops. */
  readonly signal: AbortSignal
  readonly timeoutMs: number
}

/** Runs a job's payload (an agent turn, a system event, a heartbeat) and delivers its result. */
export type RunExecutor = (request: RunRequest) => Promise<RunOutcome>

export interface SchedulerOptions {
  /** How late a fire may start and still count as on time (the default missed-fire threshold). */
  readonly missedFireGraceMs: number
  /** How long after noticing missed fires the one catch-up run starts (`reschedule`). */
  readonly catchUpDelayMs: number
  /** A running run's claim lasts this long unless renewed; a dead replica's runs are interrupted after it. */
  readonly leaseMs: number
  /** The ticker never sleeps longer than this, so a wall-clock jump is noticed within it. */
  readonly maxSleepMs: number
  /** Jobs claimed per transaction. */
  readonly batchSize: number
  readonly retention: { readonly maxAgeMs: number; readonly maxRunsPerJob: number; readonly everyMs: number }
  /** The default budget of a run without `timeoutSeconds`. */
  readonly defaultTimeoutMs: number
}

export interface SchedulerDeps {
  readonly store: CronStore
  readonly clock: Clock
  readonly log: Logger
  readonly execute: RunExecutor
  /** This replica's id, written on the runs it claims. */
  readonly owner: string
  /**
   * True when this gateway is the only one on its database (SQLite: the state directory is locked):
   * runs another owner left running are interrupted at start without waiting for their lease.
   */
  readonly soleOwner: boolean
}

interface Launch {
  readonly job: CronJob
  readonly runId: string
  readonly manual: boolean
}

/**
 * The ticker: sleeps until the earliest due job (at most `maxSleepMs`), claims each due fire in the
 * store under (job, scheduled time) in one transaction per batch, and runs the claimed ones. A fire
 * is claimed (a run row, or a `skipped` row with its reason) before anything happens to it, so two
 * tickers on one database, or a restart racing a tick, never handle one fire twice.
 */
export class CronScheduler {
  readonly #deps: SchedulerDeps
  readonly #options: SchedulerOptions
  readonly #inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>()
  #timer: ClockTimer | undefined
  /** When the armed timer fires; `undefined` while none is armed (or it just fired). */
  #armedAtMs: number | undefined
  /** Bumped by each re-arm: only the newest one sets the timer (an older one read the store earlier). */
  #armSeq = 0
  /** The earliest wake asked for (by a settled run) since the newest re-arm began reading the store. */
  #wakeFloor = Number.POSITIVE_INFINITY
  #leaseTimer: ClockTimer | undefined
  #ticking: Promise<void> | undefined
  #again = false
  #running = false
  #lastPruneMs = 0

  constructor(deps: SchedulerDeps, options: SchedulerOptions) {
    this.#deps = deps
    this.#options = options
  }

  /** Interrupt the runs a dead gateway left behind, then start ticking. */
  async start(): Promise<void> {
    this.#running = true
    await this.recoverOrphans(this.#deps.soleOwner)
    this.#scheduleLeaseRenewal()
    await this.tick()
  }

  async stop(): Promise<void> {
    this.#running = false
    if (this.#timer) this.#deps.clock.clearTimeout(this.#timer)
    this.#armedAtMs = undefined
    if (this.#leaseTimer) this.#deps.clock.clearTimeout(this.#leaseTimer)
    await this.#ticking
    for (const { controller } of this.#inFlight.values()) controller.abort(new CRON_ERR_RUN_INTERRUPTED())
    await Promise.all([...this.#inFlight.values()].map((r) => r.done))
  }

  /** Runs of this scheduler still going. */
  get inFlight(): number {
    return this.#inFlight.size
  }

  /** Re-arm now: a job was added, changed or asked to run. */
  nudge(): void {
    if (this.#running) void this.tick()
  }

  /** Handle every due fire, then sleep until the next one. Concurrent calls coalesce. */
  tick(): Promise<void> {
    if (this.#ticking) {
      this.#again = true
      return this.#ticking
    }
    this.#ticking = (async () => {
      try {
        do {
          this.#again = false
          while (this.#running && (await this.#fireBatch()) === this.#options.batchSize);
        } while (this.#again && this.#running)
        await this.#maybePrune()
      } catch (err) {
        this.#deps.log.error({ err }, 'cron tick failed; retrying on the next tick')
      } finally {
        this.#ticking = undefined
      }
      // A nudge that came in after the last batch (during pruning) ticks again instead of being lost.
      if (this.#again && this.#running) return void this.tick()
      await this.#arm()
    })()
    return this.#ticking
  }

  /** Sleep until the earliest due job (at most `maxSleepMs`), as the store says. */
  async #arm(): Promise<void> {
    if (!this.#running) return
    const seq = ++this.#armSeq
    this.#wakeFloor = Number.POSITIVE_INFINITY
    const due = await this.#deps.store.earliestDue().catch(() => undefined)
    if (!this.#running || seq !== this.#armSeq) return
    this.#setTimer(Math.min(due ?? Number.POSITIVE_INFINITY, this.#deps.clock.now() + this.#options.maxSleepMs, this.#wakeFloor))
  }

  /**
   * A settled run moved its job's next fire to `atMs` (already committed): wake by then, without a
   * tick. A re-arm reading the store meanwhile may have read it before the commit, so it takes the floor.
   */
  #wakeBy(atMs: number): void {
    if (!this.#running) return
    this.#wakeFloor = Math.min(this.#wakeFloor, atMs)
    if (this.#armedAtMs === undefined || atMs < this.#armedAtMs) this.#setTimer(atMs)
  }

  #setTimer(atMs: number): void {
    const { clock } = this.#deps
    if (this.#timer) clock.clearTimeout(this.#timer)
    this.#armedAtMs = atMs
    this.#timer = clock.setTimeout(() => {
      this.#armedAtMs = undefined
      void this.tick()
    }, Math.max(atMs - clock.now(), 0))
    this.#timer.unref?.()
  }

  /** Claim one batch of due fires in a transaction, then launch the runs. Returns how many jobs were due. */
  async #fireBatch(): Promise<number> {
    const { store, clock, owner } = this.#deps
    const now = clock.now()
    const launches: Launch[] = []
    const due = await store.store.transaction(async (tx) => {
      const rows = await store.dueJobs(tx, now, this.#options.batchSize)
      for (const row of rows) {
        const launch = await this.#handleDue(tx, row, now, owner)
        if (launch) launches.push(launch)
      }
      return rows.length
    })
    for (const launch of launches) this.#launch(launch)
    return due
  }

  async #handleDue(tx: Parameters<CronStore['claimRun']>[0], { job, runningRunId }: JobRow, now: number, owner: string): Promise<Launch | undefined> {
    const dueAt = job.state.nextRunAtMs!
    const plan = planFire({
      schedule: job.schedule,
      ctx: { jobId: job.id, createdAtMs: job.createdAtMs },
      dueAtMs: dueAt,
      nowMs: now,
      running: runningRunId !== undefined,
      policy: job.missedFires,
      graceMs: this.#options.missedFireGraceMs,
      catchUpDelayMs: this.#options.catchUpDelayMs,
    })
    const runId = randomUUID()
    const fireKey = String(dueAt)
    if (plan.run) {
      const claimed = await this.#deps.store.claimRun(tx, { runId, jobId: job.id, fireKey, scheduledAtMs: dueAt, manual: false, startedAtMs: now, owner, leaseUntilMs: now + this.#options.leaseMs })
      if (!claimed) return this.#skipClaimed(tx, job, dueAt, plan.nextRunAtMs)
    }
    let state: CronJobState = job.state
    if (plan.skipped) {
      await this.#deps.store.recordSkipped(tx, { runId: randomUUID(), jobId: job.id, fireKey: plan.run ? `${fireKey}:skipped` : fireKey, skipped: plan.skipped, atMs: now, nextRunAtMs: plan.nextRunAtMs })
      state = withSkipped(state, plan.skipped)
    }
    const advanced = await this.#deps.store.advanceJob(tx, job.id, dueAt, {
      nextRunAtMs: plan.nextRunAtMs,
      state,
      enabled: job.enabled,
      ...(plan.run ? { runningRunId: runId, runningAtMs: now } : {}),
    })
    if (!advanced) throw new CRON_ERR_FIRE_RACE(job.id)
    return plan.run ? { job: { ...job, state: { ...state, ...(plan.nextRunAtMs !== undefined ? { nextRunAtMs: plan.nextRunAtMs } : {}) } }, runId, manual: false } : undefined
  }

  /** A fire claimed before (a restart raced a tick): move the job past it without running it again. */
  async #skipClaimed(tx: Parameters<CronStore['claimRun']>[0], job: CronJob, dueAt: number, next: number | undefined): Promise<undefined> {
    this.#deps.log.warn({ jobId: job.id, scheduledAtMs: dueAt }, `cron: fire of ${job.id} at ${new Date(dueAt).toISOString()} was already claimed; not running it again`)
    await this.#deps.store.advanceJob(tx, job.id, dueAt, { nextRunAtMs: next, state: job.state, enabled: job.enabled })
    return undefined
  }

  /** Run a job now, outside its schedule (`cron.run`); `undefined` when a run of it is still going. */
  async runNow(jobId: string): Promise<string | undefined> {
    const { store, clock, owner } = this.#deps
    const runId = randomUUID()
    const now = clock.now()
    const job = await store.store.transaction(async (tx) => {
      const row = await store.getJob(tx, jobId)
      if (!row || row.runningRunId !== undefined) return undefined
      const claimed = await store.claimRun(tx, { runId, jobId, fireKey: `manual:${runId}`, manual: true, startedAtMs: now, owner, leaseUntilMs: now + this.#options.leaseMs })
      if (!claimed || !(await store.markRunning(tx, jobId, runId, now))) return undefined
      return row.job
    })
    if (!job) return undefined
    this.#launch({ job, runId, manual: true })
    return runId
  }

  #launch(launch: Launch): void {
    const controller = new AbortController()
    const done = this.#execute(launch, controller).finally(() => this.#inFlight.delete(launch.runId))
    this.#inFlight.set(launch.runId, { controller, done })
  }

  async #execute({ job, runId, manual }: Launch, controller: AbortController): Promise<void> {
    const { clock, log } = this.#deps
    const timeoutMs = job.payload.kind === 'agentTurn' && job.payload.timeoutSeconds ? job.payload.timeoutSeconds * 1000 : this.#options.defaultTimeoutMs
    const timer = clock.setTimeout(() => controller.abort(new CRON_ERR_RUN_TIMEOUT(timeoutMs)), timeoutMs)
    let outcome: RunOutcome
    try {
      outcome = await Promise.race([
        this.#deps.execute({ job, runId, signal: controller.signal, timeoutMs }),
        new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true })),
      ])
    } catch (err) {
      const code = (err as { code?: string }).code
      const reason = code === CRON_ERR_RUN_TIMEOUT.code ? 'timeout' : code === CRON_ERR_RUN_INTERRUPTED.code ? 'interrupted' : 'error'
      outcome = { status: 'error', error: (err as Error).message ?? String(err), errorReason: reason }
    } finally {
      clock.clearTimeout(timer)
    }
    try {
      // Only a job whose next fire the run moved (a backoff, a one-shot's retry) may need an earlier
      // wake; a full tick per finished run would cost a transaction each when many fire at once.
      const next = await this.#settle(job.id, runId, manual, outcome)
      if (next !== undefined) this.#wakeBy(next)
    } catch (err) {
      log.error({ err, jobId: job.id, runId }, `cron: could not record the end of run ${runId}`)
      this.nudge()
    }
  }

  /**
   * Record a finished run and what it does to its job (backoff, auto-disable, one-shot done), in one
   * transaction. Returns the job's next fire, if it has one and is enabled.
   */
  async #settle(jobId: string, runId: string, manual: boolean, outcome: RunOutcome): Promise<number | undefined> {
    const { store, clock } = this.#deps
    const now = clock.now()
    return store.store.transaction(async (tx): Promise<number | undefined> => {
      const row = await store.getJob(tx, jobId)
      if (!row) {
        await store.finishRun(tx, runId, { ...outcome, endedAtMs: now })
        return undefined
      }
      const { job } = row
      const settled = settleRun({
        schedule: job.schedule,
        ctx: { jobId, createdAtMs: job.createdAtMs },
        status: outcome.status,
        endedAtMs: now,
        consecutiveErrors: job.state.consecutiveErrors ?? 0,
        nextRunAtMs: job.state.nextRunAtMs,
        manual,
      })
      const startedAtMs = await store.finishRun(tx, runId, { ...outcome, endedAtMs: now, ...(settled.nextRunAtMs !== undefined ? { nextRunAtMs: settled.nextRunAtMs } : {}) })
      let state: CronJobState = {
        ...job.state,
        lastRunAtMs: now,
        lastRunStatus: outcome.status,
        lastDurationMs: startedAtMs === undefined ? 0 : now - startedAtMs,
        consecutiveErrors: settled.consecutiveErrors,
        consecutiveSkipped: 0,
        ...(outcome.delivered !== undefined ? { lastDelivered: outcome.delivered } : {}),
        lastDeliveryStatus: outcome.deliveryStatus ?? 'not-requested',
      }
      if (outcome.status === 'error') state = { ...state, lastError: outcome.error ?? 'error', ...(outcome.errorReason ? { lastErrorReason: outcome.errorReason } : {}) }
      else {
        delete state.lastError
        delete state.lastErrorReason
      }
      if (settled.autoDisabledReason) state = { ...state, autoDisabled: { reason: `${settled.autoDisabledReason}; last error: ${outcome.error ?? 'error'}`, atMs: now } }
      if (settled.skipped && job.state.nextRunAtMs !== undefined) {
        await store.recordSkipped(tx, { runId: randomUUID(), jobId, fireKey: String(job.state.nextRunAtMs), skipped: settled.skipped, atMs: now, nextRunAtMs: settled.nextRunAtMs })
      }
      if (settled.disable && !settled.autoDisabledReason && outcome.status === 'ok' && job.deleteAfterRun) {
        await store.deleteJob(tx, jobId)
        return undefined
      }
      const enabled = settled.disable ? false : job.enabled
      await store.settleJob(tx, jobId, runId, { nextRunAtMs: settled.nextRunAtMs, state, enabled })
      return enabled ? settled.nextRunAtMs : undefined
    })
  }

  /**
   * Runs left `running` by a gateway that died: recorded once as `error` with the reason
   * `interrupted`, and not run again (their payload may have had effects already).
   */
  async recoverOrphans(ownerGone: boolean): Promise<number> {
    const { store, clock, owner } = this.#deps
    const orphans = await store.orphanedRuns(clock.now(), owner, ownerGone)
    for (const orphan of orphans) {
      if (this.#inFlight.has(orphan.runId)) continue
      this.#deps.log.warn({ jobId: orphan.jobId, runId: orphan.runId }, `cron: run ${orphan.runId} of ${orphan.jobId} was interrupted (its gateway stopped before it finished); not running it again`)
      const next = await this.#settle(orphan.jobId, orphan.runId, false, { status: 'error', error: new CRON_ERR_RUN_INTERRUPTED().message, errorReason: 'interrupted' })
      if (next !== undefined) this.#wakeBy(next)
    }
    return orphans.length
  }

  #scheduleLeaseRenewal(): void {
    const every = Math.max(Math.floor(this.#options.leaseMs / 3), 10)
    const renew = async () => {
      if (!this.#running) return
      const { store, clock, owner } = this.#deps
      try {
        await store.renewLeases([...this.#inFlight.keys()], owner, clock.now() + this.#options.leaseMs)
        if (!this.#deps.soleOwner) await this.recoverOrphans(false)
      } catch (err) {
        this.#deps.log.warn({ err }, 'cron: lease renewal failed')
      }
      if (this.#running) {
        this.#leaseTimer = clock.setTimeout(() => void renew(), every)
        this.#leaseTimer.unref?.()
      }
    }
    this.#leaseTimer = this.#deps.clock.setTimeout(() => void renew(), every)
    this.#leaseTimer.unref?.()
  }

  async #maybePrune(): Promise<void> {
    const now = this.#deps.clock.now()
    const { retention } = this.#options
    // Due an hour after the last prune, or at once when the wall clock went back past it.
    if (now >= this.#lastPruneMs && now - this.#lastPruneMs < retention.everyMs) return
    this.#lastPruneMs = now
    const removed = await this.#deps.store.pruneRuns(now, retention.maxAgeMs, retention.maxRunsPerJob)
    if (removed > 0) this.#deps.log.debug({ removed }, `cron: pruned ${removed} run rows`)
  }
}

function withSkipped(state: CronJobState, skipped: SkippedFires): CronJobState {
  return { ...state, lastRunStatus: 'skipped', lastErrorReason: skipped.reason, consecutiveSkipped: (state.consecutiveSkipped ?? 0) + skipped.count }
}
