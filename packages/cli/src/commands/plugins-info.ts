import { join } from 'node:path'
import { readManifest, type PluginInfo } from '@openclaw/core'
import { configuredLogLevel, loadCliConfig, type ConfigLocation } from '../cli-config.js'
import { createCliGateway } from '../cli-gateway.js'
import type { CliIo } from '../cli-io.js'
import { defaultPlugins } from '../default-plugins.js'
import { CLI_ERR_PLUGIN_UNKNOWN } from '../errors.js'
import { extensionsDir, readLock } from '../plugin-installs.js'

export interface PluginsInfoOptions extends ConfigLocation {
  readonly json?: boolean
}

/** Every plugin the gateway would load, registered but not started (as `plugins list` sees them). */
export async function knownPlugins(options: ConfigLocation, io: CliIo): Promise<readonly PluginInfo[]> {
  const config = loadCliConfig(options, io.env)
  const gateway = await createCliGateway(config, io, { plugins: defaultPlugins(), logLevel: configuredLogLevel(config, 'warn'), store: ':memory:' })
  const plugins = gateway.plugins
  await gateway.stop()
  return plugins
}

/** `openclaw plugins info <id>`: state, version, source, manifest and lock entry of one plugin. */
export async function runPluginsInfo(id: string, options: PluginsInfoOptions, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  const plugins = await knownPlugins(options, io)
  const plugin = plugins.find((p) => p.id === id)
  if (!plugin) throw new CLI_ERR_PLUGIN_UNKNOWN(id, plugins.map((p) => p.id).join(', '))
  const installed = readLock(extensionsDir(config.stateDir)).plugins[id]
  const manifest = plugin.source !== 'inline' ? readManifest(plugin.source) : undefined
  const info = {
    id: plugin.id,
    name: plugin.name,
    version: plugin.version,
    kind: plugin.kind,
    state: plugin.state,
    source: plugin.source === 'inline' ? 'built in' : plugin.source,
    dependsOn: plugin.dependsOn,
    ...(manifest ? { apiVersion: manifest.apiVersion, configKey: manifest.configKey ?? `plugins.entries.${id}.config`, configSchema: manifest.configSchema } : {}),
    ...(installed ? { installed } : {}),
    ...(plugin.error ? { error: { code: plugin.error.code, message: plugin.error.message } } : {}),
  }
  if (options.json) {
    io.stdout.write(`${JSON.stringify(info, null, 2)}\n`)
    return
  }
  const lines = [
    `${info.id}  ${info.name}`,
    `  version     ${info.version}`,
    `  kind        ${info.kind}`,
    `  state       ${info.state}${info.error ? `  [${info.error.code}] ${info.error.message}` : ''}`,
    `  source      ${info.source}`,
    `  depends on  ${info.dependsOn.length > 0 ? info.dependsOn.join(', ') : 'nothing'}`,
  ]
  if (manifest) lines.push(`  api range   ${manifest.apiVersion}`, `  config at   ${info.configKey}`)
  if (installed) lines.push(`  installed   ${installed.package}@${installed.version} from ${installed.source}`, `  integrity   ${installed.integrity}`, `  tarball     ${join(extensionsDir(config.stateDir), installed.tarball)}`)
  io.stdout.write(`${lines.join('\n')}\n`)
}
