import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { errors, MANIFEST_FILE, PLUGIN_API_VERSION, readManifest, supportsPluginApi, type PluginManifest } from '@openclaw/core'
import { loadCliConfig, type ConfigLocation } from '../cli-config.js'
import type { CliIo } from '../cli-io.js'
import { defaultPlugins } from '../default-plugins.js'
import { CLI_ERR_PLUGIN_NOT_A_PLUGIN, CLI_ERR_PLUGIN_NPM_FAILED } from '../errors.js'
import { runNpm } from '../npm-runner.js'
import { ensureExtensionsDir, extensionsDir, linkHostPackages, readLock, writeLock } from '../plugin-installs.js'

export interface PluginsInstallOptions extends ConfigLocation {
  readonly json?: boolean
}

interface Packed {
  readonly name: string
  readonly version: string
  readonly integrity: string
  readonly filename: string
}

function untar(tarball: string, into: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('tar', ['-xzf', tarball, '-C', into], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', (err) => reject(new CLI_ERR_PLUGIN_NPM_FAILED(`tar -xzf ${tarball}`, err.message, { cause: err })))
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new CLI_ERR_PLUGIN_NPM_FAILED(`tar -xzf ${tarball}`, stderr.trim()))))
  })
}

/** Pack what `spec` names (a folder, a tarball or an npm spec) into one tarball, without running its scripts. */
async function pack(spec: string, into: string, io: CliIo): Promise<Packed & { tarball: string }> {
  const target = existsSync(resolve(spec)) ? resolve(spec) : spec
  const out = await runNpm(['pack', target, '--json', '--ignore-scripts', '--pack-destination', into], into, io.env)
  const packed = (JSON.parse(out) as Packed[])[0]!
  return { ...packed, tarball: join(into, basename(packed.filename)) }
}

/**
 * Check a packed plugin before anything is installed: a built manifest whose entry exists, an API
 * range this core satisfies, and an id that no built-in or other installed plugin has.
 */
async function checkPackage(spec: string, packed: Packed & { tarball: string }, staging: string, extDir: string): Promise<PluginManifest> {
  const unpacked = join(staging, 'unpacked')
  mkdirSync(unpacked)
  await untar(packed.tarball, unpacked)
  const dir = join(unpacked, 'package')
  if (!existsSync(join(dir, MANIFEST_FILE))) throw new CLI_ERR_PLUGIN_NOT_A_PLUGIN(spec)
  const manifest = readManifest(dir)
  if (!supportsPluginApi(manifest.apiVersion)) throw new errors.CORE_ERR_PLUGIN_API_VERSION(manifest.id, manifest.apiVersion, PLUGIN_API_VERSION)
  if (defaultPlugins().some((p) => p.id === manifest.id)) throw new errors.CORE_ERR_PLUGIN_DUPLICATE(manifest.id, 'openclaw (built in)', packed.name)
  const taken = readLock(extDir).plugins[manifest.id]
  if (taken && taken.package !== packed.name) throw new errors.CORE_ERR_PLUGIN_DUPLICATE(manifest.id, `${taken.package} (installed)`, packed.name)
  return manifest
}

/**
 * `openclaw plugins install <path|tarball|npm-spec>`: pack it, check its manifest and API range, then
 * install it with npm into `<stateDir>/extensions` (sharing the host's SDK and core), and record its
 * version and integrity in the lock file. The gateway loads it on its next start.
 */
export async function runPluginsInstall(spec: string, options: PluginsInstallOptions, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  const extDir = extensionsDir(config.stateDir)
  const staging = mkdtempSync(join(tmpdir(), 'openclaw-plugin-install-'))
  try {
    const packed = await pack(spec, staging, io)
    const manifest = await checkPackage(spec, packed, staging, extDir)
    ensureExtensionsDir(extDir)
    const kept = join('.tarballs', basename(packed.tarball))
    copyFileSync(packed.tarball, join(extDir, kept))
    // Peers (the SDK, the core) are the host's: npm does not install them; the links below provide them.
    await runNpm(['install', `./${kept}`, '--omit=dev', '--legacy-peer-deps', '--no-audit', '--no-fund'], extDir, io.env)
    linkHostPackages(extDir)
    readManifest(join(extDir, 'node_modules', packed.name))
    const lock = readLock(extDir)
    writeLock(extDir, {
      ...lock,
      plugins: {
        ...lock.plugins,
        [manifest.id]: { package: packed.name, version: packed.version, integrity: packed.integrity, source: existsSync(resolve(spec)) ? resolve(spec) : spec, tarball: kept, installedAt: new Date().toISOString() },
      },
    })
    const entry = (config.raw.plugins as { entries?: Record<string, { enabled?: unknown }> } | undefined)?.entries?.[manifest.id]
    const disabled = entry?.enabled === false
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ id: manifest.id, package: packed.name, version: packed.version, integrity: packed.integrity, kind: manifest.kind, dir: join(extDir, 'node_modules', packed.name), enabled: !disabled }, null, 2)}\n`)
      return
    }
    io.stdout.write(
      `Installed ${manifest.id} (${manifest.kind}) ${packed.version} from ${packed.name} into ${extDir}\n` +
        (disabled ? `It is disabled in the config: \`openclaw plugins enable ${manifest.id}\` turns it on.\n` : 'Restart the gateway to load it.\n'),
    )
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}
