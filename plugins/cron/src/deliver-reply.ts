import type { GatewayRuntime } from '@openclaw/plugin-sdk'
import type { CronDelivery } from './cron-job.js'
import type { RunOutcome } from './cron-scheduler.js'
import { deliverableText } from './silent-reply.js'
import { checkWebhookTarget, type WebhookPolicy } from './webhook-guard.js'

export interface DeliverReplyDeps {
  readonly gateway: GatewayRuntime
  readonly webhookToken: string | undefined
  readonly webhookPolicy: WebhookPolicy
  /** How long a webhook call may take. */
  readonly webhookTimeoutMs: number
}

export interface DeliveryReport {
  readonly delivered?: boolean
  readonly deliveryStatus: NonNullable<RunOutcome['deliveryStatus']>
  /** Set when a delivery that was asked for failed. */
  readonly error?: string
  readonly summary?: string
}

export interface ReplyToDeliver {
  readonly jobId: string
  readonly runId: string
  readonly sessionKey: string
  readonly text: string
  readonly status: 'ok' | 'error'
}

/**
 * Deliver a run's reply as its job asks: `announce` to a channel and target through the gateway's
 * delivery worker (`api.gateway.delivery.send`: an outbox row keyed by run, so a retry never sends
 * twice; channel `last` or none means the session's last route), `webhook` as a JSON POST past the
 * SSRF guard, or `none`. A silent reply (`NO_REPLY`, `HEARTBEAT_OK`) is not delivered.
 */
export async function deliverReply(deps: DeliverReplyDeps, delivery: CronDelivery | undefined, reply: ReplyToDeliver): Promise<DeliveryReport> {
  if (!delivery || delivery.mode === 'none') return { deliveryStatus: 'not-requested' }
  const text = deliverableText(reply.text)
  if (delivery.mode === 'webhook') return callWebhook(deps, delivery.to!, reply, text)
  if (text === undefined) return { delivered: false, deliveryStatus: 'not-delivered', summary: 'silent reply (NO_REPLY / HEARTBEAT_OK): not delivered' }
  let target: { channel: string; to: string; accountId?: string; threadId?: string } | undefined
  if (delivery.channel && delivery.channel !== 'last' && delivery.to) target = { channel: delivery.channel, to: delivery.to }
  else target = (await deps.gateway.sessions.get(reply.sessionKey))?.lastRoute
  if (!target) return { delivered: false, deliveryStatus: 'not-delivered', error: `announce has no target: give delivery.channel and delivery.to (session ${reply.sessionKey} has no last route)` }
  const outcome = await deps.gateway.delivery.send({
    channel: target.channel,
    to: target.to,
    text,
    sessionKey: reply.sessionKey,
    deliveryKey: `cron:${reply.runId}`,
    ...(delivery.accountId ?? target.accountId ? { accountId: (delivery.accountId ?? target.accountId)! } : {}),
    ...(delivery.threadId ?? target.threadId ? { threadId: (delivery.threadId ?? target.threadId)! } : {}),
  })
  switch (outcome.status) {
    case 'sent':
    case 'duplicate':
      return { delivered: true, deliveryStatus: 'delivered' }
    // Not settled within the worker's wait (the channel is retrying, rate-limited or down): the row
    // stays in the outbox and the worker keeps sending it; the run itself did its part.
    case 'queued':
      return { deliveryStatus: 'unknown' }
    // A messageSending tap cancelled it on purpose: not a failure.
    case 'cancelled':
      return { delivered: false, deliveryStatus: 'not-delivered' }
    default:
      return { delivered: false, deliveryStatus: 'not-delivered', error: `announce to ${target.channel} failed: ${outcome.error?.message ?? outcome.status}` }
  }
}

async function callWebhook(deps: DeliverReplyDeps, to: string, reply: ReplyToDeliver, text: string | undefined): Promise<DeliveryReport> {
  let url: URL
  try {
    url = await checkWebhookTarget(to, deps.webhookPolicy)
  } catch (err) {
    return { delivered: false, deliveryStatus: 'not-delivered', error: (err as Error).message }
  }
  try {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.webhookTimeoutMs),
      headers: { 'content-type': 'application/json', ...(deps.webhookToken ? { authorization: `Bearer ${deps.webhookToken}` } : {}) },
      body: JSON.stringify({ jobId: reply.jobId, runId: reply.runId, status: reply.status, sessionKey: reply.sessionKey, text: text ?? null, silent: text === undefined }),
    })
    await response.arrayBuffer().catch(() => undefined)
    if (response.ok) return { delivered: true, deliveryStatus: 'delivered' }
    return { delivered: false, deliveryStatus: 'not-delivered', error: `webhook answered ${response.status}` }
  } catch (err) {
    return { delivered: false, deliveryStatus: 'unknown', error: `webhook call failed: ${(err as Error).message}` }
  }
}
