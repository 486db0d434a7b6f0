import { configJsonSchema } from '@openclaw/core'
import type { CliIo } from '../cli-io.js'
import { defaultPlugins } from '../default-plugins.js'

/** The JSON Schema of the whole config file: the core's part with each first-party plugin's at its config key. */
export function buildConfigSchema(): Record<string, unknown> {
  const parts = defaultPlugins().flatMap((plugin) =>
    plugin.config ? [{ configKey: plugin.configKey ?? `plugins.entries.${plugin.id}.config`, schema: plugin.config }] : [])
  return configJsonSchema(parts)
}

/** `openclaw config schema`: print the config's JSON Schema (for `"$schema"` in openclaw.json and editors). */
export function runConfigSchema(io: CliIo): void {
  io.stdout.write(`${JSON.stringify(buildConfigSchema(), null, 2)}\n`)
}
