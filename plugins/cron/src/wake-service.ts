import type { GatewayRuntime, Logger } from '@openclaw/plugin-sdk'
import type { CronStore } from './cron-store.js'
import type { Heartbeat } from './heartbeat.js'

type WakeRequest = { text: string; mode: 'now' | 'next-heartbeat'; agentId?: string; sessionKey?: string; source: string }
type WakeResult = { mode: 'now' | 'next-heartbeat'; agentId: string; sessionKey: string; runId?: string }

/**
 * `Tokens.Wake`: a wake queues its text as a system event for the session (the agent's main one by
 * default); `now` then runs a heartbeat at once, which takes it with anything else queued.
 */
export function createWakeService(deps: { gateway: GatewayRuntime; store: CronStore; heartbeat: Heartbeat; log: Logger; now: () => number }) {
  return {
    async wake(request: WakeRequest): Promise<WakeResult> {
      const { agentId, sessionKey } = deps.gateway.agent.resolveSessionKey({
        ...(request.agentId ? { agentId: request.agentId } : {}),
        ...(request.sessionKey ? { sessionKey: request.sessionKey } : {}),
      })
      await deps.store.enqueueEvent({ agentId, sessionKey, text: request.text, source: request.source, createdAtMs: deps.now() })
      if (request.mode === 'next-heartbeat') return { mode: request.mode, agentId, sessionKey }
      const started = await deps.heartbeat.start(agentId, { sessionKey })
      started.outcome
        .then((outcome) => {
          if (outcome.status !== 'ok') deps.log.warn({ runId: started.runId, error: outcome.error }, `wake heartbeat ${started.runId} failed: ${outcome.error}`)
        })
        .catch((err: unknown) => deps.log.error({ err }, 'wake heartbeat failed'))
      return { mode: request.mode, agentId, sessionKey, runId: started.runId }
    },
  }
}
