import type { GatewayRuntime, Logger } from '@openclaw/plugin-sdk'
import type { CronStore } from './cron-store.js'
import { deliverReply, type DeliverReplyDeps } from './deliver-reply.js'
import type { RunOutcome } from './cron-scheduler.js'
import { parseDuration } from './parse-duration.js'

/** OpenClaw's default heartbeat prompt (sent verbatim as the turn's message). */
export const DEFAULT_HEARTBEAT_PROMPT = 'Follow the heartbeat monitor scratch context when provided. Recurring tasks are automations; create or change their schedules with the automations tool, not heartbeat scratch. Do not infer or repeat old tasks from prior chats. If nothing needs attention, reply NO_REPLY.'

export interface HeartbeatSettings {
  readonly everyMs: number
  readonly prompt: string
  readonly target: string
  readonly to?: string
  readonly accountId?: string
  readonly timeoutMs?: number
}

type RawHeartbeat = { every?: string; prompt?: string; target?: string; to?: string; accountId?: string; timeoutSeconds?: number }

/** An agent's heartbeat settings: `agents.entries.<id>.heartbeat` over `agents.defaults.heartbeat`. */
export function heartbeatSettings(config: GatewayRuntime['config'], agentId: string): HeartbeatSettings {
  const defaults = (config.agents.defaults as { heartbeat?: RawHeartbeat }).heartbeat ?? {}
  const entry = (config.agents.entries[agentId] as { heartbeat?: RawHeartbeat } | undefined)?.heartbeat ?? {}
  const merged = { ...defaults, ...entry }
  return {
    everyMs: merged.every === undefined ? 0 : parseDuration(merged.every) ?? 0,
    prompt: merged.prompt ?? DEFAULT_HEARTBEAT_PROMPT,
    target: merged.target ?? 'none',
    ...(merged.to !== undefined ? { to: merged.to } : {}),
    ...(merged.accountId !== undefined ? { accountId: merged.accountId } : {}),
    ...(merged.timeoutSeconds !== undefined ? { timeoutMs: merged.timeoutSeconds * 1000 } : {}),
  }
}

/** The turn's message: the queued system events (oldest first), then the heartbeat prompt. */
export function heartbeatMessage(events: readonly { text: string; source: string }[], prompt: string): string {
  if (events.length === 0) return prompt
  return `System events since the last heartbeat:\n${events.map((e) => `- [${e.source}] ${e.text}`).join('\n')}\n\n${prompt}`
}

export interface HeartbeatDeps extends DeliverReplyDeps {
  readonly store: CronStore
  readonly log: Logger
  readonly now: () => number
}

/**
 * One heartbeat turn of an agent, in its main session (or `sessionKey`): it takes the system events
 * queued for that session, runs the agent on them and the heartbeat prompt, and delivers the reply to
 * the heartbeat's target unless it is `HEARTBEAT_OK` or `NO_REPLY`. Events of a failed turn go back
 * in the queue for the next one.
 */
export class Heartbeat {
  constructor(private readonly deps: HeartbeatDeps) {}

  /** Start a heartbeat turn now; the run id is known at once, the outcome later. */
  async start(agentId: string, options: { sessionKey?: string; signal?: AbortSignal; timeoutMs?: number; runKey?: string } = {}): Promise<{ runId: string; sessionKey: string; outcome: Promise<RunOutcome> }> {
    const { gateway, store } = this.deps
    const settings = heartbeatSettings(gateway.config, agentId)
    const { sessionKey } = gateway.agent.resolveSessionKey({ agentId, sessionKey: options.sessionKey ?? 'main' })
    const events = await store.takeEvents(sessionKey)
    let started
    try {
      started = await gateway.agent.start({
        agentId,
        sessionKey,
        message: heartbeatMessage(events, settings.prompt),
        origin: { channel: 'heartbeat', peer: agentId },
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.timeoutMs ?? settings.timeoutMs ? { timeoutMs: (options.timeoutMs ?? settings.timeoutMs)! } : {}),
        ...(options.runKey ? { idempotencyKey: options.runKey } : {}),
      })
    } catch (err) {
      await this.#requeue(events, agentId, sessionKey)
      throw err
    }
    const outcome = started.result.then(async (result): Promise<RunOutcome> => {
      if (result.status !== 'ok') {
        await this.#requeue(events, agentId, sessionKey)
        return { status: 'error', error: result.error?.message ?? `heartbeat run ended ${result.status}`, errorReason: result.status, sessionKey }
      }
      const delivery = settings.target === 'none'
        ? undefined
        : settings.target === 'last' ? { mode: 'announce' as const, channel: 'last' } : { mode: 'announce' as const, channel: settings.target, ...(settings.to ? { to: settings.to } : {}), ...(settings.accountId ? { accountId: settings.accountId } : {}) }
      const report = await deliverReply(this.deps, delivery, { jobId: `heartbeat:${agentId}`, runId: result.runId, sessionKey, text: result.text, status: 'ok' })
      return {
        status: 'ok',
        summary: report.summary ?? (events.length ? `${events.length} system event(s) handled` : 'heartbeat'),
        deliveryStatus: report.deliveryStatus,
        ...(report.delivered !== undefined ? { delivered: report.delivered } : {}),
        sessionKey,
        model: result.model,
      }
    })
    return { runId: started.runId, sessionKey, outcome }
  }

  async #requeue(events: readonly { text: string; source: string; createdAtMs: number }[], agentId: string, sessionKey: string): Promise<void> {
    for (const event of events) await this.deps.store.enqueueEvent({ agentId, sessionKey, text: event.text, source: event.source, createdAtMs: event.createdAtMs })
  }
}
