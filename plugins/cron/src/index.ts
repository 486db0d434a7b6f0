// @openclaw/plugin-cron: scheduled jobs and the heartbeat. Jobs, their state and run history live in
// the store; each fire is claimed there under (job, scheduled time) before it runs. Explicit names only.
import { randomUUID } from 'node:crypto'
import { definePlugin, type PluginApi, type PluginDefinition, Tokens } from '@openclaw/plugin-sdk'
import { CronConfigSchema, type CronConfig } from './cron-config.js'
import { createCronMethods } from './cron-methods.js'
import { CronScheduler } from './cron-scheduler.js'
import { CronService } from './cron-service.js'
import { CronStore } from './cron-store.js'
import { createRunSessionPruner, sessionRetentionMs } from './prune-run-sessions.js'
import { FailureAlertSender } from './failure-alert-sender.js'
import { Heartbeat } from './heartbeat.js'
import { createRunExecutor, jobSessionKey } from './run-job.js'
import { createWakeService } from './wake-service.js'

const PLUGIN_NAME = 'cron'

/** A factory: each call makes a fresh plugin, so gateways in one process share nothing. */
export default function cron(): PluginDefinition<CronConfig> {
  let scheduler: CronScheduler | undefined
  let service: CronService | undefined
  let ticker: ReturnType<PluginApi<unknown>['cluster']['singleton']> | undefined
  return definePlugin<CronConfig>({
    id: PLUGIN_NAME,
    version: '1.0.0',
    name: 'Scheduler',
    description: 'Scheduled jobs (at, every, cron with tz) and the per-agent heartbeat; cron.* RPC methods',
    kind: 'surface',
    apiVersion: '^2.0.0',
    configKey: 'cron',
    config: CronConfigSchema,
    register(api) {
      const config = api.config
      const clock = api.services.resolve(Tokens.Clock)
      const now = () => clock.now()
      const store = new CronStore(api.store)
      const deliveryDeps = { gateway: api.gateway, webhookToken: config.webhookToken, webhookPolicy: config.webhookSsrfPolicy, webhookTimeoutMs: 10_000 }
      const heartbeat = new Heartbeat({ ...deliveryDeps, store, log: api.log, now })
      const retentionMs = sessionRetentionMs(config.sessionRetention)
      const alerts = new FailureAlertSender({
        ...deliveryDeps, store, log: api.log, now, global: config.failureAlert, claimMs: config.leaseMs,
        sessionKeyOf: (job) => jobSessionKey(api.gateway, job),
      })
      scheduler = new CronScheduler(
        {
          store,
          clock,
          log: api.log,
          owner: randomUUID(),
          // Leases decide when another holder's run is dead, on every topology (two gateways may share one SQLite file).
          soleOwner: false,
          alerts,
          ...(retentionMs !== undefined ? { pruneSessions: createRunSessionPruner({ gateway: api.gateway, store, retentionMs }) } : {}),
          execute: createRunExecutor({ ...deliveryDeps, store, heartbeat, log: api.log, now }),
        },
        {
          missedFireGraceMs: config.missedFireGraceMs,
          catchUpDelayMs: config.catchUpDelayMs,
          leaseMs: config.leaseMs,
          // With replicas, a job added or changed on another replica reaches the ticker by the store alone.
          maxSleepMs: api.cluster.mode === 'postgres' ? Math.min(config.maxSleepMs, config.clusterPollMs) : config.maxSleepMs,
          batchSize: 1000,
          defaultTimeoutMs: config.defaultTimeoutMs,
          retention: { maxAgeMs: config.runRetention.maxAgeMs, maxRunsPerJob: config.runRetention.maxRunsPerJob, everyMs: 3_600_000 },
        },
      )
      service = new CronService({ store, scheduler, gateway: api.gateway, heartbeat, log: api.log, now, enabled: config.enabled })
      // Alerts decided while the gateway stops are left to the next sweep, not sent to a stopped delivery worker.
      api.hooks.gatewayStop.tap(PLUGIN_NAME, () => alerts.stopSending())
      for (const method of createCronMethods(service)) api.rpc.method(method)
      api.services.registerInstance(Tokens.Wake, createWakeService({ gateway: api.gateway, store, heartbeat, log: api.log, now }))
      api.services.expose(Tokens.Wake)
    },
    async start(api) {
      await new CronStore(api.store).migrate()
      await service!.syncHeartbeats()
      // Runs started here (by the ticker or by `cron.run`) renew their leases here, ticker or not.
      scheduler!.open()
      if (!api.config.enabled) {
        api.log.warn('cron.enabled is false: jobs are kept but nothing fires (heartbeats included)')
        return
      }
      // The ticker runs on one replica (a cluster singleton: another takes over when it dies); claims in
      // the store still make each fire run at most once, should two tickers ever overlap.
      ticker = api.cluster.singleton('ticker', async () => {
        await scheduler!.start()
        const status = await service!.status()
        api.log.info({ jobs: status.jobs, enabled: status.enabledJobs }, `scheduler started: ${status.enabledJobs} enabled job(s)`)
        // Losing the lead stops the ticking only: runs going on here finish here.
        return () => scheduler!.stop()
      })
    },
    async stop() {
      await ticker?.stop()
      await scheduler?.close()
    },
  })
}

export { PLUGIN_NAME }
export { CronConfigSchema } from './cron-config.js'
export { JobInputSchema, JobPatchSchema } from './cron-job.js'
export { parseDuration } from './parse-duration.js'
export {
  CRON_ERR_INVALID_JOB,
  CRON_ERR_INVALID_SCHEDULE,
  CRON_ERR_JOB_NOT_FOUND,
  CRON_ERR_SYSTEM_JOB,
  CRON_ERR_WEBHOOK_BLOCKED,
  CRON_ERR_RUN_TIMEOUT,
  CRON_ERR_RUN_INTERRUPTED,
  CRON_ERR_FIRE_RACE,
} from './errors.js'

export type { CronConfig, CronConfigInput } from './cron-config.js'
export type { CronJob, CronJobState, JobInput, JobPatch } from './cron-job.js'
export type { CronRun } from './cron-store.js'
export type { CronSchedule } from './schedule.js'
export type { MissedFirePolicy } from './plan-fire.js'
