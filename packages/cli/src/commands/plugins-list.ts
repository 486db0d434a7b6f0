import { createGateway, type PluginInfo } from '@openclaw/core'
import { configuredLogLevel, loadCliConfig, toGatewayConfigInput, type ConfigLocation } from '../cli-config.js'
import type { CliIo } from '../cli-io.js'
import { createCliLogger } from '../cli-logger.js'
import { DEFAULT_PLUGINS } from '../default-plugins.js'

export interface PluginsListOptions extends ConfigLocation {
  readonly json?: boolean
}

/** What `plugins list --json` prints for one plugin (the error's `cause` is left out: it may not serialise). */
function toJson(plugin: PluginInfo): Record<string, unknown> {
  const { error, ...rest } = plugin
  return { ...rest, ...(error ? { error: { code: error.code, message: error.message } } : {}) }
}

function formatTable(plugins: readonly PluginInfo[]): string {
  const header = ['ID', 'STATE', 'VERSION', 'KIND', 'SOURCE']
  const rows = plugins.map((p) => [p.id, p.state, p.version, p.kind, p.source])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')
  const out = [line(header), ...rows.map(line)]
  for (const p of plugins) if (p.error) out.push(`${p.id}: [${p.error.code}] ${p.error.message}`)
  return `${out.join('\n')}\n`
}

/**
 * `openclaw plugins list`: every plugin the gateway would load (first-party, `plugins.load.paths`,
 * `<stateDir>/extensions`), registered but not started, with its state, version and source.
 */
export async function runPluginsList(options: PluginsListOptions, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  const gateway = await createGateway({
    config: toGatewayConfigInput(config.raw),
    stateDir: config.stateDir,
    env: io.env,
    plugins: DEFAULT_PLUGINS,
    store: ':memory:',
    logger: createCliLogger(configuredLogLevel(config, 'warn'), io.stderr, { stacks: io.env.OPENCLAW_DEBUG === '1' }),
  })
  const plugins = gateway.pluginList
  await gateway.stop()
  io.stdout.write(options.json ? `${JSON.stringify(plugins.map(toJson), null, 2)}\n` : formatTable(plugins))
}
