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
/** The agent did not take the run within the admission window (its session is busy): answered 503. */
export const HOOKS_ERR_ADMISSION_TIMEOUT = createError<'HOOKS_ERR_ADMISSION_TIMEOUT', [seconds: number]>(
  'HOOKS_ERR_ADMISSION_TIMEOUT', 'The agent did not accept the run within %d s (its session is busy); the run was cancelled, retry later', 503)
/** The agent runtime ended a run before reporting its start (should not happen). */
export const HOOKS_ERR_RUN_NOT_STARTED = createError<'HOOKS_ERR_RUN_NOT_STARTED'>(
  'HOOKS_ERR_RUN_NOT_STARTED', 'The agent run ended before it started', 500)
