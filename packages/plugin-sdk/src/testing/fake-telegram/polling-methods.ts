import { BotApiError, badRequest } from './bot-api-error.js'
import type { BotApiMethod } from './fake-telegram-state.js'

const DEFAULT_MAX_CONNECTIONS = 40

/** `getMe`: the bot user. */
export const getMe: BotApiMethod = (_call, state) => state.bot

/**
 * `getUpdates` with Telegram's semantics (see `UpdateQueue`); `409` while a webhook is set.
 * `limit` is clamped to 1–100 (default 100), `timeout` is in seconds (default 0: no long poll).
 */
export const getUpdates: BotApiMethod = ({ params, closed }, state) => {
  if (state.webhook.config) throw new BotApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
  if (params.allowed_updates !== undefined) {
    if (!Array.isArray(params.allowed_updates)) throw badRequest("can't parse allowed_updates JSON array")
    state.updates.setAllowedUpdates(params.allowed_updates.map(String))
  }
  const limit = typeof params.limit === 'number' ? Math.min(100, Math.max(1, Math.trunc(params.limit))) : 100
  const timeout = typeof params.timeout === 'number' && params.timeout > 0 ? params.timeout : 0
  const offset = typeof params.offset === 'number' ? Math.trunc(params.offset) : undefined
  return state.updates.poll({ ...(offset === undefined ? {} : { offset }), limit, timeoutMs: timeout * 1000, closed })
}

/** `setWebhook`: any http(s) URL is accepted (Telegram itself wants https on ports 443, 80, 88 or 8443). */
export const setWebhook: BotApiMethod = ({ params }, state) => {
  const url = typeof params.url === 'string' ? params.url.trim() : ''
  if (url === '') {
    state.webhook.delete()
    return true
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw badRequest('bad webhook: invalid URL')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badRequest('bad webhook: unsupported URL protocol')
  const secret = params.secret_token
  if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
    throw badRequest('bad webhook: secret token contains unallowed characters')
  }
  const maxConnections = typeof params.max_connections === 'number' ? Math.min(100, Math.max(1, params.max_connections)) : DEFAULT_MAX_CONNECTIONS
  if (params.allowed_updates !== undefined) {
    if (!Array.isArray(params.allowed_updates)) throw badRequest("can't parse allowed_updates JSON array")
    state.updates.setAllowedUpdates(params.allowed_updates.map(String))
  }
  if (params.drop_pending_updates === true) state.updates.dropPending()
  state.updates.terminate('Conflict: terminated by setWebhook request')
  state.webhook.set({
    url,
    ...(typeof secret === 'string' ? { secretToken: secret } : {}),
    maxConnections,
    ...(state.updates.allowedUpdates ? { allowedUpdates: state.updates.allowedUpdates } : {}),
  })
  return true
}

/** `deleteWebhook`, optionally with `drop_pending_updates`. */
export const deleteWebhook: BotApiMethod = ({ params }, state) => {
  if (params.drop_pending_updates === true) state.updates.dropPending()
  state.webhook.delete()
  return true
}

/** `getWebhookInfo`. */
export const getWebhookInfo: BotApiMethod = (_call, state) => state.webhook.info()
