import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { RPC_ERR_RUN_SESSION_MISMATCH } from './errors.js'
import type { RpcMethodDeps } from './rpc-method-deps.js'

const ChatAbortParams = z.strictObject({
  sessionKey: z.string().min(1).max(512),
  agentId: z.string().min(1).max(64).optional(),
  /** Only this run (its idempotency key or kernel id); default: every run of the session. */
  runId: z.string().min(1).max(256).optional(),
})

/**
 * `chat.abort {sessionKey, runId?}` → `{ ok, aborted, runIds }`. Aborted runs end with a `chat`
 * `aborted` event (and an `agent` final answer with `summary: 'aborted'`).
 */
export function createChatAbortMethod(deps: RpcMethodDeps): RpcMethodDefinition<z.output<typeof ChatAbortParams>, object> {
  const { gateway, tracker } = deps
  return {
    name: 'chat.abort',
    description: "Abort a session's running turn(s)",
    params: ChatAbortParams,
    async handler(params) {
      const { sessionKey } = gateway.agent.resolveSessionKey({ sessionKey: params.sessionKey, ...(params.agentId ? { agentId: params.agentId } : {}) })
      const runIds: string[] = []
      if (params.runId !== undefined) {
        const followed = tracker.active(params.runId)
        if (followed && followed.sessionKey !== sessionKey) throw new RPC_ERR_RUN_SESSION_MISMATCH(params.runId, sessionKey)
        if (await gateway.agent.abort(tracker.kernelRunId(params.runId))) runIds.push(params.runId)
      } else {
        for (const run of tracker.activeInSession(sessionKey)) if (await gateway.agent.abort(run.kernelRunId)) runIds.push(run.runId)
      }
      return { ok: true, aborted: runIds.length > 0, runIds }
    },
  }
}
