import { createError } from '@openclaw/plugin-sdk'

// Every code this plugin throws. Each key equals its code. The first argument is always the provider
// id. Messages carry the upstream error text, never the API key. Retired codes are never reused; list
// them here when one goes:
// (none retired yet)

/** Anthropic answered 401 or 403: the API key is missing, wrong or lacks access. */
export const ANTHROPIC_ERR_AUTH = createError<'ANTHROPIC_ERR_AUTH', [provider: string, status: number, message: string]>(
  'ANTHROPIC_ERR_AUTH', "Provider '%s' rejected the credentials (HTTP %s): %s", 502)
/** Anthropic answered 429, and retrying did not help (or would pass the deadline). */
export const ANTHROPIC_ERR_RATE_LIMITED = createError<'ANTHROPIC_ERR_RATE_LIMITED', [provider: string, status: number, message: string]>(
  'ANTHROPIC_ERR_RATE_LIMITED', "Provider '%s' is rate limiting requests (HTTP %s): %s", 429)
/** Anthropic failed: a 5xx or 529 (overloaded) answer, an `error` event in the stream, or a stream cut short. */
export const ANTHROPIC_ERR_UPSTREAM = createError<'ANTHROPIC_ERR_UPSTREAM', [provider: string, what: string, message: string]>(
  'ANTHROPIC_ERR_UPSTREAM', "Provider '%s' failed (%s): %s", 502)
/** Anthropic refused the request with another 4xx: unknown model, bad parameters, prompt too long. */
export const ANTHROPIC_ERR_BAD_REQUEST = createError<'ANTHROPIC_ERR_BAD_REQUEST', [provider: string, status: number, message: string]>(
  'ANTHROPIC_ERR_BAD_REQUEST', "Provider '%s' refused the request (HTTP %s): %s", 502)
/** No HTTP answer at all: connection refused or reset, DNS failure, TLS failure. */
export const ANTHROPIC_ERR_UNREACHABLE = createError<'ANTHROPIC_ERR_UNREACHABLE', [provider: string, origin: string, reason: string]>(
  'ANTHROPIC_ERR_UNREACHABLE', "Provider '%s' is unreachable at %s: %s", 503)
/** No data for `timeoutMs`, or the run's deadline passed while waiting for Anthropic. */
export const ANTHROPIC_ERR_TIMEOUT = createError<'ANTHROPIC_ERR_TIMEOUT', [provider: string, what: string]>(
  'ANTHROPIC_ERR_TIMEOUT', "Provider '%s' timed out: %s", 504)
