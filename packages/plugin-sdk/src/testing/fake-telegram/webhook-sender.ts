import { STATUS_CODES } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TgUpdate, TgWebhookInfo } from './telegram-types.js'
import type { UpdateQueue } from './update-queue.js'

/** The webhook set with `setWebhook`. */
export interface WebhookConfig {
  readonly url: string
  readonly secretToken?: string
  readonly maxConnections: number
  readonly allowedUpdates?: readonly string[]
}

/** One POST of an update to the webhook. */
export interface WebhookDelivery {
  readonly updateId: number
  readonly url: string
  /** The HTTP status the webhook answered, or `undefined` when the request failed (see `error`). */
  readonly status?: number
  readonly error?: string
  /** Whether `X-Telegram-Bot-Api-Secret-Token` was sent. */
  readonly withSecret: boolean
  /** Epoch milliseconds. */
  readonly at: number
}

export interface WebhookSenderOptions {
  readonly retryDelayMs: number
  readonly timeoutMs: number
  /** A 2xx answer with a JSON body naming a `method`: Telegram runs it as a Bot API call. */
  readonly onReply: (body: Record<string, unknown>) => Promise<void>
  readonly onChange: () => void
}

const MAX_RETRY_DELAY_MS = 2_000

/**
 * Webhook mode: posts each queued update, in order and one at a time, to the webhook URL with the
 * `X-Telegram-Bot-Api-Secret-Token` header when a secret was set. A 2xx answer confirms the update;
 * anything else (or a network error) is retried with a growing delay, and shows in `getWebhookInfo`
 * as `last_error_date` / `last_error_message`.
 */
export class WebhookSender {
  private current: WebhookConfig | undefined
  private generation = 0
  private lastErrorDate: number | undefined
  private lastErrorMessage: string | undefined
  private wake: (() => void) | undefined
  private readonly stop = new AbortController()
  readonly deliveries: WebhookDelivery[] = []

  constructor(
    private readonly queue: UpdateQueue,
    private readonly options: WebhookSenderOptions,
  ) {
    queue.onPush(() => this.wake?.())
  }

  get config(): WebhookConfig | undefined {
    return this.current
  }

  set(config: WebhookConfig): void {
    this.current = config
    this.lastErrorDate = undefined
    this.lastErrorMessage = undefined
    const generation = ++this.generation
    this.wake?.()
    void this.run(generation)
  }

  delete(): void {
    this.current = undefined
    this.generation++
    this.wake?.()
  }

  info(): TgWebhookInfo {
    const config = this.current
    return {
      url: config?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.updates.length,
      ...(this.lastErrorDate === undefined ? {} : { last_error_date: this.lastErrorDate, last_error_message: this.lastErrorMessage ?? '' }),
      ...(config ? { max_connections: config.maxConnections } : {}),
      ...(config?.allowedUpdates ? { allowed_updates: config.allowedUpdates } : {}),
    }
  }

  close(): void {
    this.delete()
    this.stop.abort()
  }

  private async run(generation: number): Promise<void> {
    let failures = 0
    while (generation === this.generation && !this.stop.signal.aborted) {
      const update = this.queue.updates[0]
      const config = this.current
      if (!update || !config) {
        await new Promise<void>((resolve) => (this.wake = resolve))
        continue
      }
      const ok = await this.deliver(update, config)
      if (generation !== this.generation) return
      if (ok) {
        failures = 0
        this.queue.confirm(update.update_id + 1)
      } else {
        failures++
        const delay = Math.min(this.options.retryDelayMs * 2 ** (failures - 1), MAX_RETRY_DELAY_MS)
        await sleep(delay, undefined, { signal: this.stop.signal }).catch(() => undefined)
      }
      this.options.onChange()
    }
  }

  private async deliver(update: TgUpdate, config: WebhookConfig): Promise<boolean> {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (config.secretToken) headers['x-telegram-bot-api-secret-token'] = config.secretToken
    const base = { updateId: update.update_id, url: config.url, withSecret: config.secretToken !== undefined, at: Date.now() }
    try {
      const response = await fetch(config.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
        signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      })
      const text = await response.text()
      this.deliveries.push({ ...base, status: response.status })
      if (response.status < 200 || response.status > 299) {
        this.recordError(`Wrong response from the webhook: ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim())
        return false
      }
      await this.runReply(text)
      return true
    } catch (error) {
      const message = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)
      this.deliveries.push({ ...base, error: message })
      this.recordError(`Connection failed: ${message}`)
      return false
    }
  }

  private async runReply(text: string): Promise<void> {
    if (text.trim() === '') return
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return
    }
    if (body && typeof body === 'object' && typeof (body as { method?: unknown }).method === 'string') {
      await this.options.onReply(body as Record<string, unknown>).catch(() => undefined)
    }
  }

  private recordError(message: string): void {
    this.lastErrorDate = Math.floor(Date.now() / 1000)
    this.lastErrorMessage = message
  }
}
