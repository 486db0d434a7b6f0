import type { GatewayRuntime } from '@openclaw/plugin-sdk'
import type { CronStore } from './cron-store.js'
import { parseDuration } from './parse-duration.js'
import { jobSessionKey } from './run-job.js'

/** OpenClaw's default `cron.sessionRetention`. */
export const DEFAULT_SESSION_RETENTION = '24h'

/** `cron.sessionRetention` in ms: `undefined` when pruning is off (`false`, or a zero duration such as `"0h"`). */
export function sessionRetentionMs(value: string | false): number | undefined {
  if (value === false) return undefined
  const ms = parseDuration(value)
  return ms !== undefined && ms > 0 ? ms : undefined
}

export interface RunSessionPrunerDeps {
  readonly gateway: GatewayRuntime
  readonly store: CronStore
  readonly retentionMs: number
}

/**
 * `cron.sessionRetention`: delete isolated run sessions (`agent:<agentId>:cron:<jobId>`, whose
 * transcript is reset before each run) not touched for longer than the retention, those of deleted
 * jobs included. A session a job is running in, and one a job names as its own (`session:cron:…`),
 * stay. Run by the ticker (one replica), with the run-history pruning. Returns how many went.
 */
export function createRunSessionPruner(deps: RunSessionPrunerDeps): (nowMs: number) => Promise<number> {
  return async (nowMs) => {
    const { gateway, store } = deps
    const keep = new Set<string>()
    for (const { job } of await store.listJobs()) {
      // A running job's isolated session, and any session a job targets by name.
      if (job.sessionTarget !== 'isolated' || job.state.runningAtMs !== undefined) {
        try {
          keep.add(jobSessionKey(gateway, job))
        } catch {
          // An agent that is no longer configured: its sessions are not listed below either.
        }
      }
    }
    const cutoff = nowMs - deps.retentionMs
    let removed = 0
    for (const agentId of gateway.agent.agentIds()) {
      const prefix = gateway.agent.resolveSessionKey({ agentId, sessionKey: 'cron:' }).sessionKey
      let cursor: string | undefined
      do {
        const page = await gateway.sessions.list({ prefix, limit: 200, ...(cursor ? { cursor } : {}) })
        for (const session of page.items) {
          if (session.updatedAt < cutoff && !keep.has(session.key) && (await gateway.sessions.delete(session.key))) removed++
        }
        cursor = page.nextCursor
      } while (cursor)
    }
    return removed
  }
}
