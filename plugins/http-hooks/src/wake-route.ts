import type { GatewayRuntime, HttpRouteDefinition, Logger } from '@openclaw/plugin-sdk'
import { WakeRequestSchema } from './hook-requests.js'
import { formatHookError, replyCodedError, replyError, replyInvalidBody } from './hook-reply.js'
import { resolveHookTarget } from './hook-target.js'
import type { HttpHooksConfig } from './http-hooks-config.js'
import type { WakeEventStore } from './wake-event-store.js'

export interface WakeRouteOptions {
  readonly path: string
  readonly config: HttpHooksConfig
  readonly gateway: GatewayRuntime
  readonly wakeEvents: WakeEventStore
  readonly log: Logger
  readonly now: () => number
  /** The scheduler's wake (`Tokens.Wake`), when the `cron` plugin is loaded. */
  readonly wakeService: () => WakeService | undefined
}

type WakeService = { wake(request: { text: string; mode: 'now' | 'next-heartbeat'; agentId?: string; sessionKey?: string; source: string }): Promise<unknown> }

/**
 * `POST <hooks.path>/wake { text, mode? }`: a system event for the agent's main session. With the
 * scheduler (`cron`) loaded, it is queued for the agent's heartbeat: `next-heartbeat` waits for the
 * next one, `now` runs one at once. Without it, `now` runs the agent on the text in the background
 * and `next-heartbeat` only records it (nothing reads it).
 */
export function createWakeRoute({ path, config, gateway, wakeEvents, log, now, wakeService }: WakeRouteOptions): HttpRouteDefinition {
  return {
    method: 'POST',
    path,
    auth: 'hooks',
    bodyLimit: config.maxBodyBytes,
    formatError: formatHookError,
    async handler(request, reply) {
      const parsed = WakeRequestSchema.safeParse(request.body ?? {})
      if (!parsed.success) return replyInvalidBody(reply, parsed.error)
      const { text, mode, agentId, sessionKey } = parsed.data
      if (sessionKey !== undefined && mode !== 'now') return replyError(reply, 400, "sessionKey needs mode 'now'")
      let target
      try {
        target = resolveHookTarget(gateway, config, { agentId, sessionKey, fallback: 'main' })
      } catch (err) {
        return replyCodedError(reply, err)
      }
      const service = wakeService()
      if (service) {
        try {
          await service.wake({ text, mode, agentId: target.agentId, sessionKey: target.sessionKey, source: 'hooks' })
        } catch (err) {
          return replyCodedError(reply, err)
        }
        return reply.send({ ok: true, mode })
      }
      if (mode === 'next-heartbeat') {
        const dropped = await wakeEvents.record({ agentId: target.agentId, sessionKey: target.sessionKey, text, createdAt: now() }, config.maxPendingWakeEvents)
        if (dropped > 0) log.warn({ sessionKey: target.sessionKey, dropped, limit: config.maxPendingWakeEvents }, `dropped the oldest next-heartbeat wake event of ${target.sessionKey} (hooks.maxPendingWakeEvents)`)
        return reply.send({ ok: true, mode })
      }
      gateway.agent
        .run({ agentId: target.agentId, sessionKey: target.sessionKey, message: text, origin: { channel: 'hooks', peer: 'wake' } })
        .then((result) => {
          if (result.status !== 'ok') log.warn({ runId: result.runId, status: result.status, code: result.error?.code }, `wake run ${result.runId} ended with status ${result.status}`)
        })
        .catch((err: unknown) => log.error({ err }, 'wake run could not start'))
      return reply.send({ ok: true, mode })
    },
  }
}
