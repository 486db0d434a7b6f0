import { z, type ZodType } from 'zod'
import type { GatewayConfig } from '../config/config-schema.js'
import { getAtPath } from '../config/config-path.js'
import { formatIssues } from '../config/format-issues.js'
import {
  CORE_ERR_CONFIG_INVALID,
  CORE_ERR_PLUGIN_API_VERSION,
  CORE_ERR_PLUGIN_DEPENDENCY_DISABLED,
  CORE_ERR_PLUGIN_DEPENDENCY_MISSING,
  CORE_ERR_PLUGIN_DUPLICATE,
  CORE_ERR_PLUGIN_INVALID,
} from '../errors/codes.js'
import { describeError, type PluginRecord } from './plugin-record.js'
import { DEFAULT_API_RANGE, PLUGIN_API_VERSION, type PluginDefinition, type PluginInput } from './plugin-definition.js'
import { supportsPluginApi } from './plugin-api-range.js'
import { readManifest } from './plugin-manifest.js'
import { ENV_NAME } from './plugin-env.js'
import { sortPlugins } from './sort-plugins.js'

/** Flatten presets and drop falsy holes, as Vite does with its plugin arrays. */
export function flattenPlugins(input: readonly PluginInput[]): PluginDefinition<unknown>[] {
  const out: PluginDefinition<unknown>[] = []
  const walk = (items: readonly PluginInput[]) => {
    for (const item of items) {
      if (!item) continue
      if (Array.isArray(item)) walk(item)
      else out.push(item as PluginDefinition<unknown>)
    }
  }
  walk(input)
  return out
}

function checkDefinition(value: unknown, source: string): asserts value is PluginDefinition<unknown> {
  const def = value as Partial<PluginDefinition<unknown>> | null
  const problem =
    typeof def !== 'object' || def === null ? 'expected an object made with definePlugin()'
    : typeof def.id !== 'string' || def.id === '' ? "missing string 'id'"
    : typeof def.version !== 'string' ? `plugin '${def.id}' has no string 'version'`
    : typeof def.register !== 'function' ? `plugin '${def.id}' has no register() function`
    : def.dependsOn !== undefined && !Array.isArray(def.dependsOn) ? `plugin '${def.id}': 'dependsOn' must be an array of plugin ids`
    : def.env !== undefined && (!Array.isArray(def.env) || !def.env.every((name) => typeof name === 'string' && ENV_NAME.test(name))) ? `plugin '${def.id}': 'env' must be an array of environment variable names`
    : undefined
  if (problem) throw new CORE_ERR_PLUGIN_INVALID(source, problem)
}

export { checkDefinition }

function newRecord(fields: Omit<PluginRecord, 'state' | 'error' | 'config' | 'api' | 'services' | 'abort'>): PluginRecord {
  return { ...fields, state: 'loaded', error: undefined, config: undefined, api: undefined, services: undefined, abort: new AbortController() }
}

export interface PlanInput {
  readonly inline: readonly PluginInput[]
  readonly pluginDirs: readonly string[]
  readonly config: GatewayConfig
  /** The raw config, for validating plugin sections (defaults are the plugins' own). */
  readonly rawConfig: unknown
  /** Problems already found in the core's part of the config, reported together with the plugins'. */
  readonly configProblems?: readonly string[]
}

/**
 * Everything that can be known before plugin code runs: which plugins exist, which are enabled, in
 * what order they load, and whether their config is valid. Throws a coded error for problems that
 * must stop start-up (duplicates, missing dependencies, cycles, invalid config); records the rest
 * (a broken manifest, an unsupported API version) as failed plugins.
 */
