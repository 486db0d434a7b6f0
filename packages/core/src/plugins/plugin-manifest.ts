import { existsSync, readFileSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import JSON5 from 'json5'
import { z, type ZodType } from 'zod'
import { DEFAULT_API_RANGE, type PluginDefinition } from './plugin-definition.js'
import { CORE_ERR_PLUGIN_MANIFEST_INVALID } from '../errors/codes.js'
import { formatIssues } from '../config/format-issues.js'

export const MANIFEST_FILE = 'openclaw.plugin.json'

/** `openclaw.plugin.json`: what the gateway knows of a plugin without running its code. */
export const PluginManifestSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  version: z.string().min(1),
  description: z.string().optional(),
  kind: z.enum(['channel', 'provider', 'tool', 'skill', 'surface', 'memory', 'other']).default('other'),
  apiVersion: z.string().default(DEFAULT_API_RANGE),
  dependsOn: z.array(z.string()).default([]),
  configKey: z.string().optional(),
  /** The environment variables the plugin reads (its definition's `env`). */
  env: z.array(z.string()).default([]),
  /** JSON Schema of the plugin's config. */
  configSchema: z.record(z.string(), z.unknown()).default({ type: 'object' }),
  /** The built module, relative to the manifest; its default export is the plugin. */
  entry: z.string().min(1),
})
export type PluginManifest = z.output<typeof PluginManifestSchema>

/** Read and check a plugin folder's manifest. The entry must stay inside the folder. */
export function readManifest(dir: string): PluginManifest & { readonly dir: string; readonly entryPath: string } {
  const path = join(dir, MANIFEST_FILE)
  let raw: unknown
  try {
    raw = JSON5.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new CORE_ERR_PLUGIN_MANIFEST_INVALID(path, err instanceof Error ? err.message : String(err), { cause: err })
  }
  const parsed = PluginManifestSchema.safeParse(raw)
  if (!parsed.success) throw new CORE_ERR_PLUGIN_MANIFEST_INVALID(path, `\n${formatIssues(parsed.error.issues, raw).join('\n')}`)
  const root = resolve(dir)
  const entryPath = resolve(root, parsed.data.entry)
  if (!entryPath.startsWith(root + sep)) throw new CORE_ERR_PLUGIN_MANIFEST_INVALID(path, `entry '${parsed.data.entry}' points outside the plugin folder`)
  if (!existsSync(entryPath)) throw new CORE_ERR_PLUGIN_MANIFEST_INVALID(path, `entry '${parsed.data.entry}' does not exist (was the plugin built?)`)
  return { ...parsed.data, dir: root, entryPath }
}

/**
 * The manifest of a plugin, generated from its code by the build (`openclaw-plugin-manifest`), so the
 * gateway can list plugins and validate their config without running them.
 */
export function createManifest(definition: PluginDefinition<unknown>, options: { entry: string; name?: string; description?: string }): PluginManifest {
  const schema = definition.config as ZodType | undefined
  let configSchema: Record<string, unknown> = { type: 'object', additionalProperties: false }
  if (schema) {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
    configSchema = rest
  }
  return {
    id: definition.id,
    name: definition.name ?? options.name ?? definition.id,
    version: definition.version,
    ...(definition.description ?? options.description ? { description: definition.description ?? options.description } : {}),
    kind: definition.kind ?? 'other',
    apiVersion: definition.apiVersion ?? DEFAULT_API_RANGE,
    dependsOn: [...(definition.dependsOn ?? [])],
    ...(definition.configKey ? { configKey: definition.configKey } : {}),
    env: [...(definition.env ?? [])],
    configSchema,
    entry: options.entry,
  }
}
