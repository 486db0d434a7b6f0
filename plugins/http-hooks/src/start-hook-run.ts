import type { AgentEvent, AgentRunOptions, GatewayRuntime, Logger } from '@openclaw/plugin-sdk'
import { HOOKS_ERR_ADMISSION_TIMEOUT, HOOKS_ERR_RUN_NOT_STARTED } from './errors.js'

/** How long a webhook waits for the agent to take its run (a busy session queues it), as OpenClaw does. */
export const ADMISSION_TIMEOUT_MS = 15_000

/** Follow a run to its end in the background, logging a failure. */
async function follow(events: AsyncIterator<AgentEvent>, runId: string, log: Logger): Promise<void> {
  try {
    for (;;) {
      const step = await events.next()
      if (step.done) return
      const event = step.value
      if (event.type === 'lifecycle' && event.phase === 'error') {
        const { status, error, sessionKey } = event.result
        log.warn({ runId, sessionKey, status, code: error?.code }, `webhook run ${runId} ended with status ${status}: ${error?.message ?? 'no detail'}`)
      } else if (event.type === 'lifecycle' && event.phase === 'end') {
        log.debug({ runId }, 'webhook run finished')
      }
    }
  } catch (err) {
    log.error({ runId, err }, `webhook run ${runId} failed`)
  }
}

/**
 * Start an agent run for a webhook and resolve with its run id as soon as the agent has taken it,
 * leaving the run to go on in the background. Bad input rejects with the runtime's coded error
 * (400s); a run still queued after `admissionTimeoutMs` is cancelled and rejects with
 * `HOOKS_ERR_ADMISSION_TIMEOUT`.
 */
export async function startHookRun(
  gateway: GatewayRuntime,
  options: AgentRunOptions,
  log: Logger,
  admissionTimeoutMs: number = ADMISSION_TIMEOUT_MS,
): Promise<string> {
  const admission = new AbortController()
  const events = gateway.agent.stream({ ...options, signal: admission.signal })[Symbol.asyncIterator]()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), admissionTimeoutMs)
  })
  const first = await Promise.race([events.next(), timeout]).finally(() => clearTimeout(timer))
  if (first === 'timeout') {
    const err = new HOOKS_ERR_ADMISSION_TIMEOUT(Math.round(admissionTimeoutMs / 1000))
    admission.abort(err)
    void follow(events, 'unadmitted', log)
    throw err
  }
  if (first.done) throw new HOOKS_ERR_RUN_NOT_STARTED()
  // `lifecycle:start`, or the stored end of an earlier run with the same idempotency key.
  const runId = first.value.runId
  void follow(events, runId, log)
  return runId
}
