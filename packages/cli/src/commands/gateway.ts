import { Tokens, type Gateway, type PluginInfo } from '@openclaw/core'
import { GATEWAY_TOKEN_FILE, PLUGIN_NAME as HTTP_PLUGIN_ID } from '@openclaw/plugin-http-server'
import { join } from 'node:path'
import { configuredLogLevel, loadCliConfig, withOverrides, type CliConfig, type ConfigLocation } from '../cli-config.js'
import { createCliGateway } from '../cli-gateway.js'
import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { defaultPlugins } from '../default-plugins.js'
import { CLI_ERR_HTTP_SERVER_FAILED } from '../errors.js'
import { exitCodeForErrorCode } from '../exit-codes.js'
import { errorCode, formatError } from '../format-error.js'
import { portFromEnv } from '../gateway-port.js'
import { watchShutdownSignals } from '../shutdown-signals.js'
import { describeSurfaces, type SurfaceStatus } from './describe-surfaces.js'

export interface GatewayCommandOptions extends ConfigLocation {
  /** Overrides `OPENCLAW_GATEWAY_PORT` and `gateway.port`; 0 picks a free port. */
  readonly port?: number
  /** Overrides `gateway.bind`: `loopback`, `lan` or a host address. */
  readonly bind?: string
}

/** The root cause's code: a plugin's start failure wraps the error that says what is wrong. */
function rootCode(info: PluginInfo['error']): string | undefined {
  return errorCode(info?.cause) ?? info?.code
}

function authLine(gateway: Gateway, env: NodeJS.ProcessEnv): string {
  const auth = ((gateway.config.gateway as { auth?: { mode?: unknown; token?: unknown } }).auth ?? {})
  const mode = typeof auth.mode === 'string' ? auth.mode : 'token'
  if (mode === 'none') return 'none (loopback only: anyone on this machine can call the gateway)'
  if (mode === 'password') return 'password (gateway.auth.password or OPENCLAW_GATEWAY_PASSWORD)'
  const source =
    typeof auth.token === 'string' ? 'gateway.auth.token'
    : env.OPENCLAW_GATEWAY_TOKEN ? 'OPENCLAW_GATEWAY_TOKEN'
    : join(gateway.stateDir, GATEWAY_TOKEN_FILE)
  return `token from ${source}; print it with \`openclaw gateway token\``
}

/** A surface's banner line after its padded name: `on   <routes>`, `off`, or `failed  …`. */
function surfaceLine(surface: SurfaceStatus): string {
  if (surface.state === 'off') return 'off'
  if (surface.state === 'on') return `on   ${surface.routes.join(', ')}`
  return `failed  ${surface.routes.join(', ')} answer 503 (${surface.failedPlugins.join(', ')} failed: see below)`
}

/** A comma list, or `none`. */
function list(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : 'none'
}

/** Third-party plugins (loaded from folders, not built in), and the channels, tools and skills everything registered. */
function registeredLines(gateway: Gateway): string[] {
  const external = gateway.plugins.filter((p) => p.source !== 'inline' && p.state === 'started')
  const registry = gateway.registry
  return [
    `Plugins:   ${external.length > 0 ? external.map((p) => `${p.id}@${p.version} (${p.kind})`).join(', ') : 'built-in only (add one with `openclaw plugins install`)'}`,
    `Channels:  ${list(registry.channels.keys())}`,
    `Tools:     ${list(registry.tools.keys())}`,
    `Skills:    ${list([...registry.skills.keys(), ...gateway.diskSkills().map((s) => s.slug)])}`,
  ]
}

/** What the user needs once the gateway is up: where, what is served, what failed, how to authenticate. */
export function formatGatewayBanner(gateway: Gateway, config: CliConfig, env: NodeJS.ProcessEnv): string {
  const server = gateway.services.resolve(Tokens.HttpServer)
  const hooksPath = (gateway.config.hooks as { path?: unknown }).path
  const failed = gateway.plugins.filter((p) => p.state === 'failed')
  const surfaces = describeSurfaces(gateway.registry, typeof hooksPath === 'string' ? hooksPath : undefined, new Set(failed.map((p) => p.id)))
  const width = Math.max(...surfaces.map((s) => s.name.length))
  const providers = gateway.registry.providers.keys()
  const disabled = gateway.plugins.filter((p) => p.state === 'disabled')
  const lines = [
    `OpenClaw gateway ${gateway.version} listening on ${server.url}`,
    `  config     ${config.exists ? config.configPath : `none (no file at ${config.configPath}; defaults apply)`}`,
    `  state dir  ${gateway.stateDir}`,
    `  auth       ${authLine(gateway, env)}`,
    'Surfaces:',
    ...surfaces.map((s) => `  ${s.name.padEnd(width)}  ${surfaceLine(s)}`),
    `Providers: ${providers.length > 0 ? providers.join(', ') : 'none (install a provider plugin)'}`,
    ...registeredLines(gateway),
  ]
  if (failed.length > 0) {
    lines.push('Failed plugins (the gateway runs without them):')
    for (const p of failed) lines.push(`  ${p.id}: [${p.error?.code ?? 'ERR_UNKNOWN'}] ${p.error?.message ?? 'unknown error'}`)
  }
  if (disabled.length > 0) lines.push(`Disabled plugins: ${disabled.map((p) => `${p.id} (${p.error?.message ?? 'disabled'})`).join(', ')}`)
  lines.push('Press Ctrl+C to stop.')
  return `${lines.join('\n')}\n`
}

/**
 * `openclaw gateway`: run the gateway with every first-party plugin until SIGINT/SIGTERM. The first
 * signal stops it gracefully (in-flight requests get the server's shutdown timeout); a second one
 * exits at once with code 1.
 */
export async function runGateway(options: GatewayCommandOptions, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  // `--port` wins, then `OPENCLAW_GATEWAY_PORT`, then `gateway.port` in the file.
  const raw = withOverrides(config.raw, 'gateway', { port: options.port ?? portFromEnv(io.env), bind: options.bind })
  const gateway = await createCliGateway(config, io, { plugins: defaultPlugins(), logLevel: configuredLogLevel(config, 'info'), raw, keepStacks: true })

  const signals = watchShutdownSignals(io)
  try {
    // A required plugin that fails makes start() throw; the gateway has already cleaned up then.
    await gateway.start()
    const http = gateway.plugins.find((p) => p.id === HTTP_PLUGIN_ID)
    if (http?.state !== 'started') {
      await gateway.stop()
      const reason = http?.error ? `[${rootCode(http.error)}] ${http.error.message}` : `the plugin is ${http?.state ?? 'not installed'}`
      io.stderr.write(formatError(new CLI_ERR_HTTP_SERVER_FAILED(reason)))
      throw new CliExit(exitCodeForErrorCode(rootCode(http?.error)))
    }
    if (signals.received === undefined) io.stdout.write(formatGatewayBanner(gateway, config, io.env))
    const signal = await signals.first
    io.stdout.write(`Received ${signal}: stopping the gateway…\n`)
    await gateway.stop()
    io.stdout.write('Gateway stopped.\n')
  } finally {
    signals.dispose()
  }
}
