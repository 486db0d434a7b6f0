import { randomUUID } from 'node:crypto'
import type { Clock, Logger } from '@openclaw/plugin-sdk'
import type { CronJob, CronJobState } from './cron-job.js'
import type { CronStore, JobAdvance, JobRow, JobSettle, RunClaim, RunFinish, SkippedRecord, StoredAlert } from './cron-store.js'
import { CRON_ERR_FIRE_RACE, CRON_ERR_RUN_INTERRUPTED, CRON_ERR_RUN_TIMEOUT } from './errors.js'
import { planFailureAlert } from './failure-alert.js'
import type { FailureAlertSender } from './failure-alert-sender.js'
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
  /** Due jobs claimed per transaction (in a few multi-row statements). */
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
  /** Decides each job's alert policy and sends the alerts a settled run (or a skipped fire) wrote. */
  readonly alerts: Pick<FailureAlertSender, 'policy' | 'toStored' | 'dispatch' | 'sweep' | 'close'>
  /** `cron.sessionRetention`: deletes old isolated run sessions, with the hourly pruning; absent when it is off. */
  readonly pruneSessions?: (nowMs: number) => Promise<number>
}

interface Launch {
  readonly job: CronJob
  readonly runId: string
  readonly manual: boolean
}

type Tx = Parameters<CronStore['claimRuns']>[0]

/** A finished run waiting for the next settle transaction. */
interface PendingSettle {
  readonly jobId: string
  readonly runId: string
  readonly manual: boolean
  readonly outcome: RunOutcome
  readonly resolve: (next: number | undefined) => void
  readonly reject: (err: unknown) => void
}

