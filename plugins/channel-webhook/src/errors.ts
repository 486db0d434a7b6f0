import { createError } from '@openclaw/plugin-sdk'

// Every code the webhook channel (`channel:webhook`) throws. Each key equals its code. Messages never
// carry a secret. Retired codes are never reused; list them here when one goes:
// (none retired yet)

/** An inbound POST whose signature matches none of the account's secrets (answered 401). */
export const WH_ERR_SIGNATURE_INVALID = createError<'WH_ERR_SIGNATURE_INVALID', [reason: string]>(
  'WH_ERR_SIGNATURE_INVALID', 'Webhook signature is not valid: %s', 401)
/** An inbound POST whose `webhook-timestamp` is missing, malformed or outside the tolerance (answered 400). */
export const WH_ERR_TIMESTAMP = createError<'WH_ERR_TIMESTAMP', [reason: string]>(
  'WH_ERR_TIMESTAMP', 'Webhook timestamp refused: %s', 400)
/** An inbound body that is not the documented shape (answered 400). */
export const WH_ERR_BODY_INVALID = createError<'WH_ERR_BODY_INVALID', [details: string]>(
  'WH_ERR_BODY_INVALID', 'Webhook body is not valid: %s', 400)
/** A POST to an account the config does not have (answered 404). */
export const WH_ERR_ACCOUNT_UNKNOWN = createError<'WH_ERR_ACCOUNT_UNKNOWN', [account: string]>(
  'WH_ERR_ACCOUNT_UNKNOWN', "Webhook account '%s' is not configured", 404)
/** The reply receiver answered with an error status. */
export const WH_ERR_REPLY_FAILED = createError<'WH_ERR_REPLY_FAILED', [status: number, account: string]>(
  'WH_ERR_REPLY_FAILED', 'Reply POST answered %d (account %s)', 502)