export function planPlugins(input: PlanInput): PluginRecord[] {
  const { config } = input
  const records: PluginRecord[] = []
  const byId = new Map<string, PluginRecord>()
  const entries = config.plugins.entries

  const add = (record: PluginRecord) => {
    const existing = byId.get(record.id)
    if (existing) throw new CORE_ERR_PLUGIN_DUPLICATE(record.id, existing.source, record.source)
    byId.set(record.id, record)
    records.push(record)
  }

  for (const def of flattenPlugins(input.inline)) {
    checkDefinition(def, 'inline')
    add(newRecord({
      id: def.id,
      name: def.name ?? def.id,
      version: def.version,
      kind: def.kind ?? 'other',
      source: 'inline',
      required: entries[def.id]?.required ?? false,
      dependsOn: [...(def.dependsOn ?? [])],
      apiVersion: def.apiVersion ?? DEFAULT_API_RANGE,
      configKey: def.configKey ?? `plugins.entries.${def.id}.config`,
      configSchema: def.config as ZodType | undefined,
      definition: def,
      entryPath: undefined,
    }))
  }

  for (const dir of input.pluginDirs) {
    try {
      const manifest = readManifest(dir)
      add(newRecord({
        id: manifest.id,
        name: manifest.name ?? manifest.id,
        version: manifest.version,
        kind: manifest.kind,
        source: dir,
        required: entries[manifest.id]?.required ?? false,
        dependsOn: manifest.dependsOn,
        apiVersion: manifest.apiVersion,
        configKey: manifest.configKey ?? `plugins.entries.${manifest.id}.config`,
        configSchema: z.fromJSONSchema(manifest.configSchema as Parameters<typeof z.fromJSONSchema>[0]),
        definition: undefined,
        entryPath: manifest.entryPath,
      }))
    } catch (err) {
      if ((err as { code?: string }).code === CORE_ERR_PLUGIN_DUPLICATE.code) throw err
      const id = `invalid:${dir.split(/[\\/]/).pop()}`
      const record = newRecord({
        id, name: id, version: '0.0.0', kind: 'other', source: dir, required: false, dependsOn: [], apiVersion: '*',
        configKey: '', configSchema: undefined, definition: undefined, entryPath: undefined,
      })
      record.state = 'failed'
      record.error = describeError(err)
      add(record)
    }
  }

  // Enablement: deny wins, then allow, then the entry's own switch.
  const allow = config.plugins.allow
  for (const record of records) {
    if (record.state === 'failed') continue
    const reason =
      config.plugins.deny.includes(record.id) ? 'denied by plugins.deny'
      : allow && !allow.includes(record.id) ? 'not in plugins.allow'
      : entries[record.id]?.enabled === false ? `plugins.entries.${record.id}.enabled is false`
      : undefined
    if (reason) {
      record.state = 'disabled'
      record.error = { code: 'DISABLED', message: reason }
    }
  }

  // API version: refuse, naming both versions.
  for (const record of records) {
    if (record.state !== 'loaded') continue
    if (!supportsPluginApi(record.apiVersion)) {
      record.state = 'failed'
      record.error = describeError(new CORE_ERR_PLUGIN_API_VERSION(record.id, record.apiVersion, PLUGIN_API_VERSION))
    }
  }

  // Dependencies must exist and be enabled, before anything runs.
  for (const record of records) {
    if (record.state === 'disabled') continue
    for (const dep of record.dependsOn) {
      const target = byId.get(dep)
      if (!target) throw new CORE_ERR_PLUGIN_DEPENDENCY_MISSING(record.id, dep)
      if (target.state === 'disabled') throw new CORE_ERR_PLUGIN_DEPENDENCY_DISABLED(record.id, dep)
    }
  }

  const ordered = sortPlugins(records)

  // Config of every enabled plugin, with the core's problems, in one error.
  const problems: string[] = [...(input.configProblems ?? [])]
  for (const record of ordered) {
    if (record.state !== 'loaded' || !record.configSchema) continue
    const section = getAtPath(input.rawConfig, record.configKey)
    const result = record.configSchema.safeParse(section ?? {})
    if (result.success) record.config = result.data
    else problems.push(...formatIssues(result.error.issues, section ?? {}, record.configKey.split('.')))
  }
  if (problems.length > 0) throw new CORE_ERR_CONFIG_INVALID(problems.join('\n'))

  return ordered
}
