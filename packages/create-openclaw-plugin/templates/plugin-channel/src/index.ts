import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import { createError, defineChannel, definePlugin, parseRetryAfter, type GatewayRuntime, type OutboundMessage } from '@openclaw/plugin-sdk'
import { z } from 'zod'

export const PLUGIN_NAME = '__PLUGIN_ID__'
/** The channel id: messages and deliveries name it, sessions are keyed by it. */
export const CHANNEL_ID = '__SHORT_NAME__'
/** Where the platform posts inbound messages, on the gateway's port. */
export const INBOUND_PATH = `/channels/${CHANNEL_ID}/inbound`

/** `channels.__SHORT_NAME__` in the gateway config. */
export const ChannelConfig = z.object({
  /** The platform's API; the channel POSTs replies to `<upstreamUrl>/send`. */
  upstreamUrl: z.url().default('http://127.0.0.1:8081'),
  /** When set, inbound posts must carry it in `x-channel-secret`. */
  inboundSecret: z.string().min(16).optional(),
  /** How long one send may take. */
  sendTimeoutMs: z.number().int().positive().default(10_000),
})
export type ChannelConfig = z.output<typeof ChannelConfig>

/** An inbound post that is not `{ id, chat, text, from? }`. */
export const __ERR_PREFIX___ERR_INBOUND_INVALID = createError<'__ERR_PREFIX___ERR_INBOUND_INVALID', [reason: string]>(
  '__ERR_PREFIX___ERR_INBOUND_INVALID',
  'Invalid inbound message: %s',
  400,
)
/** An inbound post without the configured `x-channel-secret`. */
export const __ERR_PREFIX___ERR_INBOUND_SECRET = createError<'__ERR_PREFIX___ERR_INBOUND_SECRET'>(
  '__ERR_PREFIX___ERR_INBOUND_SECRET',
  'Missing or wrong x-channel-secret',
  401,
)
/** The platform refused a send. `retryAfterMs` when it may be retried (429, 5xx), `permanent` otherwise. */
export const __ERR_PREFIX___ERR_SEND_FAILED = createError<'__ERR_PREFIX___ERR_SEND_FAILED', [status: number, body: string]>(
  '__ERR_PREFIX___ERR_SEND_FAILED',
  'The platform answered HTTP %s to a send: %s',
)

/** What the platform posts to the inbound route. */
const InboundPost = z.object({
  id: z.string().min(1),
  chat: z.string().min(1),
  text: z.string(),
  from: z.object({ id: z.string().min(1), name: z.string().optional() }).optional(),
})

async function send(config: ChannelConfig, message: OutboundMessage, signal: AbortSignal): Promise<{ messageId: string }> {
  const response = await fetch(new URL('send', config.upstreamUrl.endsWith('/') ? config.upstreamUrl : `${config.upstreamUrl}/`), {
    method: 'POST',
    signal: AbortSignal.any([signal, AbortSignal.timeout(config.sendTimeoutMs)]),
    // The delivery key lets the platform drop a repeat if our first try did arrive.
    headers: { 'content-type': 'application/json', 'idempotency-key': message.deliveryKey },
    body: JSON.stringify({ chat: message.to, text: message.text, ...(message.replyToId ? { replyTo: message.replyToId } : {}) }),
  })
  const body = await response.text()
  if (!response.ok) {
    const error = new __ERR_PREFIX___ERR_SEND_FAILED(response.status, body.slice(0, 200))
    // The outbox retries with backoff; a retryAfterMs wins over it. 4xx other than 429 will not get better.
    if (response.status === 429 || response.status >= 500) throw Object.assign(error, { retryAfterMs: parseRetryAfter(response.headers) })
    throw Object.assign(error, { permanent: true })
  }
  const id = (JSON.parse(body || '{}') as { messageId?: unknown }).messageId
  return { messageId: typeof id === 'string' ? id : randomUUID() }
}

/** Constant-time comparison of a presented secret with the configured one. */
function sameSecret(presented: unknown, secret: string): boolean {
  if (typeof presented !== 'string') return false
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(presented), digest(secret))
}

/**
 * Hand one inbound post to the gateway: `inbound.accept()` makes it durable (de-duplicated by id) and
 * returns at once; the gateway runs the agent and delivers the reply through `send` later.
 */
async function accept(gateway: GatewayRuntime, post: z.output<typeof InboundPost>): Promise<'accepted' | 'duplicate'> {
  const chat = { id: post.chat, kind: 'direct' as const }
  const outcome = await gateway.inbound.accept({
    kind: 'message',
    id: post.id,
    channel: CHANNEL_ID,
    chat,
    sender: post.from ?? { id: post.chat },
    text: post.text,
    raw: post,
  })
  return outcome.status
}

/** The plugin, as a factory: each call is one instance (keep per-gateway state in its closure). */
export default function channelPlugin() {
  return definePlugin<ChannelConfig>({
    id: PLUGIN_NAME,
    version: '0.1.0',
    kind: 'channel',
    apiVersion: '__API_RANGE__',
    description: 'A chat channel backed by an HTTP API: inbound webhook, outbound send',
    configKey: `channels.${CHANNEL_ID}`,
    config: ChannelConfig,
    dependsOn: ['core:http'],
    register(api) {
      const config = api.config
      api.channels.register(
        defineChannel({
          id: CHANNEL_ID,
          label: '__SHORT_NAME__',
          // Plain text, at most 4000 characters a message: the core renders and splits replies to fit.
          capabilities: { text: { maxLength: 4000, format: 'plain' } },
          send: (message, ctx) => send(config, message, ctx.signal),
        }),
      )
      api.http.route({
        method: 'POST',
        path: INBOUND_PATH,
        // The platform cannot hold the gateway token; the channel checks its own secret instead.
        auth: 'none',
        bodyLimit: 64 * 1024,
        handler: async (request, reply) => {
          if (config.inboundSecret !== undefined && !sameSecret(request.headers['x-channel-secret'], config.inboundSecret)) throw new __ERR_PREFIX___ERR_INBOUND_SECRET()
          const post = InboundPost.safeParse(request.body)
          if (!post.success) throw new __ERR_PREFIX___ERR_INBOUND_INVALID(post.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '))
          // Answered once the message is durable: a platform that gets no 202 sends it again.
          const status = await accept(api.gateway, post.data)
          return reply.code(202).send({ ok: true, accepted: post.data.id, status })
        },
      })
    },
  })
}
