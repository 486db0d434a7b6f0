import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import type { RpcMethodDeps } from './rpc-method-deps.js'

/** Extra fields are allowed, as in OpenClaw's own `wake`. */
const WakeParams = z.looseObject({
  text: z.string().min(1).max(100_000),
  /** `next-heartbeat` queues the text for the agent's next heartbeat (with the `cron` plugin; without it, it runs now too). */
  mode: z.enum(['now', 'next-heartbeat']).default('now'),
  sessionKey: z.string().min(1).max(512).optional(),
  agentId: z.string().min(1).max(64).optional(),
})

const SYSTEM_EVENT_INSTRUCTIONS = 'This turn is a system event (a wake-up), not a message from a user.'

/**
 * `wake {text, mode?}`: a system event into the agent's main session (`agent:main:main` by
 * default). With the scheduler (`cron`) loaded it is queued for the heartbeat: `now` runs a heartbeat
 * at once, `next-heartbeat` waits for the next one. Without it, the agent runs on the text now.
 * Answers `{ ok, mode, runId?, sessionKey }` without waiting for the run.
 */
export function createWakeMethod(deps: RpcMethodDeps): RpcMethodDefinition<z.output<typeof WakeParams>, object> {
  return {
    name: 'wake',
    description: 'Wake the agent with a system event in its main session',
    params: WakeParams,
    async handler(params, ctx) {
      const service = deps.wakeService()
      if (service) {
        const woke = await service.wake({ text: params.text, mode: params.mode, source: 'rpc', ...(params.agentId ? { agentId: params.agentId } : {}), ...(params.sessionKey ? { sessionKey: params.sessionKey } : {}) })
        return { ok: true, mode: params.mode, sessionKey: woke.sessionKey, ...(woke.runId ? { runId: woke.runId } : {}) }
      }
      const { broadcast } = await deps.tracker.begin({
        message: params.text,
        instructions: SYSTEM_EVENT_INSTRUCTIONS,
        ...(params.agentId ? { agentId: params.agentId } : {}),
        ...(params.sessionKey ? { sessionKey: params.sessionKey } : {}),
        origin: { channel: 'system', peer: ctx.client.id },
      })
      // Nobody subscribes: following the run just releases it when it ends.
      broadcast.start()
      return { ok: true, mode: params.mode, runId: broadcast.runId, sessionKey: broadcast.sessionKey }
    },
  }
}
