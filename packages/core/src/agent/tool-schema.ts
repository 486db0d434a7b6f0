import { z, type ZodType } from 'zod'
import type { JsonSchema, ToolDefinition } from '../types/tools.js'

export interface CompiledToolSchema {
  /** Validates (and, for zod tools, transforms) arguments. */
  readonly validator: ZodType
  /** What the model is shown. */
  readonly jsonSchema: JsonSchema
}

const cache = new WeakMap<object, CompiledToolSchema>()

function isZod(value: unknown): value is ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value && typeof (value as ZodType).safeParse === 'function'
}

function withoutMeta(schema: Record<string, unknown>): JsonSchema {
  const { $schema: _drop, ...rest } = schema
  return rest
}

/** Turn a tool's `parameters` (zod or JSON Schema) into a validator and a JSON Schema, once per tool. */
export function compileToolSchema(tool: ToolDefinition): CompiledToolSchema {
  const cached = cache.get(tool)
  if (cached) return cached
  let compiled: CompiledToolSchema
  if (isZod(tool.parameters)) {
    compiled = { validator: tool.parameters, jsonSchema: withoutMeta(z.toJSONSchema(tool.parameters, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>) }
  } else {
    const jsonSchema = tool.parameters
    compiled = { validator: z.fromJSONSchema(jsonSchema as Parameters<typeof z.fromJSONSchema>[0]), jsonSchema }
  }
  cache.set(tool, compiled)
  return compiled
}
