import { randomUUID } from 'node:crypto'
import type { GatewayRuntime, Logger } from '@openclaw/plugin-sdk'
import type { CronJob } from './cron-job.js'
import type { CronStore, StoredAlert } from './cron-store.js'
import { resolveFailureAlert, type AlertDraft, type FailureAlertPolicy, type GlobalFailureAlert } from './failure-alert.js'
import { checkWebhookTarget, type WebhookPolicy } from './webhook-guard.js'

export interface FailureAlertSenderDeps {
  readonly store: CronStore
  readonly gateway: GatewayRuntime
  readonly log: Logger
  readonly now: () => number
  readonly global: GlobalFailureAlert | undefined
  /** The session a job runs in (its last route is where a `channel: 'last'` alert goes). */
  readonly sessionKeyOf: (job: CronJob) => string | undefined
  readonly webhookToken: string | undefined
  readonly webhookPolicy: WebhookPolicy
  readonly webhookTimeoutMs: number
  /** How long a claim on an alert lasts: a replica that dies while sending leaves it to the sweep after this. */
  readonly claimMs: number
}

/** A webhook alert is tried this many times (the outbox retries announce alerts itself). */
const WEBHOOK_ATTEMPTS = 3

/** How long `close()` waits for alerts being sent; what is left is sent by the next sweep (the outbox key keeps it once). */
const CLOSE_WAIT_MS = 5000

/**
 * Sends the failure alerts the scheduler decided (and wrote, in the transaction that settled the
 * run). Each alert is claimed in the store before it is sent, so one replica sends it; an announce
 * goes through the gateway's durable outbox under the key `cron-alert:<id>`, which never sends twice.
 * Alerts whose sender died are picked up by `sweep()` (the ticker's replica).
 */
export class FailureAlertSender {
  readonly #deps: FailureAlertSenderDeps
  readonly #sending = new Set<Promise<void>>()
  #stopped = false

  constructor(deps: FailureAlertSenderDeps) {
    this.#deps = deps
  }

