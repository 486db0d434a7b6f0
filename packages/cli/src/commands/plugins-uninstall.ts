import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { loadCliConfig, type ConfigLocation } from '../cli-config.js'
import type { CliIo } from '../cli-io.js'
import { defaultPlugins } from '../default-plugins.js'
import { CLI_ERR_PLUGIN_BUILT_IN, CLI_ERR_PLUGIN_UNKNOWN } from '../errors.js'
import { runNpm } from '../npm-runner.js'
import { extensionsDir, linkHostPackages, readLock, writeLock } from '../plugin-installs.js'

/** `openclaw plugins uninstall <id|package>`: remove an installed plugin and its lock entry. */
export async function runPluginsUninstall(name: string, options: ConfigLocation, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  const extDir = extensionsDir(config.stateDir)
  if (defaultPlugins().some((p) => p.id === name)) throw new CLI_ERR_PLUGIN_BUILT_IN(name)
  const lock = readLock(extDir)
  const found = Object.entries(lock.plugins).find(([id, entry]) => id === name || entry.package === name)
  if (!found) throw new CLI_ERR_PLUGIN_UNKNOWN(name, Object.keys(lock.plugins).join(', ') || 'none installed')
  const [id, entry] = found
  await runNpm(['uninstall', entry.package, '--legacy-peer-deps', '--no-audit', '--no-fund'], extDir, io.env)
  linkHostPackages(extDir)
  rmSync(join(extDir, entry.tarball), { force: true })
  const { [id]: _removed, ...rest } = lock.plugins
  writeLock(extDir, { ...lock, plugins: rest })
  io.stdout.write(`Uninstalled ${id} (${entry.package} ${entry.version}). Restart the gateway to unload it.\n`)
}
