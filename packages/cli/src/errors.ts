import { createError } from '@openclaw/core'

// Every code the CLI throws. Each key equals its code, and docs/cli.md lists it (a test keeps them in
// sync). Only command modules import this file, so `openclaw --help` does not load the core.
// Retired codes are never reused; list them here when one goes:
// (none retired yet)

export const CLI_ERR_TOKEN_MISSING = createError<'CLI_ERR_TOKEN_MISSING', [stateDir: string]>(
  'CLI_ERR_TOKEN_MISSING',
  "No gateway token yet in '%s': start the gateway once (`openclaw gateway`) to generate one, or set gateway.auth.token or OPENCLAW_GATEWAY_TOKEN")
export const CLI_ERR_TOKEN_NOT_USED = createError<'CLI_ERR_TOKEN_NOT_USED', [mode: string]>(
  'CLI_ERR_TOKEN_NOT_USED',
  "gateway.auth.mode is '%s', so the gateway uses no token")
export const CLI_ERR_HTTP_SERVER_FAILED = createError<'CLI_ERR_HTTP_SERVER_FAILED', [reason: string]>(
  'CLI_ERR_HTTP_SERVER_FAILED',
  'The HTTP server (core:http) did not start, so the gateway cannot serve anything: %s')
export const CLI_ERR_PORT_ENV_INVALID = createError<'CLI_ERR_PORT_ENV_INVALID', [value: string]>(
  'CLI_ERR_PORT_ENV_INVALID',
  "OPENCLAW_GATEWAY_PORT must be a port number from 0 to 65535 (found '%s')")
export const CLI_ERR_REMOTE_UNAVAILABLE = createError<'CLI_ERR_REMOTE_UNAVAILABLE'>(
  'CLI_ERR_REMOTE_UNAVAILABLE',
  'Talking to a running gateway needs the RPC plugin (@openclaw/plugin-rpc), which this CLI does not use yet; run the turn embedded with --local')
export const CLI_ERR_RUN_NO_RESULT = createError<'CLI_ERR_RUN_NO_RESULT'>(
  'CLI_ERR_RUN_NO_RESULT',
  'The agent run ended without reporting a result')
