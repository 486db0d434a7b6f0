import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { RPC_ERR_RUN_UNKNOWN } from './errors.js'
import type { RpcMethodDeps } from './rpc-method-deps.js'
import { RunPayloads } from './run-payloads.js'

const DEFAULT_WAIT_MS = 30_000
/** The wait ends this much before the method timeout, so the client gets `status: 'timeout'`, not an error. */
const TIMEOUT_MARGIN_MS = 50

const AgentWaitParams = z.strictObject({
  /** The `runId` of an `agent`/`chat.send` answer (the idempotency key), or a kernel run id. */
  runId: z.string().min(1).max(256),
  timeoutMs: z.number().int().min(0).max(24 * 60 * 60 * 1000).optional(),
})

const TIMED_OUT = Symbol('timed out')

/**
 * `agent.wait {runId, timeoutMs?=30000}` → `{ runId, status: 'ok'|'error'|'timeout', … }`. Waits
 * only: the run goes on after a `timeout` answer. An unknown run id is `INVALID_REQUEST` (`details.code: RPC_ERR_RUN_UNKNOWN`).
 */
export function createAgentWaitMethod(deps: RpcMethodDeps): RpcMethodDefinition<z.output<typeof AgentWaitParams>, object> {
  return {
    name: 'agent.wait',
    description: 'Wait for a run to finish (does not stop it)',
    params: AgentWaitParams,
    async handler({ runId, timeoutMs = DEFAULT_WAIT_MS }) {
      const waitMs = Math.max(0, Math.min(timeoutMs, deps.config.methodTimeoutMs - TIMEOUT_MARGIN_MS))
      const result = deps.gateway.agent.wait(deps.tracker.kernelRunId(runId))
      let timer: NodeJS.Timeout | undefined
      const outcome = await Promise.race([
        result,
        new Promise<typeof TIMED_OUT>((resolve) => {
          timer = setTimeout(() => resolve(TIMED_OUT), waitMs)
        }),
      ]).finally(() => clearTimeout(timer))
      if (outcome === TIMED_OUT) return { runId, status: 'timeout', timeoutPhase: 'wait' }
      if (outcome === undefined) throw new RPC_ERR_RUN_UNKNOWN(runId)
      return RunPayloads.wait(runId, outcome)
    },
  }
}
