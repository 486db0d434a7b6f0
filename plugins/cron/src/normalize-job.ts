import type { CronJob, CronJobSpec, JobInput, JobPatch } from './cron-job.js'
import { PayloadSchema } from './cron-job.js'
import { CRON_ERR_INVALID_JOB } from './errors.js'
import { mergeFailureAlert } from './failure-alert.js'
import { cronStaggerMs, parseAt, validateSchedule, type CronSchedule } from './schedule.js'

type ScheduleInput = JobInput['schedule']

/**
 * An `at` given as a duration or an offset-less time becomes an absolute ISO time when the job is
 * saved. A cron schedule without `staggerMs` keeps the previous one's (same expression), else gets
 * its default window (5 minutes for a recurring top-of-hour expression), stored, as OpenClaw does.
 */
function normalizeSchedule(schedule: ScheduleInput, nowMs: number, previous?: CronSchedule): CronSchedule {
  let normalized: CronSchedule = schedule.kind === 'at' ? { kind: 'at', at: new Date(parseAt(schedule.at, nowMs)).toISOString() } : schedule
  if (normalized.kind === 'cron' && normalized.staggerMs === undefined) {
    const kept = previous?.kind === 'cron' && previous.expr === normalized.expr ? previous.staggerMs : undefined
    const staggerMs = kept ?? cronStaggerMs(normalized)
    if (staggerMs > 0 || kept !== undefined) normalized = { ...normalized, staggerMs }
  }
  validateSchedule(normalized)
  return normalized
}

/**
 * Defaults and cross-field rules of OpenClaw's schema: a systemEvent goes to the main session, an
 * agentTurn to an isolated one unless told; a webhook delivery needs `to`; an `at` job is deleted
 * after a successful run unless `deleteAfterRun: false`.
 */
function checkSpec(spec: CronJobSpec): CronJobSpec {
  if (spec.sessionTarget === 'current') throw new CRON_ERR_INVALID_JOB("sessionTarget 'current' needs a conversation: use main, isolated or session:<key>")
  if (spec.payload.kind === 'systemEvent' && spec.sessionTarget !== 'main') throw new CRON_ERR_INVALID_JOB("a systemEvent payload needs sessionTarget 'main'")
  if (spec.delivery?.mode === 'webhook' && !spec.delivery.to) throw new CRON_ERR_INVALID_JOB('a webhook delivery needs to (the URL)')
  if (spec.delivery?.mode === 'webhook' && !/^https?:\/\//i.test(spec.delivery.to!)) throw new CRON_ERR_INVALID_JOB('a webhook delivery needs an http(s) URL in to')
  return spec
}

/** The definition of a new job, checked, from `cron.add`'s params. */
export function specFromInput(input: JobInput, nowMs: number): CronJobSpec & { enabled: boolean } {
  const schedule = normalizeSchedule(input.schedule, nowMs)
  const sessionTarget = input.sessionTarget ?? (input.payload.kind === 'systemEvent' ? 'main' : 'isolated')
  const spec = checkSpec({
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.deleteAfterRun !== undefined ? { deleteAfterRun: input.deleteAfterRun } : schedule.kind === 'at' ? { deleteAfterRun: true } : {}),
    agentId: input.agentId ?? 'main',
    ...(input.sessionKey !== undefined ? { sessionKey: input.sessionKey } : {}),
    schedule,
    sessionTarget,
    wakeMode: input.wakeMode ?? 'now',
    payload: input.payload,
    ...(input.delivery !== undefined ? { delivery: input.delivery } : {}),
    ...(input.failureAlert !== undefined ? { failureAlert: input.failureAlert } : {}),
    ...(input.missedFires !== undefined ? { missedFires: input.missedFires } : {}),
  })
  return { ...spec, enabled: input.enabled ?? true }
}

/** A job with `patch` applied (`null` clears a field), checked; `scheduleChanged` says to re-arm it. */
export function applyPatch(job: CronJob, patch: JobPatch, nowMs: number): { spec: CronJobSpec; enabled: boolean; scheduleChanged: boolean } {
  const next: Record<string, unknown> = { ...job }
  for (const key of ['id', 'createdAtMs', 'updatedAtMs', 'state', 'enabled', 'system'] as const) delete next[key]
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === 'enabled' || key === 'schedule' || key === 'payload' || key === 'delivery' || key === 'failureAlert') continue
    if (value === null) delete next[key]
    else next[key] = value
  }
  if (patch.schedule) next.schedule = normalizeSchedule(patch.schedule, nowMs, job.schedule)
  if (patch.payload) {
    // A partial payload of the same kind merges; a whole one of another kind replaces.
    const merged = patch.payload.kind === undefined || patch.payload.kind === job.payload.kind ? { ...job.payload, ...patch.payload } : patch.payload
    const parsed = PayloadSchema.safeParse(merged)
    if (!parsed.success) throw new CRON_ERR_INVALID_JOB(`payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`)
    next.payload = parsed.data
  }
  if (patch.failureAlert !== undefined) {
    const merged = mergeFailureAlert(job.failureAlert, patch.failureAlert)
    if (merged === undefined) delete next.failureAlert
    else next.failureAlert = merged
  }
  if (patch.delivery === null) delete next.delivery
  else if (patch.delivery) {
    const merged = { ...(job.delivery ?? {}), ...patch.delivery }
    if (merged.mode === undefined) throw new CRON_ERR_INVALID_JOB('delivery needs a mode (announce, webhook or none)')
    next.delivery = merged
  }
  const spec = checkSpec(next as unknown as CronJobSpec)
  return { spec, enabled: patch.enabled ?? job.enabled, scheduleChanged: patch.schedule !== undefined }
}
