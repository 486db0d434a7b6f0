import type { GatewayRuntime, HttpRouteDefinition, Logger, PluginApi } from '@openclaw/plugin-sdk'
import { isCodedError } from '@openclaw/plugin-sdk'
import type { Update } from 'grammy/types'
import { TG_ERR_WEBHOOK_BODY, TG_ERR_WEBHOOK_SECRET, TG_ERR_WEBHOOK_UNAVAILABLE } from './errors.js'
import { mapUpdate, type TopicAgent } from './map-update.js'
import type { TelegramAccount } from './resolve-accounts.js'
import type { TelegramAccountRuntime } from './telegram-account.js'

/** The guard the webhook routes name (`auth: 'telegram-webhook'`). */
export const WEBHOOK_GUARD = 'telegram-webhook'
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token'

type HttpGuardCheck = Parameters<PluginApi['http']['guard']>[1]

function pathOf(url: string): string {
  const q = url.indexOf('?')
  return (q === -1 ? url : url.slice(0, q)).replace(/\/+$/, '') || '/'
}

/**
 * The `telegram-webhook` guard: the request's path names the account, whose `webhookSecret` must
 * equal `X-Telegram-Bot-Api-Secret-Token` (constant-time). Missing or wrong: 401
 * `TG_ERR_WEBHOOK_SECRET`, counted against the guard's own lockout and answered late.
 */
export function createWebhookGuard(accounts: () => readonly TelegramAccount[]): HttpGuardCheck {
  return (request, credentials) => {
    const path = pathOf(request.url)
    const account = accounts().find((a) => a.webhook && pathOf(a.webhook.path) === path)
    const header = request.headers[SECRET_HEADER]
    const presented = typeof header === 'string' ? header : undefined
    if (account?.webhook && presented !== undefined && credentials.matches(account.webhook.secret, presented)) return { ok: true }
    const error = new TG_ERR_WEBHOOK_SECRET()
    return { ok: false, reason: 'refused', error: { statusCode: error.statusCode, code: error.code, message: error.message }, delayMs: credentials.fail() }
  }
}

function answer(reply: Parameters<HttpRouteDefinition['handler']>[1], status: number, body: unknown) {
  return reply.code(status).header('content-type', 'application/json').send(body)
}

/**
 * `POST <webhookPath>` for one account: the update is made durable with `accept()` before the 200,
 * so Telegram stops sending it only once it is in the inbox (a redelivery is a duplicate there). A
 * body that is not an update is 400; an account that does not know its bot yet, or a stopping
 * gateway, 503 (Telegram retries).
 */
export function createWebhookRoute(deps: {
  readonly account: TelegramAccount
  readonly runtime: () => TelegramAccountRuntime | undefined
  readonly gateway: GatewayRuntime
  readonly topicAgent: TopicAgent
  readonly log: Logger
  readonly now: () => number
}): HttpRouteDefinition {
  const webhook = deps.account.webhook!
  return {
    method: 'POST',
    path: webhook.path,
    auth: WEBHOOK_GUARD,
    bodyLimit: 1024 * 1024,
    // Refusals the server answers for this route (the guard's 401, bad JSON, 413) carry their code.
    formatError: (error) => ({ ok: false, error: { code: error.code, message: error.message } }),
    async handler(request, reply) {
      const update = request.body as Update | undefined
      if (!update || typeof update !== 'object' || typeof update.update_id !== 'number') {
        const error = new TG_ERR_WEBHOOK_BODY('expected a JSON object with a numeric update_id')
        return answer(reply, 400, { ok: false, error: { code: error.code, message: error.message } })
      }
      const runtime = deps.runtime()
      const bot = runtime?.identity
      if (!runtime || !bot) {
        const error = new TG_ERR_WEBHOOK_UNAVAILABLE('the bot is not identified yet (getMe pending)')
        return answer(reply, 503, { ok: false, error: { code: error.code, message: error.message } })
      }
      const event = mapUpdate(update, { accountId: runtime.id, bot, topicAgent: deps.topicAgent })
      runtime.state.progressed(deps.now())
      if (!event) return answer(reply, 200, {})
      try {
        const outcome = await deps.gateway.inbound.accept(event)
        return reply.code(200).header('content-type', 'application/json').header('x-openclaw-delivery-accepted', 'durable').send({ ok: true, status: outcome.status })
      } catch (err) {
        if (isCodedError(err) && err.statusCode) {
          deps.log.warn({ account: runtime.id, code: err.code, updateId: update.update_id }, 'telegram webhook update not accepted')
          return answer(reply, err.statusCode === 400 ? 400 : 503, { ok: false, error: { code: err.code, message: err.message } })
        }
        throw err
      }
    },
  }
}
