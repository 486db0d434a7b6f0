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
    const cutoff = nowMs - deps.retentionMs
    const old: string[] = []
    for (const agentId of gateway.agent.agentIds()) {
      const prefix = gateway.agent.resolveSessionKey({ agentId, sessionKey: 'cron:' }).sessionKey
      let cursor: string | undefined
      do {
        const page = await gateway.sessions.list({ prefix, limit: 200, ...(cursor ? { cursor } : {}) })
        for (const session of page.items) if (session.updatedAt < cutoff) old.push(session.key)
        cursor = page.nextCursor
      } while (cursor)
    }
    if (old.length === 0) return 0
    // Kept: the session of a job running now, and any session a job names (`session:cron:…`).
    const keep = new Set<string>()
    for (const { job } of await store.listSessionHolders()) {
      try {
        keep.add(jobSessionKey(gateway, job))
      } catch {
        // An agent that is no longer configured: its sessions were not listed above either.
      }
    }
    let removed = 0
    for (const key of old) if (!keep.has(key) && (await gateway.sessions.delete(key))) removed++
    return removed
  }
}
