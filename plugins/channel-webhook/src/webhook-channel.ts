import type { ChannelDefinition, OutboundMessage } from '@openclaw/plugin-sdk'
import type { ChannelAccessConfig, ChannelCapabilities, ChannelSendContext, FetchedMedia } from '@openclaw/plugin-sdk/channels'
import { WH_ERR_ACCOUNT_UNKNOWN, WH_ERR_REPLY_FAILED } from './errors.js'
import type { WebhookAccount, WebhookConfig } from './webhook-config.js'
import { signSha256, signStandardWebhook } from './verify-signature.js'

export const CHANNEL_ID = 'webhook'

/** A media reference as the inbox keeps it: the sender's URL (which may carry a token) or inline bytes. */
type MediaRef = { readonly url: string } | { readonly data: string }

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

/** The body of a reply POST (docs/channels/webhook.md). */
export function replyBody(message: OutboundMessage): Record<string, unknown> {
  return {
    id: message.deliveryKey,
    to: message.to,
    text: message.text,
    ...(message.accountId ? { account: message.accountId } : {}),
    ...(message.attachments?.length ? { attachments: message.attachments.map((a) => ({ kind: a.kind, ...(a.url ? { url: a.url } : {}), ...(a.data ? { data: a.data } : {}), ...(a.mimeType ? { mimeType: a.mimeType } : {}), ...(a.name ? { name: a.name } : {}) })) } : {}),
    ...(message.buttons?.length ? { buttons: message.buttons } : {}),
    ...(message.replyToId ? { replyTo: message.replyToId } : {}),
    ...(message.threadId ? { threadId: message.threadId } : {}),
  }
}

/**
 * The webhook channel: replies are POSTed to the account's `url`, signed; a 2xx is sent (its JSON
 * `messageId`, if any, is the message id), 410 and other 4xx (but 408 and 429) are permanent, 429 and
 * 5xx are retried after their `Retry-After`.
 */
export function createWebhookChannel(config: () => WebhookConfig, now: () => number): ChannelDefinition {
  const account = (id: string | undefined): WebhookAccount => {
    const found = config().accounts[id ?? 'default'] ?? (id === undefined ? Object.values(config().accounts)[0] : undefined)
    if (!found) throw Object.assign(new WH_ERR_ACCOUNT_UNKNOWN(id ?? 'default'), { permanent: true })
    return found
  }
  const capabilities: ChannelCapabilities = {
    text: { maxLength: Math.min(...Object.values(config().accounts).map((a) => a.textLimit), 4000), format: 'markdown' },
    media: { kinds: ['image', 'audio', 'video', 'file'], maxBytes: 10 * 1024 * 1024 },
    buttons: true,
    replyTo: true,
    threads: true,
    // A resend carries the same `id` (and webhook-id): the receiver recognises it.
    idempotentSend: true,
    ...(Object.values(config().accounts)[0]?.rateLimit ? { rateLimit: Object.values(config().accounts)[0]!.rateLimit! } : {}),
  }
  return {
    id: CHANNEL_ID,
    label: 'Webhook',
    capabilities,
    // No inbound batching unless configured (`messages.inbound.byChannel.webhook`).
    inbound: { debounceMs: 0 },
    async send(message: OutboundMessage, ctx: ChannelSendContext) {
      const acct = account(message.accountId)
      const body = JSON.stringify(replyBody(message))
      const headers = acct.signature === 'sha256' ? signSha256(acct.secret, body) : signStandardWebhook(acct.secret, message.deliveryKey, body, now())
      let res: Response
      try {
        res = await fetch(acct.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'openclaw-webhook/1', ...headers },
          body,
          signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(acct.timeoutMs)]),
        })
      } catch (err) {
        // Network trouble: retried with backoff. The URL is not repeated (it may carry a token).
        throw new Error(`reply POST failed: ${(err as Error).name === 'TimeoutError' ? 'timed out' : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name)}`, { cause: err })
      }
      const text = await res.text().catch(() => '')
      if (res.ok) {
        let messageId = message.deliveryKey
        try {
          const parsed = JSON.parse(text) as { messageId?: unknown }
          if (typeof parsed.messageId === 'string' || typeof parsed.messageId === 'number') messageId = String(parsed.messageId)
        } catch {
          // A receiver may answer with no JSON: the delivery key is the message id.
        }
        return { messageId }
      }
      const error = new WH_ERR_REPLY_FAILED(res.status, message.accountId ?? 'default')
      const permanent = res.status === 410 || (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
      const wait = retryAfterMs(res.headers.get('retry-after'))
      throw Object.assign(error, { permanent, ...(wait !== undefined ? { retryAfterMs: wait } : {}), status: res.status })
    },
    access(accountId: string): ChannelAccessConfig | undefined {
      return config().accounts[accountId]
    },
    async fetchMedia(ref: string, options): Promise<FetchedMedia> {
      const media = JSON.parse(ref) as MediaRef
      if ('data' in media) {
        const data = Buffer.from(media.data, 'base64')
        if (data.byteLength > options.maxBytes) throw new Error(`inline media is ${data.byteLength} bytes, over ${options.maxBytes}`)
        return { data }
      }
      const res = await fetch(media.url, { signal: options.signal })
      if (!res.ok) throw new Error(`media GET answered ${res.status}`)
      const length = Number(res.headers.get('content-length') ?? 0)
      if (length > options.maxBytes) throw new Error(`media is ${length} bytes, over ${options.maxBytes}`)
      const data = new Uint8Array(await res.arrayBuffer())
      if (data.byteLength > options.maxBytes) throw new Error(`media is ${data.byteLength} bytes, over ${options.maxBytes}`)
      const mimeType = res.headers.get('content-type') ?? undefined
      return { data, ...(mimeType ? { mimeType } : {}) }
    },
  }
}

/** A media ref for the inbox. */
export function mediaRef(attachment: { url?: string; data?: string }): string {
  return JSON.stringify(attachment.url !== undefined ? { url: attachment.url } : { data: attachment.data ?? '' })
}

