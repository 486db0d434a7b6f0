import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MANIFEST_FILE, PLUGIN_API_VERSION, readManifest, supportsPluginApi } from '@openclaw/core'
import { loadCliConfig, type ConfigLocation } from '../cli-config.js'
import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { CLI_ERR_PLUGIN_DOCTOR_PROBLEMS } from '../errors.js'
import { EXIT_FAILURE } from '../exit-codes.js'
import { formatError } from '../format-error.js'
import { extensionsDir, HOST_PACKAGES, isLinkedToHost, linkHostPackages, readLock } from '../plugin-installs.js'
import { knownPlugins } from './plugins-info.js'

export interface PluginsDoctorOptions extends ConfigLocation {
  /** Re-link the host's SDK and core into the extensions folder. */
  readonly fix?: boolean
}

/** Package folders under `node_modules` (scoped ones too). */
function packagesIn(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) return []
  return readdirSync(nodeModules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => (name.startsWith('@') ? readdirSync(join(nodeModules, name)).map((sub) => `${name}/${sub}`) : [name]))
}

/**
 * `openclaw plugins doctor`: check what is installed against the lock file, each plugin's manifest and
 * API range, that plugins share the host's SDK and core (one copy), and that every plugin registers.
 */
export async function runPluginsDoctor(options: PluginsDoctorOptions, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  const extDir = extensionsDir(config.stateDir)
  const problems: string[] = []
  const ok: string[] = []
  const nodeModules = join(extDir, 'node_modules')
  const lock = readLock(extDir)

  if (options.fix && existsSync(extDir)) linkHostPackages(extDir)
  for (const [id, entry] of Object.entries(lock.plugins)) {
    const dir = join(nodeModules, entry.package)
    if (!existsSync(dir)) {
      problems.push(`${id}: ${entry.package} is in the lock file but not installed (reinstall: openclaw plugins install ${entry.source})`)
      continue
    }
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version
    if (version !== entry.version) problems.push(`${id}: ${entry.package} is ${version} on disk, ${entry.version} in the lock file`)
    try {
      const manifest = readManifest(dir)
      if (manifest.id !== id) problems.push(`${id}: the installed manifest says id '${manifest.id}'`)
      if (!supportsPluginApi(manifest.apiVersion)) problems.push(`${id}: needs plugin API ${manifest.apiVersion}, this core provides ${PLUGIN_API_VERSION}`)
      else ok.push(`${id} ${entry.version} (${entry.package}): manifest ok, API ${manifest.apiVersion} ok`)
    } catch (err) {
      problems.push(`${id}: ${(err as Error).message}`)
    }
  }
  const locked = new Set(Object.values(lock.plugins).map((e) => e.package))
  for (const name of packagesIn(nodeModules)) {
    if ((HOST_PACKAGES as readonly string[]).includes(name)) continue // the host's own, linked
    if (!locked.has(name) && existsSync(join(nodeModules, name, MANIFEST_FILE))) ok.push(`${name}: a plugin installed without \`openclaw plugins install\` (not in the lock file)`)
    const nested = join(nodeModules, name, 'node_modules')
    for (const host of HOST_PACKAGES) {
      if (existsSync(join(nested, host))) problems.push(`${name} has its own copy of ${host}: plugins must share the gateway's (make it a peerDependency and reinstall)`)
    }
  }
  if (existsSync(nodeModules)) {
    for (const host of HOST_PACKAGES) {
      if (!isLinkedToHost(extDir, host)) problems.push(`${join(nodeModules, host)} is not the gateway's own copy (run \`openclaw plugins doctor --fix\`)`)
    }
  }
  for (const plugin of await knownPlugins(options, io)) {
    if (plugin.state === 'failed') problems.push(`${plugin.id}: [${plugin.error?.code ?? 'ERR_UNKNOWN'}] ${plugin.error?.message ?? 'failed'}`)
  }

  for (const line of ok) io.stdout.write(`ok       ${line}\n`)
  for (const line of problems) io.stdout.write(`problem  ${line}\n`)
  if (problems.length > 0) {
    io.stderr.write(formatError(new CLI_ERR_PLUGIN_DOCTOR_PROBLEMS(problems.length)))
    throw new CliExit(EXIT_FAILURE)
  }
  io.stdout.write(`No problems (${Object.keys(lock.plugins).length} installed plugin${Object.keys(lock.plugins).length === 1 ? '' : 's'} in ${extDir}).\n`)
}
