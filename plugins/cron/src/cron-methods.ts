import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { JobInputSchema, JobPatchSchema } from './cron-job.js'
import type { CronService } from './cron-service.js'
import { CRON_ERR_INVALID_JOB } from './errors.js'

// OpenClaw's cron.* methods (reference §4.3), with its params and answers.

const JobRef = { id: z.string().min(1).max(200).optional(), jobId: z.string().min(1).max(200).optional() }

function jobIdOf(params: { id?: string | undefined; jobId?: string | undefined }): string {
  const id = params.id ?? params.jobId
  if (id === undefined) throw new CRON_ERR_INVALID_JOB('give id (or jobId)')
  return id
}

const ListParams = z.strictObject({
  includeDisabled: z.boolean().optional(),
  limit: z.number().int().min(1).max(200).optional(),
  offset: z.number().int().min(0).optional(),
  query: z.string().max(200).optional(),
  enabled: z.enum(['all', 'enabled', 'disabled']).optional(),
  scheduleKind: z.enum(['at', 'every', 'cron']).optional(),
  lastRunStatus: z.enum(['ok', 'error', 'skipped']).optional(),
  sortBy: z.enum(['nextRunAtMs', 'updatedAtMs', 'name']).optional(),
  sortDir: z.enum(['asc', 'desc']).optional(),
  agentId: z.string().max(64).optional(),
  compact: z.boolean().optional(),
})

const RunsParams = z.strictObject({
  scope: z.enum(['job', 'all']).optional(),
  ...JobRef,
  runId: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).optional(),
  offset: z.number().int().min(0).optional(),
  statuses: z.array(z.enum(['running', 'ok', 'error', 'skipped'])).max(4).optional(),
  status: z.enum(['running', 'ok', 'error', 'skipped']).optional(),
  deliveryStatuses: z.array(z.string().max(32)).max(8).optional(),
  query: z.string().max(200).optional(),
  sortDir: z.enum(['asc', 'desc']).optional(),
})

/** Every `cron.*` method, over `service`. */
export function createCronMethods(service: CronService): RpcMethodDefinition<never, unknown>[] {
  const methods = [
    { name: 'cron.list', description: 'List scheduled jobs', params: ListParams, handler: (p: z.output<typeof ListParams>) => service.list(p) },
    { name: 'cron.status', description: 'The scheduler: jobs, runs going, next wake', params: z.strictObject({}), handler: () => service.status() },
    { name: 'cron.get', description: 'One job, with its state', params: z.strictObject(JobRef), handler: (p: { id?: string; jobId?: string }) => service.get(jobIdOf(p)) },
    { name: 'cron.add', description: 'Add a job', params: JobInputSchema, handler: (p: z.output<typeof JobInputSchema>) => service.add(p) },
    {
      name: 'cron.update',
      description: 'Change a job (null clears a field)',
      params: z.strictObject({ ...JobRef, patch: JobPatchSchema }),
      handler: (p: { id?: string; jobId?: string; patch: z.output<typeof JobPatchSchema> }) => service.update(jobIdOf(p), p.patch),
    },
    { name: 'cron.remove', description: 'Remove a job', params: z.strictObject(JobRef), handler: (p: { id?: string; jobId?: string }) => service.remove(jobIdOf(p)) },
    {
      name: 'cron.run',
      description: 'Run a job now (force) or if it is due; enqueue only',
      params: z.strictObject({ ...JobRef, mode: z.enum(['force', 'due']).default('force') }),
      handler: (p: { id?: string; jobId?: string; mode: 'force' | 'due' }) => service.run(jobIdOf(p), p.mode),
    },
    {
      name: 'cron.runs',
      description: 'Run history, newest first',
      params: RunsParams,
      handler: (p: z.output<typeof RunsParams>) => {
        const id = p.id ?? p.jobId
        if ((p.scope ?? (id ? 'job' : 'all')) === 'job' && id === undefined) throw new CRON_ERR_INVALID_JOB("scope 'job' needs id (or jobId)")
        const statuses = p.statuses ?? (p.status ? [p.status] : undefined)
        return service.runs({
          ...(p.scope !== 'all' && id !== undefined ? { jobId: id } : {}),
          ...(p.runId !== undefined ? { runId: p.runId } : {}),
          ...(statuses ? { statuses } : {}),
          limit: p.limit ?? 50,
          offset: p.offset ?? 0,
          sortDir: p.sortDir ?? 'desc',
        })
      },
    },
  ]
  return methods as unknown as RpcMethodDefinition<never, unknown>[]
}