/**
 * The scheduler of one gateway, in two parts:
 * - the ticker (`start`/`stop`, run by one replica as a cluster singleton): sleeps until the earliest
 *   due job (at most `maxSleepMs`), claims the due fires in the store under (job, scheduled time), in
 *   one transaction of a few multi-row statements per batch, and runs the claimed ones; it also finds
 *   runs whose holder died (expired leases) and records them as interrupted;
 * - the runs (`open`/`close`, on every replica): whatever started a run here (a tick, `cron.run`),
 *   this replica executes it, renews its lease while it goes on, and records its end, with the other
 *   runs that finished meanwhile, in one transaction.
 * A fire is claimed (a run row, or a `skipped` row with its reason) before anything happens to it, so
 * two tickers on one database, or a restart racing a tick, never handle one fire twice.
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
  #sweepTimer: ClockTimer | undefined
  #ticking: Promise<void> | undefined
  #again = false
  /** The ticker runs here. */
  #running = false
  /** Runs may start here (between `open` and `close`). */
  #open = false
  #lastPruneMs = 0
  #settleQueue: PendingSettle[] = []
  #settling: Promise<void> | undefined

  constructor(deps: SchedulerDeps, options: SchedulerOptions) {
    this.#deps = deps
    this.#options = options
  }

  /** Let runs start on this replica and renew their leases (every replica, ticker or not). */
  open(): void {
    if (this.#open) return
    this.#open = true
    this.#scheduleLeaseRenewal()
  }

  /** Stop the ticker if it runs here, abort the runs going on here, and stop renewing their leases. */
  async close(): Promise<void> {
    await this.stop()
    this.#open = false
    if (this.#leaseTimer) this.#deps.clock.clearTimeout(this.#leaseTimer)
    for (const { controller } of this.#inFlight.values()) controller.abort(new CRON_ERR_RUN_INTERRUPTED())
    await Promise.all([...this.#inFlight.values()].map((r) => r.done))
    await this.#settling
    await this.#deps.alerts.close()
  }

  /** Start the ticker here: interrupt the runs a dead gateway left behind, then start ticking. */
  async start(): Promise<void> {
    this.open()
    this.#running = true
    await this.recoverOrphans(this.#deps.soleOwner)
    await this.#sweepAlerts()
    this.#scheduleOrphanSweep()
    await this.tick()
  }

  /** Stop the ticker here (another replica may take it over); runs going on here go on. */
  async stop(): Promise<void> {
    this.#running = false
    if (this.#timer) this.#deps.clock.clearTimeout(this.#timer)
    this.#armedAtMs = undefined
    if (this.#sweepTimer) this.#deps.clock.clearTimeout(this.#sweepTimer)
    await this.#ticking
  }

  /** Runs going on on this replica. */
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
    const { store, clock } = this.#deps
    const now = clock.now()
    let launches: Launch[] = []
    let alerts: string[] = []
    const due = await store.store.transaction(async (tx) => {
      const rows = await store.dueJobs(tx, now, this.#options.batchSize)
      alerts = []
      launches = await this.#claimDue(tx, rows, now, alerts)
      return rows.length
    })
    this.#deps.alerts.dispatch(alerts)
    for (const launch of launches) this.#launch(launch)
    return due
  }

  /**
   * Decide what happens to each due job's fire (run, skip, catch up later) and write it in a few
   * multi-row statements: the claims (`INSERT … ON CONFLICT DO NOTHING RETURNING`), the `skipped`
   * rows, and every job's move to its next fire (a compare-and-set on the fire claimed). A fire
   * another holder claimed first is not run again. Returns the runs to launch once this commits.
   */
  async #claimDue(tx: Tx, rows: readonly JobRow[], now: number, alertIds: string[]): Promise<Launch[]> {
    const { store, owner, log } = this.#deps
    const alerts: StoredAlert[] = []
    const planned = rows.map(({ job, runningRunId }) => ({
      job,
      dueAt: job.state.nextRunAtMs!,
      runId: randomUUID(),
      plan: planFire({
        schedule: job.schedule,
        ctx: { jobId: job.id, createdAtMs: job.createdAtMs },
        dueAtMs: job.state.nextRunAtMs!,
        nowMs: now,
        running: runningRunId !== undefined,
        policy: job.missedFires,
        graceMs: this.#options.missedFireGraceMs,
        catchUpDelayMs: this.#options.catchUpDelayMs,
      }),
    }))
    const claims: RunClaim[] = planned.filter((p) => p.plan.run).map(({ job, dueAt, runId }) => ({
      runId, jobId: job.id, fireKey: String(dueAt), scheduledAtMs: dueAt, manual: false, startedAtMs: now, owner, leaseUntilMs: now + this.#options.leaseMs,
    }))
    const claimed = claims.length > 0 ? await store.claimRuns(tx, claims) : new Set<string>()
    const skipped: SkippedRecord[] = []
    const advances: JobAdvance[] = []
    const launches: Launch[] = []
    for (const { job, dueAt, runId, plan } of planned) {
      if (plan.run && !claimed.has(runId)) {
        // Claimed before (a restart raced a tick): move the job past it without running it again.
        log.warn({ jobId: job.id, scheduledAtMs: dueAt }, `cron: fire of ${job.id} at ${new Date(dueAt).toISOString()} was already claimed; not running it again`)
        advances.push({ id: job.id, dueAtMs: dueAt, nextRunAtMs: plan.nextRunAtMs })
        continue
      }
      let state: CronJobState = job.state
      if (plan.skipped) {
        skipped.push({ runId: randomUUID(), jobId: job.id, fireKey: plan.run ? `${dueAt}:skipped` : String(dueAt), skipped: plan.skipped, atMs: now, nextRunAtMs: plan.nextRunAtMs })
        state = withSkipped(state, plan.skipped)
        // With `includeSkipped`, skipped fires in a row count toward an alert.
        const decided = planFailureAlert({ job, state, policy: this.#deps.alerts.policy(job), status: 'skipped', errorReason: plan.skipped.reason, runAtMs: dueAt, nowMs: now })
        state = decided.state
        if (decided.alert) alerts.push(this.#deps.alerts.toStored(decided.alert, job, now))
      }
      advances.push({ id: job.id, dueAtMs: dueAt, nextRunAtMs: plan.nextRunAtMs, ...(state !== job.state ? { state } : {}), ...(plan.run ? { runningRunId: runId, runningAtMs: now } : {}) })
      if (plan.run) launches.push({ job: { ...job, state: { ...state, ...(plan.nextRunAtMs !== undefined ? { nextRunAtMs: plan.nextRunAtMs } : {}) } }, runId, manual: false })
    }
    if (skipped.length > 0) await store.recordSkippedMany(tx, skipped)
    if (alerts.length > 0) await store.insertAlerts(tx, alerts)
    alertIds.push(...alerts.map((a) => a.id))
    const moved = advances.length > 0 ? await store.advanceJobs(tx, advances) : new Set<string>()
    // Locked rows (PostgreSQL) or the held connection (SQLite): only a bug lets one move meanwhile; undo the batch.
    const raced = advances.find((a) => !moved.has(a.id))
    if (raced) throw new CRON_ERR_FIRE_RACE(raced.id)
    return launches
  }

  /**
   * `cron.run` with `mode: "due"`: claim the job's due fire now, on whichever replica was asked, as the
   * ticker would. `undefined` when it is not due (any more: the ticker may have just claimed it).
   */
  async runDue(jobId: string): Promise<string | undefined> {
    const { store, clock } = this.#deps
    const now = clock.now()
    let launches: Launch[] = []
    let alerts: string[] = []
    await store.store.transaction(async (tx) => {
      const row = await store.getJob(tx, jobId)
      const next = row?.job.state.nextRunAtMs
      if (!row || !row.job.enabled || next === undefined || next > now) return
      alerts = []
      launches = await this.#claimDue(tx, [row], now, alerts)
    })
    this.#deps.alerts.dispatch(alerts)
    for (const launch of launches) this.#launch(launch)
    return launches[0]?.runId
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
    // A run claimed here is executed here, and its lease renewed here, whether or not the ticker runs here.
    this.open()
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
   * Record a finished run and what it does to its job (backoff, auto-disable, one-shot done). Runs
   * that finish while a settle transaction is going on wait for the next one, which records them all
   * together. Resolves with the job's next fire, if it has one and is enabled.
   */
  #settle(jobId: string, runId: string, manual: boolean, outcome: RunOutcome): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      this.#settleQueue.push({ jobId, runId, manual, outcome, resolve, reject })
      this.#settling ??= this.#drainSettles()
    })
  }

  async #drainSettles(): Promise<void> {
    // Let the runs that finish in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve))
    while (this.#settleQueue.length > 0) {
      const batch = this.#settleQueue
      this.#settleQueue = []
      try {
        const results = await this.#settleBatch(batch)
        batch.forEach((entry, i) => entry.resolve(results[i]))
      } catch (err) {
        for (const entry of batch) entry.reject(err)
      }
    }
    this.#settling = undefined
  }

  /**
   * One transaction for finished runs: reads their jobs (locked on PostgreSQL) and which of the runs
   * are still `running`, works out each job's state in order, then writes the run rows, the `skipped`
   * rows, the deleted one-shots and the jobs in a few multi-row statements. A run that is no longer
   * `running` (another replica recorded it as interrupted first) changes nothing: a fire ends once.
   */
  async #settleBatch(batch: readonly PendingSettle[]): Promise<(number | undefined)[]> {
    const { store, clock } = this.#deps
    const now = clock.now()
    let alertIds: string[] = []
    const results = await store.store.transaction(async (tx) => {
      const alerts: StoredAlert[] = []
      const jobs = new Map((await store.getJobs(tx, [...new Set(batch.map((e) => e.jobId))].sort())).map((row) => [row.job.id, row]))
      const starts = await store.runningStarts(tx, batch.map((e) => e.runId))
      const finishes: (RunFinish & { runId: string })[] = []
      const skipped: SkippedRecord[] = []
      const deleted = new Set<string>()
      const settles = new Map<string, JobSettle>()
      const results = batch.map(({ jobId, runId, manual, outcome }): number | undefined => {
        const startedAtMs = starts.get(runId)
        if (startedAtMs === undefined) return undefined
        starts.delete(runId)
        const row = jobs.get(jobId)
        if (!row) {
          finishes.push({ runId, ...outcome, endedAtMs: now })
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
          interrupted: outcome.errorReason === 'interrupted',
        })
        finishes.push({ runId, ...outcome, endedAtMs: now, ...(settled.nextRunAtMs !== undefined ? { nextRunAtMs: settled.nextRunAtMs } : {}) })
        let state: CronJobState = {
          ...job.state,
          lastRunAtMs: now,
          lastRunStatus: outcome.status,
          lastDurationMs: now - startedAtMs,
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
        // Failure alerts: decided here, in the transaction that settles the run (the job row is locked
        // on PostgreSQL), so whichever replica settles it, an alert is decided and written once.
        const decided = planFailureAlert({
          job, state, policy: this.#deps.alerts.policy(job), status: outcome.status, runAtMs: startedAtMs, nowMs: now, autoDisabled: settled.autoDisabledReason !== undefined,
          ...(outcome.error !== undefined ? { error: outcome.error } : {}), ...(outcome.errorReason !== undefined ? { errorReason: outcome.errorReason } : {}),
        })
        state = decided.state
        if (decided.alert) alerts.push(this.#deps.alerts.toStored(decided.alert, job, now))
        if (settled.skipped && job.state.nextRunAtMs !== undefined) {
          skipped.push({ runId: randomUUID(), jobId, fireKey: String(job.state.nextRunAtMs), skipped: settled.skipped, atMs: now, nextRunAtMs: settled.nextRunAtMs })
        }
        if (settled.disable && !settled.autoDisabledReason && outcome.status === 'ok' && job.deleteAfterRun) {
          jobs.delete(jobId)
          settles.delete(jobId)
          deleted.add(jobId)
          return undefined
        }
        const enabled = settled.disable ? false : job.enabled
        const nextState: CronJobState = { ...state }
        if (settled.nextRunAtMs === undefined) delete nextState.nextRunAtMs
        else nextState.nextRunAtMs = settled.nextRunAtMs
        // A later run of the same job in this batch settles on top of this one.
        jobs.set(jobId, { job: { ...job, enabled, state: nextState }, runningRunId: row.runningRunId === runId ? undefined : row.runningRunId })
        settles.set(jobId, { id: jobId, runId, nextRunAtMs: settled.nextRunAtMs, state, enabled })
        return enabled ? settled.nextRunAtMs : undefined
      })
      if (finishes.length > 0) await store.finishRuns(tx, finishes)
      if (skipped.length > 0) await store.recordSkippedMany(tx, skipped)
      if (deleted.size > 0) await store.deleteJobs(tx, [...deleted])
      if (settles.size > 0) await store.settleJobs(tx, [...settles.values()])
      if (alerts.length > 0) await store.insertAlerts(tx, alerts)
      alertIds = alerts.map((a) => a.id)
      return results
    })
    this.#deps.alerts.dispatch(alertIds)
    return results
  }

  /**
   * Runs left `running` by a gateway that died: recorded once as `error` with the reason
   * `interrupted`, and not run again (their payload may have had effects already).
   */
  async recoverOrphans(ownerGone: boolean): Promise<number> {
    const { store, clock, owner } = this.#deps
    const orphans = (await store.orphanedRuns(clock.now(), owner, ownerGone)).filter((orphan) => !this.#inFlight.has(orphan.runId))
    const settled = orphans.map(async (orphan) => {
      this.#deps.log.warn({ jobId: orphan.jobId, runId: orphan.runId }, `cron: run ${orphan.runId} of ${orphan.jobId} was interrupted (its gateway stopped before it finished); not running it again`)
      const next = await this.#settle(orphan.jobId, orphan.runId, false, { status: 'error', error: new CRON_ERR_RUN_INTERRUPTED().message, errorReason: 'interrupted' })
      if (next !== undefined) this.#wakeBy(next)
    })
    await Promise.all(settled)
    return orphans.length
  }

  /** Every replica renews the leases of the runs it executes, every third of the lease. */
  #scheduleLeaseRenewal(): void {
    const { clock } = this.#deps
    const every = Math.max(Math.floor(this.#options.leaseMs / 3), 10)
    const renew = async () => {
      if (!this.#open) return
      const { store, owner } = this.#deps
      try {
        await store.renewLeases([...this.#inFlight.keys()], owner, clock.now() + this.#options.leaseMs)
      } catch (err) {
        this.#deps.log.warn({ err }, 'cron: lease renewal failed')
      }
      if (this.#open) arm()
    }
    const arm = () => {
      this.#leaseTimer = clock.setTimeout(() => void renew(), every)
      this.#leaseTimer.unref?.()
    }
    arm()
  }

  /** The ticker looks for runs whose lease expired (their replica died) as often as leases are renewed. */
  #scheduleOrphanSweep(): void {
    if (this.#deps.soleOwner) return
    const { clock } = this.#deps
    const every = Math.max(Math.floor(this.#options.leaseMs / 3), 10)
    const sweep = async () => {
      if (!this.#running) return
      try {
        await this.recoverOrphans(false)
      } catch (err) {
        this.#deps.log.warn({ err }, 'cron: looking for interrupted runs failed')
      }
      await this.#sweepAlerts()
      if (this.#running) arm()
    }
    const arm = () => {
      this.#sweepTimer = clock.setTimeout(() => void sweep(), every)
      this.#sweepTimer.unref?.()
    }
    arm()
  }

  /** Send the failure alerts a replica decided but did not get to send (it died, or a webhook is due another try). */
  async #sweepAlerts(): Promise<void> {
    try {
      await this.#deps.alerts.sweep()
    } catch (err) {
      this.#deps.log.warn({ err }, 'cron: sending pending failure alerts failed')
    }
  }

  async #maybePrune(): Promise<void> {
    const now = this.#deps.clock.now()
    const { retention } = this.#options
    // Due an hour after the last prune, or at once when the wall clock went back past it.
    if (now >= this.#lastPruneMs && now - this.#lastPruneMs < retention.everyMs) return
    this.#lastPruneMs = now
    const removed = await this.#deps.store.pruneRuns(now, retention.maxAgeMs, retention.maxRunsPerJob) + await this.#deps.store.pruneAlerts(now, retention.maxAgeMs)
    if (removed > 0) this.#deps.log.debug({ removed }, `cron: pruned ${removed} run rows`)
    if (this.#deps.pruneSessions) {
      const sessions = await this.#deps.pruneSessions(now)
      if (sessions > 0) this.#deps.log.debug({ sessions }, `cron: pruned ${sessions} isolated run sessions (cron.sessionRetention)`)
    }
  }
}

function withSkipped(state: CronJobState, skipped: SkippedFires): CronJobState {
  return { ...state, lastRunStatus: 'skipped', lastErrorReason: skipped.reason, consecutiveSkipped: (state.consecutiveSkipped ?? 0) + skipped.count }
}
