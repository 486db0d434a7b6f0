import type { AgentRunOptions, GatewayRuntime, Logger } from '@openclaw/plugin-sdk'

/**
 * Start an agent run for a webhook and return its run id at once, leaving the run to go on in the
 * background (queued behind the session's running run if there is one). Bad input and a full
 * session queue reject with the runtime's coded errors (400 / 429); a run that later fails is logged.
 */
export async function startHookRun(gateway: GatewayRuntime, options: AgentRunOptions, log: Logger): Promise<string> {
  const run = await gateway.agent.start(options)
  void run.result.then(
    (result) => {
      if (result.status === 'ok') log.debug({ runId: result.runId }, 'webhook run finished')
      else log.warn({ runId: result.runId, sessionKey: result.sessionKey, status: result.status, code: result.error?.code }, `webhook run ${result.runId} ended with status ${result.status}: ${result.error?.message ?? 'no detail'}`)
    },
    (err: unknown) => log.error({ runId: run.runId, err }, `webhook run ${run.runId} failed`),
  )
  return run.runId
}
