import type { PluginInfo } from '@openclaw/core'
import { configuredLogLevel, loadCliConfig, type ConfigLocation } from '../cli-config.js'
import { createCliGateway } from '../cli-gateway.js'
import type { CliIo } from '../cli-io.js'
import { defaultPlugins } from '../default-plugins.js'
import { formatTable } from '../format-table.js'

export interface PluginsListOptions extends ConfigLocation {
  readonly json?: boolean
}

/** What `plugins list --json` prints for one plugin (the error's `cause` is left out: it may not serialise). */
function toJson(plugin: PluginInfo): Record<string, unknown> {
  const { error, ...rest } = plugin
  return { ...rest, ...(error ? { error: { code: error.code, message: error.message } } : {}) }
}

function formatPlugins(plugins: readonly PluginInfo[]): string {
  const table = formatTable(['ID', 'STATE', 'VERSION', 'KIND', 'SOURCE'], plugins.map((p) => [p.id, p.state, p.version, p.kind, p.source]))
  const errors = plugins.filter((p) => p.error).map((p) => `${p.id}: [${p.error!.code}] ${p.error!.message}\n`)
  return table + errors.join('')
}

/**
 * `openclaw plugins list`: every plugin the gateway would load (first-party, `plugins.load.paths`,
 * `<stateDir>/extensions`), registered but not started, with its state, version and source.
 */
export async function runPluginsList(options: PluginsListOptions, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  const gateway = await createCliGateway(config, io, { plugins: defaultPlugins(), logLevel: configuredLogLevel(config, 'warn'), store: ':memory:' })
  const plugins = gateway.plugins
  await gateway.stop()
  io.stdout.write(options.json ? `${JSON.stringify(plugins.map(toJson), null, 2)}\n` : formatPlugins(plugins))
}
