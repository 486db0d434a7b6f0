import { createError } from '@openclaw/plugin-sdk'

// Every code the Telegram channel (`channel:telegram`) throws. Each key equals its code. Messages never
// carry the bot token (nor a URL that contains it). Retired codes are never reused; list them here
// when one goes:
// (none retired yet)

/** An enabled account with neither `botToken` nor `tokenFile` (nor a root token to inherit). */
export const TG_ERR_TOKEN_MISSING = createError<'TG_ERR_TOKEN_MISSING', [account: string]>(
  'TG_ERR_TOKEN_MISSING', "Telegram account '%s' has no bot token: set channels.telegram.botToken or tokenFile")
/** `tokenFile` cannot be read, is not a regular file (symlinks are refused), or is empty. */
export const TG_ERR_TOKEN_FILE = createError<'TG_ERR_TOKEN_FILE', [account: string, reason: string]>(
  'TG_ERR_TOKEN_FILE', "Telegram account '%s': tokenFile refused: %s")
/** The `default` account's token from `TELEGRAM_BOT_TOKEN` (its config has none) does not look like a BotFather token. The value is never shown. */
export const TG_ERR_TOKEN_ENV = createError<'TG_ERR_TOKEN_ENV', [account: string, variable: string]>(
  'TG_ERR_TOKEN_ENV', "Telegram account '%s': %s does not hold a BotFather token (<bot id>:<secret>)")
/** Telegram answered 401 to `getMe`: the token was revoked or mistyped. The account retries every minute. */
export const TG_ERR_TOKEN_REJECTED = createError<'TG_ERR_TOKEN_REJECTED', [account: string]>(
  'TG_ERR_TOKEN_REJECTED', "Telegram rejected the bot token of account '%s' (401 Unauthorized): update botToken or tokenFile with the current BotFather token")
/** A Bot API call failed; `details` has `method`, `errorCode`, `description`, and `retryAfterMs` for a 429. */
export const TG_ERR_API = createError<'TG_ERR_API', [method: string, reason: string]>(
  'TG_ERR_API', 'Telegram %s failed: %s', 502)
/** `getUpdates` answered 409: another poller (a second gateway, a script) or a webhook uses the same bot token. */
export const TG_ERR_POLL_CONFLICT = createError<'TG_ERR_POLL_CONFLICT', [account: string, description: string]>(
  'TG_ERR_POLL_CONFLICT', "Telegram account '%s': getUpdates conflict (409: %s): another poller or a webhook uses this bot token")
/** `getUpdates` gave no answer within the long-poll timeout plus the stall grace: the connection is stuck. */
export const TG_ERR_POLL_STALLED = createError<'TG_ERR_POLL_STALLED', [account: string, seconds: number]>(
  'TG_ERR_POLL_STALLED', "Telegram account '%s': getUpdates gave no answer in %ds (stalled); reconnecting")
/** A webhook request without the account's `X-Telegram-Bot-Api-Secret-Token`, or with a wrong one (answered 401). */
export const TG_ERR_WEBHOOK_SECRET = createError<'TG_ERR_WEBHOOK_SECRET', []>(
  'TG_ERR_WEBHOOK_SECRET', 'Telegram webhook secret token is missing or wrong', 401)
/** A webhook body that is not a Telegram update (answered 400). */
export const TG_ERR_WEBHOOK_BODY = createError<'TG_ERR_WEBHOOK_BODY', [reason: string]>(
  'TG_ERR_WEBHOOK_BODY', 'Telegram webhook body is not an update: %s', 400)
/** A webhook update arrived before the account knew its bot (getMe pending) or while the gateway stops (answered 503; Telegram sends it again). */
export const TG_ERR_WEBHOOK_UNAVAILABLE = createError<'TG_ERR_WEBHOOK_UNAVAILABLE', [reason: string]>(
  'TG_ERR_WEBHOOK_UNAVAILABLE', 'Telegram webhook cannot take updates yet: %s', 503)
/** Two accounts with the same bot token (one poller per token): the later one is not started. */
export const TG_ERR_TOKEN_SHARED = createError<'TG_ERR_TOKEN_SHARED', [account: string, other: string]>(
  'TG_ERR_TOKEN_SHARED', "Telegram account '%s' has the same bot token as account '%s': it is not started")
/** Two webhook accounts with the same `webhookPath`: the later one is not started. */
export const TG_ERR_WEBHOOK_PATH_TAKEN = createError<'TG_ERR_WEBHOOK_PATH_TAKEN', [account: string, path: string]>(
  'TG_ERR_WEBHOOK_PATH_TAKEN', "Telegram account '%s': webhookPath %s is another account's: it is not started")
/** Inbound media over `mediaMaxMb` (or the gateway's `inbound.maxMediaBytes`): not downloaded. */
export const TG_ERR_MEDIA_TOO_LARGE = createError<'TG_ERR_MEDIA_TOO_LARGE', [size: number, limit: number]>(
  'TG_ERR_MEDIA_TOO_LARGE', 'Telegram file is %d bytes, over the limit of %d')
/** Inbound media whose download failed (the URL, which carries the token, is never shown). */
export const TG_ERR_MEDIA_FETCH = createError<'TG_ERR_MEDIA_FETCH', [reason: string]>(
  'TG_ERR_MEDIA_FETCH', 'Telegram file download failed: %s', 502)
/** A send, edit or button answer for an account the config does not have. */
export const TG_ERR_ACCOUNT_UNKNOWN = createError<'TG_ERR_ACCOUNT_UNKNOWN', [account: string]>(
  'TG_ERR_ACCOUNT_UNKNOWN', "Telegram account '%s' is not configured or not started")
