import { z, type ZodType } from 'zod'
import { CoreConfigSchema } from './config-schema.js'

type JsonObject = Record<string, unknown>

function placeAt(root: JsonObject, path: string[], schema: JsonObject): void {
  let node = root
  for (const key of path) {
    node.type ??= 'object'
    const props = (node.properties ??= {}) as Record<string, JsonObject>
    node = props[key] ??= { type: 'object' }
  }
  Object.assign(node, schema)
}

/**
 * The JSON Schema of the whole config file, for editors (`"$schema"` in openclaw.json): the core's
 * part with each plugin's schema placed at its config key.
 */
export function configJsonSchema(plugins: readonly { readonly configKey: string; readonly schema: ZodType }[] = []): JsonObject {
  const root = z.toJSONSchema(CoreConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonObject
  for (const plugin of plugins) {
    const { $schema: _drop, ...schema } = z.toJSONSchema(plugin.schema, { io: 'input', unrepresentable: 'any' }) as JsonObject
    placeAt(root, plugin.configKey.split('.'), schema)
  }
  return root
}
