import { loadCliConfig, type ConfigLocation } from '../cli-config.js'
import type { CliIo } from '../cli-io.js'
import { editConfigFile, section } from '../config-file-edit.js'
import { CLI_ERR_PLUGIN_UNKNOWN } from '../errors.js'
import { knownPlugins } from './plugins-info.js'

/**
 * `openclaw plugins enable|disable <id>`: set `plugins.entries.<id>.enabled` in the config file (and,
 * to enable, take the id off `plugins.deny`). The gateway applies it on its next start.
 */
export async function runPluginsToggle(id: string, enabled: boolean, options: ConfigLocation, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  const plugins = await knownPlugins(options, io)
  if (!plugins.some((p) => p.id === id)) throw new CLI_ERR_PLUGIN_UNKNOWN(id, plugins.map((p) => p.id).join(', '))
  editConfigFile(config.configPath, (file) => {
    const pluginsSection = section(file, 'plugins')
    const entries = section(pluginsSection, 'entries')
    section(entries, id).enabled = enabled
    if (enabled && Array.isArray(pluginsSection.deny)) pluginsSection.deny = pluginsSection.deny.filter((denied) => denied !== id)
  })
  const allow = (config.raw.plugins as { allow?: unknown } | undefined)?.allow
  const notAllowed = enabled && Array.isArray(allow) && !allow.includes(id)
  io.stdout.write(
    `${enabled ? 'Enabled' : 'Disabled'} ${id} in ${config.configPath}; restart the gateway to apply it.\n` +
      (notAllowed ? `Note: plugins.allow does not list ${id}, so it still will not load.\n` : ''),
  )
}
