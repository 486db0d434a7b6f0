import type { ZodType } from 'zod'
import type { DependencyManager } from '../di/dependency-manager.js'
import type { PluginApi } from './plugin-api.js'
import type { PluginDefinition, PluginInfo, PluginKind, PluginState } from './plugin-definition.js'

/** The gateway's bookkeeping for one plugin, from planning to stop. */
export interface PluginRecord {
  readonly id: string
  name: string
  version: string
  kind: PluginKind
  readonly source: string
  readonly required: boolean
  readonly dependsOn: readonly string[]
  readonly apiVersion: string
  readonly configKey: string
  /** The plugin's config schema: its zod schema, or the manifest's JSON Schema turned into one. */
  configSchema: ZodType | undefined
  /** Set for plugins passed in code, and for disk plugins once their entry is imported. */
  definition: PluginDefinition<unknown> | undefined
  /** For disk plugins: the module to import. */
  readonly entryPath: string | undefined
  state: PluginState
  error: PluginInfo['error']
  config: unknown
  api: PluginApi<unknown> | undefined
  services: DependencyManager | undefined
  readonly abort: AbortController
}

export function toPluginInfo(record: PluginRecord): PluginInfo {
  return {
    id: record.id,
    name: record.name,
    version: record.version,
    kind: record.kind,
    source: record.source,
    required: record.required,
    dependsOn: record.dependsOn,
    state: record.state,
    ...(record.error ? { error: record.error } : {}),
  }
}

export function describeError(err: unknown): NonNullable<PluginInfo['error']> {
  if (err instanceof Error) {
    const code = typeof (err as { code?: unknown }).code === 'string' ? (err as unknown as { code: string }).code : 'ERR_UNKNOWN'
    return { code, message: err.message, ...(err.cause !== undefined ? { cause: err.cause } : {}) }
  }
  return { code: 'ERR_UNKNOWN', message: String(err) }
}