  /** The job's effective policy, `undefined` when it sends no alerts. */
  policy(job: CronJob): FailureAlertPolicy | undefined {
    return resolveFailureAlert(job, this.#deps.global)
  }

  /** The row to write for a decided alert. */
  toStored(draft: AlertDraft, job: CronJob, nowMs: number): StoredAlert {
    let sessionKey: string | undefined
    try {
      sessionKey = this.#deps.sessionKeyOf(job)
    } catch {
      sessionKey = undefined
    }
    return { id: randomUUID(), jobId: draft.jobId, kind: draft.kind, ...(sessionKey ? { sessionKey } : {}), route: draft.route, text: draft.text, facts: { ...draft.facts, jobName: job.name }, createdAtMs: nowMs }
  }

  /** Send these (just committed) alerts in the background. Once stopping, they stay pending for the next sweep. */
  dispatch(ids: readonly string[]): void {
    if (ids.length === 0 || this.#stopped) return
    this.#track(this.#sendClaimed(ids))
  }

  /** Send pending alerts nobody holds (their sender died, or a webhook is due another try). */
  async sweep(): Promise<void> {
    if (!this.#stopped) await this.#sendClaimed(undefined)
  }

  /**
   * The gateway is stopping (`gatewayStop`, before its delivery worker stops): send nothing more here.
   * Alerts decided from now on (runs aborted by the stop) stay pending; the ticker's sweep sends them.
   */
  stopSending(): void {
    this.#stopped = true
  }

  /** Stop sending, and wait (a few seconds at most) for the alerts being sent here. */
  async close(): Promise<void> {
    this.#stopped = true
    if (this.#sending.size === 0) return
    let timer: NodeJS.Timeout | undefined
    await Promise.race([Promise.all([...this.#sending]), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))])
    clearTimeout(timer)
  }

  #track(promise: Promise<void>): void {
    const tracked = promise.catch((err: unknown) => this.#deps.log.warn({ err }, 'cron: sending failure alerts failed')).finally(() => this.#sending.delete(tracked))
    this.#sending.add(tracked)
  }

  async #sendClaimed(ids: readonly string[] | undefined): Promise<void> {
    const { store, now, claimMs } = this.#deps
    const claimed = await store.claimAlerts(now(), now() + claimMs, ids)
    await Promise.all(claimed.map((alert) => this.#send(alert)))
  }

  async #send(alert: StoredAlert): Promise<void> {
    const { store, now, log } = this.#deps
    let result: { status: 'sent' | 'failed' | 'pending'; error?: string }
    try {
      result = alert.route.mode === 'webhook' ? await this.#postWebhook(alert) : await this.#announce(alert)
    } catch (err) {
      result = { status: 'pending', error: (err as Error).message }
    }
    if (result.status !== 'sent') log.warn({ jobId: alert.jobId, alertId: alert.id, error: result.error }, `cron: failure alert for ${alert.jobId} not sent: ${result.error ?? result.status}`)
    await store.finishAlert(alert.id, result.status, now(), result.error)
  }

  async #announce(alert: StoredAlert): Promise<{ status: 'sent' | 'failed'; error?: string }> {
    const { gateway } = this.#deps
    const { route } = alert
    let target: { channel: string; to: string; accountId?: string; threadId?: string } | undefined
    if (route.channel !== 'last' && route.to) target = { channel: route.channel, to: route.to, ...(route.accountId ? { accountId: route.accountId } : {}), ...(route.threadId ? { threadId: route.threadId } : {}) }
    else if (alert.sessionKey) {
      const last = (await gateway.sessions.get(alert.sessionKey))?.lastRoute
      if (last && (route.channel === 'last' || route.channel === last.channel)) target = last
    }
    if (!target) return { status: 'failed', error: `no target: give failureAlert.channel and failureAlert.to (or cron.failureAlert's), or an announce delivery` }
    const outcome = await gateway.delivery.send({
      channel: target.channel,
      to: target.to,
      text: alert.text,
      deliveryKey: `cron-alert:${alert.id}`,
      ...(target.accountId ? { accountId: target.accountId } : {}),
      ...(target.threadId ? { threadId: target.threadId } : {}),
    })
    switch (outcome.status) {
      // `queued`: in the outbox, whose worker keeps sending it.
      case 'sent':
      case 'duplicate':
      case 'queued':
        return { status: 'sent' }
      case 'cancelled':
        return { status: 'failed', error: 'cancelled by a messageSending tap' }
      default:
        return { status: 'failed', error: `announce to ${target.channel} failed: ${outcome.error?.message ?? outcome.status}` }
    }
  }

  async #postWebhook(alert: StoredAlert): Promise<{ status: 'sent' | 'failed' | 'pending'; error?: string }> {
    const { route } = alert
    if (!route.to) return { status: 'failed', error: 'a webhook failure alert needs to (the URL)' }
    let url: URL
    try {
      url = await checkWebhookTarget(route.to, this.#deps.webhookPolicy)
    } catch (err) {
      return { status: 'failed', error: (err as Error).message }
    }
    const again = (error: string) => ({ status: (alert.attempts ?? 1) >= WEBHOOK_ATTEMPTS ? 'failed' as const : 'pending' as const, error })
    try {
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#deps.webhookTimeoutMs),
        headers: { 'content-type': 'application/json', ...(this.#deps.webhookToken ? { authorization: `Bearer ${this.#deps.webhookToken}` } : {}) },
        body: JSON.stringify({ kind: 'cron.failureAlert', alert: alert.kind, alertId: alert.id, jobId: alert.jobId, text: alert.text, ...alert.facts }),
      })
      await response.arrayBuffer().catch(() => undefined)
      return response.ok ? { status: 'sent' } : again(`webhook answered ${response.status}`)
    } catch (err) {
      return again(`webhook call failed: ${(err as Error).message}`)
    }
  }
}
