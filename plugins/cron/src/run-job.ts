import type { GatewayRuntime, Logger } from '@openclaw/plugin-sdk'
import type { CronJob } from './cron-job.js'
import type { CronStore } from './cron-store.js'
import type { RunExecutor, RunOutcome, RunRequest } from './cron-scheduler.js'
import { deliverReply, type DeliverReplyDeps } from './deliver-reply.js'
import type { Heartbeat } from './heartbeat.js'

export interface RunJobDeps extends DeliverReplyDeps {
  readonly store: CronStore
  readonly heartbeat: Heartbeat
  readonly log: Logger
  readonly now: () => number
}

/** The session a job's agent turn runs in: main, `cron:<jobId>` (isolated), or the one it names. */
export function jobSessionKey(gateway: GatewayRuntime, job: CronJob): string {
  const target = job.sessionTarget
  const rest = target === 'main' ? 'main' : target === 'isolated' ? `cron:${job.id}` : target.startsWith('session:') ? target.slice('session:'.length) : job.sessionKey ?? 'main'
  return gateway.agent.resolveSessionKey({ agentId: job.agentId, sessionKey: rest }).sessionKey
}

/** Runs a job's payload: a system event (queued, and a heartbeat now if `wakeMode: now`), an agent turn, or a heartbeat. */
export function createRunExecutor(deps: RunJobDeps): RunExecutor {
  const { gateway } = deps
  async function heartbeat(job: CronJob, request: RunRequest): Promise<RunOutcome> {
    const started = await deps.heartbeat.start(job.agentId, { signal: request.signal, timeoutMs: request.timeoutMs, runKey: `cron:${job.id}:${request.runId}` })
    return started.outcome
  }
  async function systemEvent(job: CronJob, text: string, request: RunRequest): Promise<RunOutcome> {
    const sessionKey = jobSessionKey(gateway, job)
    await deps.store.enqueueEvent({ agentId: job.agentId, sessionKey, text, source: `cron:${job.id}`, createdAtMs: deps.now() })
    if (job.wakeMode === 'next-heartbeat') return { status: 'ok', summary: 'system event queued for the next heartbeat', sessionKey, deliveryStatus: 'not-requested' }
    return heartbeat(job, request)
  }
  async function agentTurn(job: CronJob, payload: Extract<CronJob['payload'], { kind: 'agentTurn' }>, request: RunRequest): Promise<RunOutcome> {
    const sessionKey = jobSessionKey(gateway, job)
    // Isolated: a fresh transcript each run.
    if (job.sessionTarget === 'isolated') await gateway.sessions.reset(sessionKey)
    const result = await gateway.agent.run({
      agentId: job.agentId,
      sessionKey,
      message: payload.message,
      idempotencyKey: `cron:${job.id}:${request.runId}`,
      signal: request.signal,
      timeoutMs: request.timeoutMs,
      origin: { channel: 'cron', peer: job.id },
      ...(payload.model ? { model: payload.model } : {}),
      ...(payload.thinking ? { thinking: payload.thinking } : {}),
    })
    if (result.status !== 'ok') return { status: 'error', error: result.error?.message ?? `run ended ${result.status}`, errorReason: result.status, sessionKey, model: result.model }
    const report = await deliverReply(deps, job.delivery, { jobId: job.id, runId: request.runId, sessionKey, text: result.text, status: 'ok' })
    const failed = report.error !== undefined && !job.delivery?.bestEffort
    return {
      status: failed ? 'error' : 'ok',
      ...(failed ? { error: report.error, errorReason: 'delivery' } : {}),
      summary: report.summary ?? result.text.slice(0, 500),
      deliveryStatus: report.deliveryStatus,
      ...(report.delivered !== undefined ? { delivered: report.delivered } : {}),
      sessionKey,
      model: result.model,
    }
  }
  return async (request) => {
    const { job } = request
    const payload = job.payload
    if (payload.kind === 'heartbeat') return heartbeat(job, request)
    if (payload.kind === 'systemEvent') return systemEvent(job, payload.text, request)
    return agentTurn(job, payload, request)
  }
}
