import { z } from 'zod'
import { JobFailureAlertSchema, type FailureAlertIncident, type JobFailureAlert } from './failure-alert.js'
import type { MissedFirePolicy } from './plan-fire.js'
import type { CronSchedule } from './schedule.js'

// OpenClaw's job schema (reference §4.1), as the wire carries it: `cron.add` takes the job fields
// minus id, state and timestamps; `cron.get/list` answer whole jobs.

export const ScheduleInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('at'), at: z.string().min(1).max(64) }),
  z.strictObject({ kind: z.literal('every'), everyMs: z.number().int().min(1000), anchorMs: z.number().int().min(0).optional() }),
  z.strictObject({ kind: z.literal('cron'), expr: z.string().min(1).max(256), tz: z.string().min(1).max(64).optional(), staggerMs: z.number().int().min(0).max(3_600_000).optional() }),
])

export const PayloadSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('systemEvent'), text: z.string().min(1).max(100_000) }),
  z.strictObject({
    kind: z.literal('agentTurn'),
    message: z.string().min(1).max(100_000),
    model: z.string().min(1).max(200).optional(),
    fallbacks: z.array(z.string().max(200)).max(10).optional(),
    thinking: z.enum(['off', 'minimal', 'low', 'medium', 'high']).optional(),
    timeoutSeconds: z.number().int().min(1).max(86_400).optional(),
    lightContext: z.boolean().optional(),
    toolsAllow: z.array(z.string().max(200)).max(200).optional(),
    allowUnsafeExternalContent: z.boolean().optional(),
  }),
])
export type CronPayload = z.output<typeof PayloadSchema>

export const DeliverySchema = z.strictObject({
  mode: z.enum(['announce', 'none', 'webhook']),
  channel: z.string().min(1).max(64).optional(),
  to: z.string().min(1).max(2048).optional(),
  threadId: z.string().max(256).optional(),
  accountId: z.string().max(256).optional(),
  bestEffort: z.boolean().optional(),
})
export type CronDelivery = z.output<typeof DeliverySchema>

export const MissedFiresSchema = z.strictObject({
  policy: z.enum(['reschedule', 'runOnce', 'skip']),
  maxLatenessMs: z.number().int().min(0).max(86_400_000).optional(),
})

export const SessionTargetSchema = z.union([z.enum(['main', 'isolated', 'current']), z.string().regex(/^session:.{1,500}$/, 'expected main, isolated or session:<key>')])

const JobFields = {
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  enabled: z.boolean().optional(),
  deleteAfterRun: z.boolean().optional(),
  agentId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/).optional(),
  sessionKey: z.string().min(1).max(512).optional(),
  schedule: ScheduleInputSchema,
  sessionTarget: SessionTargetSchema.optional(),
  wakeMode: z.enum(['now', 'next-heartbeat']).optional(),
  payload: PayloadSchema,
  delivery: DeliverySchema.optional(),
  /** `false`: no failure alerts for this job; an object turns them on and tunes them (see failure-alert.ts). */
  failureAlert: z.union([z.literal(false), JobFailureAlertSchema]).optional(),
  /** Ours: what happens to fires the job missed (default `reschedule`). */
  missedFires: MissedFiresSchema.optional(),
}

/** `cron.add` params: a job without id, state and timestamps. */
export const JobInputSchema = z.strictObject(JobFields)
export type JobInput = z.output<typeof JobInputSchema>

/** `cron.update`'s `patch`: any job field; `null` clears an optional one. */
export const JobPatchSchema = z.strictObject({
  name: JobFields.name.optional(),
  description: JobFields.description.nullable(),
  enabled: JobFields.enabled,
  deleteAfterRun: JobFields.deleteAfterRun.nullable(),
  agentId: JobFields.agentId,
  sessionKey: JobFields.sessionKey.nullable(),
  schedule: ScheduleInputSchema.optional(),
  sessionTarget: JobFields.sessionTarget,
  wakeMode: JobFields.wakeMode,
  payload: z.union([PayloadSchema, z.looseObject({ kind: z.enum(['systemEvent', 'agentTurn']).optional() })]).optional(),
  delivery: DeliverySchema.partial().nullable().optional(),
  failureAlert: JobFields.failureAlert.nullable(),
  missedFires: MissedFiresSchema.nullable().optional(),
})
export type JobPatch = z.output<typeof JobPatchSchema>

/** A job's runtime state, as OpenClaw reports it. */
export interface CronJobState {
  nextRunAtMs?: number
  runningAtMs?: number
  lastRunAtMs?: number
  lastRunStatus?: 'ok' | 'error' | 'skipped'
  lastError?: string
  lastErrorReason?: string
  lastDurationMs?: number
  consecutiveErrors: number
  consecutiveSkipped: number
  lastDelivered?: boolean
  lastDeliveryStatus?: 'delivered' | 'not-delivered' | 'unknown' | 'not-requested'
  autoDisabled?: { reason: string; atMs: number }
  /** When the last failure alert was sent (OpenClaw's field); the cooldown counts from it. */
  lastFailureAlertAtMs?: number
  /** The failure going on (cleared by a success); its signature once an alert went out for it. */
  failureAlertIncident?: FailureAlertIncident
}

/** A stored job, as `cron.get` answers it. */
export interface CronJob {
  readonly id: string
  readonly name: string
  readonly description?: string
  readonly enabled: boolean
  readonly deleteAfterRun?: boolean
  readonly agentId: string
  readonly sessionKey?: string
  readonly createdAtMs: number
  readonly updatedAtMs: number
  readonly schedule: CronSchedule
  readonly sessionTarget: string
  readonly wakeMode: 'now' | 'next-heartbeat'
  readonly payload: CronPayload | { readonly kind: 'heartbeat' }
  readonly delivery?: CronDelivery
  readonly failureAlert?: false | JobFailureAlert
  readonly missedFires?: MissedFirePolicy
  /** True for the system-owned heartbeat jobs. */
  readonly system?: boolean
  readonly state: CronJobState
}

/** A job's definition: everything but its id, timestamps and state. */
export type CronJobSpec = Omit<CronJob, 'id' | 'createdAtMs' | 'updatedAtMs' | 'state' | 'enabled'>
