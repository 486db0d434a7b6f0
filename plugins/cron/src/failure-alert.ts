import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { CronJob, CronJobState } from './cron-job.js'

// OpenClaw's failure alerts (automation/cron-jobs/delivery.md "Failure notifications"): after `after`
// consecutive execution failures (default 2) a job's alert goes to its failure route, at most once
// per incident (the same cause to the same route), with `cooldownMs` (default 1 hour) between alerts;
// a success after an alert sends one recovery notice and clears the incident.

export const DEFAULT_FAILURE_ALERT_AFTER = 2
export const DEFAULT_FAILURE_ALERT_COOLDOWN_MS = 3_600_000

const RouteFields = {
  mode: z.enum(['announce', 'webhook']).optional(),
  channel: z.string().min(1).max(64).optional(),
  to: z.string().min(1).max(2048).optional(),
  accountId: z.string().min(1).max(256).optional(),
}
const PolicyFields = {
  after: z.number().int().min(1).max(10_000).optional(),
  cooldownMs: z.number().int().min(0).max(30 * 86_400_000).optional(),
  includeSkipped: z.boolean().optional(),
}

/** A job's `failureAlert` object (`false` turns its alerts off). */
export const JobFailureAlertSchema = z.strictObject({ ...PolicyFields, ...RouteFields })
export type JobFailureAlert = z.output<typeof JobFailureAlertSchema>

/** `cron.failureAlert`: the global policy and its default destination. */
export const GlobalFailureAlertSchema = z.strictObject({ enabled: z.boolean().optional(), ...PolicyFields, ...RouteFields })
export type GlobalFailureAlert = z.output<typeof GlobalFailureAlertSchema>

/** Where an alert goes. `channel: 'last'` (or no `to` in announce mode) means the job session's last route. */
export interface AlertRoute {
  readonly mode: 'announce' | 'webhook'
  readonly channel: string
  readonly to?: string
  readonly accountId?: string
  readonly threadId?: string
}

export interface FailureAlertPolicy {
  readonly after: number
  readonly cooldownMs: number
  readonly includeSkipped: boolean
  readonly route: AlertRoute
  /** The route is the job's own announce target (no failure route was given). */
  readonly primary: boolean
}

/** Alert bookkeeping in a job's state (in the store, so every replica sees the same). */
export interface FailureAlertIncident {
  /** Hash of the status, cause and route; absent while failures stay below the threshold (nothing was sent). */
  readonly signature?: string
}

/**
 * A job's effective alert policy, `undefined` when it sends none: `failureAlert: false` turns it off;
 * a job's own object turns it on (whatever the global `enabled` or `delivery.bestEffort` say);
 * otherwise `cron.failureAlert.enabled: false` turns it off, a `cron.failureAlert` object turns it on,
 * and without one only a job with an announce delivery (its "existing failure route") is covered,
 * unless `delivery.bestEffort`. The route: the job's route fields, over the global ones, else the
 * job's announce target, else the session's last route.
 */
export function resolveFailureAlert(job: CronJob, global: GlobalFailureAlert | undefined): FailureAlertPolicy | undefined {
  if (job.failureAlert === false || job.system) return undefined
  const own = job.failureAlert as JobFailureAlert | undefined
  if (!own && global?.enabled === false) return undefined
  const primary = job.delivery?.mode === 'announce' ? job.delivery : undefined
  if (!own && !global && !primary) return undefined
  if (!own && job.delivery?.bestEffort === true) return undefined
  const mode = own?.mode ?? (own?.channel ? 'announce' : undefined) ?? global?.mode ?? 'announce'
  const selected = own?.channel !== undefined || own?.to !== undefined || global?.channel !== undefined || global?.to !== undefined
  let route: AlertRoute
  let primaryRoute = false
  if (mode === 'webhook') {
    const to = own?.to ?? global?.to
    route = { mode, channel: 'webhook', ...(to ? { to } : {}) }
  } else if (selected) {
    const channel = own?.channel ?? global?.channel ?? primary?.channel ?? 'last'
    const to = own?.to ?? global?.to ?? (channel === primary?.channel ? primary?.to : undefined)
    const accountId = own?.accountId ?? global?.accountId ?? (to !== undefined && to === primary?.to ? primary?.accountId : undefined)
    route = { mode, channel, ...(to ? { to } : {}), ...(accountId ? { accountId } : {}) }
  } else {
    primaryRoute = primary !== undefined
    route = {
      mode, channel: primary?.channel ?? 'last',
      ...(primary?.to ? { to: primary.to } : {}),
      ...(own?.accountId ?? global?.accountId ?? primary?.accountId ? { accountId: (own?.accountId ?? global?.accountId ?? primary?.accountId)! } : {}),
      ...(primary?.threadId ? { threadId: primary.threadId } : {}),
    }
  }
  return {
    after: own?.after ?? global?.after ?? DEFAULT_FAILURE_ALERT_AFTER,
    cooldownMs: own?.cooldownMs ?? global?.cooldownMs ?? DEFAULT_FAILURE_ALERT_COOLDOWN_MS,
    includeSkipped: own?.includeSkipped ?? global?.includeSkipped ?? false,
    route,
    primary: primaryRoute,
  }
}

