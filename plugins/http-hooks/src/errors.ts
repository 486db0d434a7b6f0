import { createError } from '@openclaw/plugin-sdk'

// Every code the webhooks plugin (`http:hooks`) throws. Each key equals its code. Messages never carry
// a token. Retired codes are never reused; list them here when one goes:
// (none retired yet)

/** `hooks.enabled` is true but there is no `hooks.token`. */
export const HOOKS_ERR_TOKEN_MISSING = createError<'HOOKS_ERR_TOKEN_MISSING'>(
  'HOOKS_ERR_TOKEN_MISSING',
  'hooks.enabled is true but hooks.token is not set: set hooks.token to a long random secret, different from the gateway token (or set hooks.enabled to false)')
/** `hooks.token` equals the gateway token or password. */
export const HOOKS_ERR_TOKEN_REUSED = createError<'HOOKS_ERR_TOKEN_REUSED', [source: string]>(
  'HOOKS_ERR_TOKEN_REUSED',
  'hooks.token must differ from the gateway credential, but it equals %s: webhook senders hold the hooks token, so give it its own secret')
/** A webhook request the plugin refuses (answered 400 `invalid_request`). */
export const HOOKS_ERR_INVALID_REQUEST = createError<'HOOKS_ERR_INVALID_REQUEST', [reason: string]>(
  'HOOKS_ERR_INVALID_REQUEST', '%s', 400)
/** A webhook request that carries a credential in its query string (answered 400, before any check). */
export const HOOKS_ERR_QUERY_TOKEN = createError<'HOOKS_ERR_QUERY_TOKEN'>(
  'HOOKS_ERR_QUERY_TOKEN',
  'Hook token must be provided via Authorization: Bearer <token> or X-OpenClaw-Token header (query parameters are not allowed).',
  400)
