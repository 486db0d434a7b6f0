import { createError } from '@openclaw/plugin-sdk'

// Every code the scheduler plugin (`cron`) throws. Each key equals its code. Retired codes are never
// reused; list them here when one goes:
// (none retired yet)

/** A job, schedule, payload or patch the scheduler refuses (RPC `INVALID_REQUEST`). */
export const CRON_ERR_INVALID_JOB = createError<'CRON_ERR_INVALID_JOB', [reason: string]>(
  'CRON_ERR_INVALID_JOB', 'invalid job: %s', 400)
/** A cron expression croner cannot parse, or a time zone `Intl` does not know. */
export const CRON_ERR_INVALID_SCHEDULE = createError<'CRON_ERR_INVALID_SCHEDULE', [reason: string]>(
  'CRON_ERR_INVALID_SCHEDULE', 'invalid schedule: %s', 400)
/** `cron.get/update/remove/run/runs` named a job id that does not exist (RPC `INVALID_REQUEST`, with OpenClaw's message, which its CLI reads). */
export const CRON_ERR_JOB_NOT_FOUND = createError<'CRON_ERR_JOB_NOT_FOUND', [id: string]>(
  'CRON_ERR_JOB_NOT_FOUND', 'cron job not found: %s', 400)
/** A change to a system-owned job (the heartbeat): edit `agents.*.heartbeat` instead. */
export const CRON_ERR_SYSTEM_JOB = createError<'CRON_ERR_SYSTEM_JOB', [id: string]>(
  'CRON_ERR_SYSTEM_JOB', "job '%s' is system-owned (a heartbeat): change agents.*.heartbeat in the config instead", 400)
/** A webhook delivery target the SSRF guard refuses: not http(s), or a private, loopback or link-local address. */
export const CRON_ERR_WEBHOOK_BLOCKED = createError<'CRON_ERR_WEBHOOK_BLOCKED', [url: string, reason: string]>(
  'CRON_ERR_WEBHOOK_BLOCKED', "webhook target '%s' is blocked: %s (allow its host in cron.webhookSsrfPolicy.allowedHostnames)", 400)
/** A run that did not finish within its budget (`payload.timeoutSeconds`, else 60 minutes). */
export const CRON_ERR_RUN_TIMEOUT = createError<'CRON_ERR_RUN_TIMEOUT', [ms: number]>(
  'CRON_ERR_RUN_TIMEOUT', 'the run did not finish within %d ms', 504)
/** A run whose gateway died (or lost its lease) before it finished; it is not run again. */
export const CRON_ERR_RUN_INTERRUPTED = createError<'CRON_ERR_RUN_INTERRUPTED'>(
  'CRON_ERR_RUN_INTERRUPTED', 'the run was interrupted: its gateway stopped or died before it finished')
/** A due job moved while its fire was being claimed (another ticker got there first); the batch is retried. */
export const CRON_ERR_FIRE_RACE = createError<'CRON_ERR_FIRE_RACE', [id: string]>(
  'CRON_ERR_FIRE_RACE', "job '%s' moved while its fire was being claimed", 409)