/** An alert to write to the store (then send): one outbox message, or one webhook POST. */
export interface AlertDraft {
  readonly kind: 'failure' | 'skipped' | 'recovered' | 'auto-disabled'
  readonly jobId: string
  readonly route: AlertRoute
  readonly text: string
  /** The structured facts a webhook receives (with `text`). */
  readonly facts: Readonly<Record<string, unknown>>
}

export interface AlertPlanInput {
  readonly job: CronJob
  /** The job's state after this run (or these skipped fires), alert fields as they were. */
  readonly state: CronJobState
  readonly policy: FailureAlertPolicy | undefined
  readonly status: 'ok' | 'error' | 'skipped'
  readonly error?: string
  readonly errorReason?: string
  readonly runAtMs: number
  readonly nowMs: number
  /** This failure disabled the job (the 10th in a row): the auto-disable notice replaces the threshold alert. */
  readonly autoDisabled?: boolean
}

/**
 * What a finished run (or a skipped fire) does to the job's alert state, and the alert it sends, if
 * any. Pure: the caller writes the state and the alert in the transaction that settles the run, so an
 * alert is decided once, whichever replica settles it.
 */
export function planFailureAlert(input: AlertPlanInput): { state: CronJobState; alert?: AlertDraft } {
  const { job, policy, nowMs: now } = input
  let state = input.state
  const incident = state.failureAlertIncident
  const name = job.name || job.id
  if (input.status === 'ok') {
    if (!incident) return { state }
    state = { ...state }
    delete state.failureAlertIncident
    delete state.lastFailureAlertAtMs
    if (!incident.signature || !policy) return { state }
    const text = `Automation "${name}" recovered\nThe latest run completed successfully.`
    return { state, alert: { kind: 'recovered', jobId: job.id, route: policy.route, text, facts: { status: 'ok', runAtMs: input.runAtMs } } }
  }
  // A failure below the threshold still opens an incident (without a signature): a success then clears it quietly.
  if (!incident && input.status === 'error') state = { ...state, failureAlertIncident: {} }
  if (input.status === 'error' && input.autoDisabled) {
    if (!policy) return { state }
    const text = `Automation "${name}" was disabled after ${state.consecutiveErrors} consecutive failures\nCause: ${input.errorReason ?? 'error'}\nAfter fixing the cause: openclaw cron enable ${job.id}`
    return { state, alert: { kind: 'auto-disabled', jobId: job.id, route: policy.route, text, facts: failureFacts(input, state.consecutiveErrors) } }
  }
  if (!policy) return { state }
  if (input.status === 'skipped' && !policy.includeSkipped) return { state: input.state }
  // A delivery that failed is not retried by an alert to the same route (OpenClaw: an alert never retries the primary route that just failed).
  if (input.status === 'error' && input.errorReason === 'delivery' && policy.primary) return { state }
  const count = input.status === 'skipped' ? state.consecutiveSkipped : state.consecutiveErrors
  if (count < policy.after) return { state }
  const cause = input.status === 'skipped' ? input.errorReason : input.errorReason ?? input.error?.trim()
  const signature = createHash('sha256').update(JSON.stringify([input.status, cause ?? null, policy.route.mode, policy.route.channel, policy.route.to ?? null, policy.route.accountId ?? null, policy.route.threadId ?? null])).digest('hex')
  // The same incident alerts once, however long it lasts; a changed one waits for the cooldown.
  if (state.failureAlertIncident?.signature === signature) return { state }
  const last = state.lastFailureAlertAtMs
  if (last !== undefined && last <= now && now - last < policy.cooldownMs) return { state }
  state = { ...state, lastFailureAlertAtMs: now, failureAlertIncident: { signature } }
  const verb = input.status === 'skipped' ? 'skipped' : 'failed'
  const detail = input.status === 'skipped' ? `Skip reason: ${input.errorReason ?? 'unknown'}` : `Cause: ${input.errorReason ?? 'error'}`
  const text = `Automation "${name}" ${verb} ${count} times\n${detail}\nHistory: openclaw cron runs --id ${job.id}`
  return { state, alert: { kind: input.status === 'skipped' ? 'skipped' : 'failure', jobId: job.id, route: policy.route, text, facts: failureFacts(input, count) } }
}

function failureFacts(input: AlertPlanInput, count: number): Record<string, unknown> {
  return {
    status: input.status,
    consecutive: count,
    runAtMs: input.runAtMs,
    ...(input.errorReason ? { errorReason: input.errorReason } : {}),
    ...(input.error ? { error: input.error.trim().slice(0, 200) } : {}),
  }
}

/** `cron.update`'s `failureAlert`: an object merges into the job's (so one CLI flag changes one field), `false` turns alerts off, `null` clears. */
export function mergeFailureAlert(existing: CronJob['failureAlert'], patch: JobFailureAlert | false | null): JobFailureAlert | false | undefined {
  if (patch === false) return false
  if (patch === null) return undefined
  const next: Record<string, unknown> = { ...(existing === false || existing === undefined ? {} : existing) }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete next[key]
    else next[key] = value
  }
  return next as JobFailureAlert
}
