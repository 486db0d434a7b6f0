import { z } from 'zod'
import { GlobalFailureAlertSchema } from './failure-alert.js'
import { parseDuration } from './parse-duration.js'

const DAY = 86_400_000

/**
 * The `cron` section. OpenClaw's keys (`enabled`, `webhookToken`, `webhookSsrfPolicy`,
 * `sessionRetention`, `failureAlert`, `triggers`) plus ours for the missed-fire policy, leases and
 * run retention.
 */
export const CronConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  webhookToken: z.string().min(1).optional(),
  webhookSsrfPolicy: z.strictObject({ allowedHostnames: z.array(z.string().min(1)).default([]) }).default({ allowedHostnames: [] }),
  /**
   * How long an isolated run session (`agent:<id>:cron:<jobId>`) is kept after it was last used before
   * the ticker deletes it; `false` or a zero duration (`"0h"`) keeps them. OpenClaw's default `24h`.
   */
  sessionRetention: z.union([
    z.string().refine((v) => parseDuration(v) !== undefined, 'expected a duration such as 24h, 30m or 0h (negative durations are invalid), or false'),
    z.literal(false),
  ]).default('24h'),
  /** The global failure-alert policy and its default destination (see failure-alert.ts). */
  failureAlert: GlobalFailureAlertSchema.optional(),
  triggers: z.looseObject({}).optional(),
  /** How late a fire may start and still run as scheduled; later ones follow the job's missed-fire policy. */
  missedFireGraceMs: z.number().int().min(0).max(DAY).default(60_000),
  /** `reschedule`: how long after missed fires are noticed (at start, after a clock jump) the one catch-up run starts. */
  catchUpDelayMs: z.number().int().min(0).max(DAY).default(10_000),
  /** How long a run's claim lasts without renewal; a dead replica's runs are interrupted after it. */
  leaseMs: z.number().int().min(1000).max(DAY).default(60_000),
  /** The ticker wakes at least this often, so a wall-clock jump is noticed within it. */
  maxSleepMs: z.number().int().min(100).max(3_600_000).default(60_000),
  /**
   * With replicas on PostgreSQL, the ticker wakes at least this often, so a job added or changed
   * through another replica fires on time (there, `cron.add` cannot wake the ticker directly).
   */
  clusterPollMs: z.number().int().min(100).max(3_600_000).default(1000),
  /** A run without `timeoutSeconds` is stopped after this long (OpenClaw's 60-minute watchdog). */
  defaultTimeoutMs: z.number().int().min(1000).max(7 * DAY).default(3_600_000),
  runRetention: z.strictObject({
    maxAgeMs: z.number().int().min(60_000).default(7 * DAY),
    maxRunsPerJob: z.number().int().min(1).default(2000),
  }).default({ maxAgeMs: 7 * DAY, maxRunsPerJob: 2000 }),
})
export type CronConfig = z.output<typeof CronConfigSchema>
export type CronConfigInput = z.input<typeof CronConfigSchema>
