import type { GatewayRuntime, HttpRouteDefinition, Logger } from '@openclaw/plugin-sdk'
import type { ChannelEvent } from '@openclaw/plugin-sdk/channels'
import { isCodedError } from '@openclaw/plugin-sdk'
import { WH_ERR_ACCOUNT_UNKNOWN, WH_ERR_BODY_INVALID } from './errors.js'
import { InboundBodySchema, mediaKindOf } from './inbound-body.js'
import { verifyStandardWebhook } from './verify-signature.js'
import { CHANNEL_ID, mediaRef } from './webhook-channel.js'
import type { WebhookConfig } from './webhook-config.js'

export const INBOUND_PATH = '/channels/webhook/:account'

function answer(reply: Parameters<HttpRouteDefinition['handler']>[1], status: number, body: unknown) {
  return reply.code(status).header('content-type', 'application/json').send(body)
}

function errorBody(err: { code: string; message: string }) {
  return { ok: false, error: { code: err.code, message: err.message } }
}

/**
 * `POST /channels/webhook/<account>`: a Standard Webhooks-signed message. A bad signature is 401, a
 * stale timestamp 400, a bad body 400, and nothing is stored in any of those cases. A good one is
 * accepted into the durable inbox (its `webhook-id` is the event id, so a resend is a duplicate) and
 * answered 202 at once.
 */
export function createInboundRoute(deps: { config: () => WebhookConfig; gateway: GatewayRuntime; log: Logger; now: () => number }): HttpRouteDefinition {
  return {
    method: 'POST',
    path: INBOUND_PATH,
    auth: 'none',
    rawBody: true,
    bodyLimit: deps.config().maxBodyBytes,
    async handler(request, reply) {
      const accountId = (request.params as { account?: string }).account ?? ''
      const account = deps.config().accounts[accountId]
      if (!account) return answer(reply, 404, errorBody(new WH_ERR_ACCOUNT_UNKNOWN(accountId.slice(0, 64))))
      const raw = request.rawBody ?? Buffer.alloc(0)
      let verified
      try {
        verified = verifyStandardWebhook(raw, request.headers as Record<string, string>, [account.secret, ...(account.secrets ?? [])], deps.now())
      } catch (err) {
        if (!isCodedError(err)) throw err
        deps.log.info({ account: accountId, code: err.code, ip: request.ip }, 'webhook refused')
        return answer(reply, err.statusCode ?? 401, errorBody(err))
      }
      let json: unknown
      try {
        json = JSON.parse(raw.toString('utf8'))
      } catch {
        return answer(reply, 400, errorBody(new WH_ERR_BODY_INVALID('not JSON')))
      }
      const parsed = InboundBodySchema.safeParse(json)
      if (!parsed.success) {
        return answer(reply, 400, errorBody(new WH_ERR_BODY_INVALID(parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '))))
      }
      const body = parsed.data
      const chat = body.chat ? { id: body.chat.id, kind: body.chat.type } : { id: body.from.id, kind: 'direct' as const }
      const base = { id: verified.id, channel: CHANNEL_ID, accountId, chat, sender: { id: body.from.id, ...(body.from.name ? { name: body.from.name } : {}) } }
      const event: ChannelEvent = body.button
        ? { ...base, kind: 'button', data: body.button.data, callbackId: verified.id, ...(body.button.messageId ? { messageId: body.button.messageId } : {}) }
        : {
            ...base,
            kind: 'message',
            messageId: body.id ?? verified.id,
            text: body.text ?? '',
            ...(body.replyTo ? { replyToId: body.replyTo } : {}),
            ...(body.mentioned !== undefined ? { mentioned: body.mentioned } : {}),
            ...(body.attachments?.length
              ? { attachments: body.attachments.map((a) => ({ ref: mediaRef(a), kind: mediaKindOf(a.mimeType), mimeType: a.mimeType, ...(a.name ? { name: a.name } : {}), ...('size' in a && a.size !== undefined ? { size: a.size } : {}) })) }
              : {}),
          }
      try {
        const outcome = await deps.gateway.inbound.accept(event)
        return answer(reply, 202, { ok: true, status: outcome.status, id: outcome.inboxId })
      } catch (err) {
        if (isCodedError(err) && err.statusCode) return answer(reply, err.statusCode, errorBody(err))
        throw err
      }
    },
  }
}
