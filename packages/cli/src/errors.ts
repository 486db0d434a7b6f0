import { createError } from '@openclaw/core'

// Every code the CLI throws. Each key equals its code, and docs/cli.md lists it (a test keeps them in
// sync). Only command modules import this file, so `openclaw --help` does not load the core.
// Retired codes are never reused; list them here when one goes:
// - CLI_ERR_REMOTE_UNAVAILABLE: `openclaw agent` without --local before the CLI could talk to a
//   running gateway (now it does; failures to reach it are CLI_ERR_GATEWAY_*).

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
export const CLI_ERR_RUN_NO_RESULT = createError<'CLI_ERR_RUN_NO_RESULT'>(
  'CLI_ERR_RUN_NO_RESULT',
  'The agent run ended without reporting a result')

// ── talking to a running gateway (WebSocket RPC) ─────────────────────────────────────────────────
/** OPENCLAW_GATEWAY_URL is not a ws(s):// or http(s):// URL. */
export const CLI_ERR_GATEWAY_URL_INVALID = createError<'CLI_ERR_GATEWAY_URL_INVALID', [value: string, source: string]>(
  'CLI_ERR_GATEWAY_URL_INVALID',
  "'%s' (from %s) is not a gateway URL: expected ws://host:port or wss://host:port (http:// and https:// are accepted too), with no credentials or query in it (use --token / --password)")
/** Nothing answers at the gateway URL (connection refused, unknown host, …). */
export const CLI_ERR_GATEWAY_UNREACHABLE = createError<'CLI_ERR_GATEWAY_UNREACHABLE', [url: string, reason: string, urlSource: string]>(
  'CLI_ERR_GATEWAY_UNREACHABLE',
  "Cannot reach the gateway at '%s' (%s; URL from %s): start it with `openclaw gateway`, or point --url or OPENCLAW_GATEWAY_URL at a running one")
/** The gateway refused the handshake's token or password (or none was sent). */
export const CLI_ERR_GATEWAY_AUTH = createError<'CLI_ERR_GATEWAY_AUTH', [url: string, reason: string, hint: string]>(
  'CLI_ERR_GATEWAY_AUTH',
  "The gateway at '%s' refused the connection (%s): %s")
/** Something answers at the URL, but not an OpenClaw gateway speaking protocol v4 (HTTP error on the upgrade, protocol mismatch, …). */
export const CLI_ERR_GATEWAY_HANDSHAKE = createError<'CLI_ERR_GATEWAY_HANDSHAKE', [url: string, reason: string]>(
  'CLI_ERR_GATEWAY_HANDSHAKE',
  "'%s' did not complete an OpenClaw protocol v4 handshake: %s")
/** No answer in time: the handshake, a call, or the gateway's `tick` heartbeat. */
export const CLI_ERR_GATEWAY_TIMEOUT = createError<'CLI_ERR_GATEWAY_TIMEOUT', [url: string, what: string, ms: number]>(
  'CLI_ERR_GATEWAY_TIMEOUT',
  "The gateway at '%s' did not answer %s within %d ms")
/** The gateway closed the connection (it stopped, or cut this client off) while a call was pending. */
export const CLI_ERR_GATEWAY_CLOSED = createError<'CLI_ERR_GATEWAY_CLOSED', [url: string, reason: string]>(
  'CLI_ERR_GATEWAY_CLOSED',
  "The connection to the gateway at '%s' closed before the answer came (%s)")
/** `message send --media` with a local path: the RPC `send` method takes media URLs only. */
export const CLI_ERR_MEDIA_PATH_UNSUPPORTED = createError<'CLI_ERR_MEDIA_PATH_UNSUPPORTED', [media: string]>(
  'CLI_ERR_MEDIA_PATH_UNSUPPORTED',
  "--media '%s' is not an http(s) URL: the gateway's send method takes media by URL only (mediaUrl), so a local file cannot be attached; put it where the channel can fetch it and pass that URL")

// ── installing plugins (`openclaw plugins …`) ──────────────────────────────────────────────────────
/** npm failed while packing, installing or removing a plugin; its output says why. */
export const CLI_ERR_PLUGIN_NPM_FAILED = createError<'CLI_ERR_PLUGIN_NPM_FAILED', [command: string, output: string]>(
  'CLI_ERR_PLUGIN_NPM_FAILED',
  '`%s` failed:\n%s')
/** The package to install has no `openclaw.plugin.json` (it is not a built OpenClaw plugin). */
export const CLI_ERR_PLUGIN_NOT_A_PLUGIN = createError<'CLI_ERR_PLUGIN_NOT_A_PLUGIN', [spec: string]>(
  'CLI_ERR_PLUGIN_NOT_A_PLUGIN',
  "'%s' is not an OpenClaw plugin: its package has no openclaw.plugin.json (build it first: `npm run build` writes it)")
/** `plugins info|enable|disable|uninstall` named a plugin that is not installed (or not known). */
export const CLI_ERR_PLUGIN_UNKNOWN = createError<'CLI_ERR_PLUGIN_UNKNOWN', [plugin: string, known: string]>(
  'CLI_ERR_PLUGIN_UNKNOWN',
  "No plugin '%s' (known: %s)")
/** `plugins uninstall` of a plugin that ships with the CLI. */
export const CLI_ERR_PLUGIN_BUILT_IN = createError<'CLI_ERR_PLUGIN_BUILT_IN', [plugin: string]>(
  'CLI_ERR_PLUGIN_BUILT_IN',
  "Plugin '%s' ships with openclaw and cannot be uninstalled; disable it with `openclaw plugins disable <id>`")
/** `plugins doctor` found problems (each is listed above it). */
export const CLI_ERR_PLUGIN_DOCTOR_PROBLEMS = createError<'CLI_ERR_PLUGIN_DOCTOR_PROBLEMS', [count: number]>(
  'CLI_ERR_PLUGIN_DOCTOR_PROBLEMS',
  '%s plugin problem(s) found')
/** `plugins enable|disable` cannot rewrite the config file (it is not plain JSON5 the CLI can parse). */
export const CLI_ERR_CONFIG_WRITE = createError<'CLI_ERR_CONFIG_WRITE', [path: string, reason: string]>(
  'CLI_ERR_CONFIG_WRITE',
  "Cannot update the config file '%s': %s")
