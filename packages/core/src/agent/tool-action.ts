import { CORE_ERR_TOOL_INVALID_ARGS } from '../errors/codes.js'
import type { ToolDefinition } from '../types/tools.js'
import { compileToolSchema } from './tool-schema.js'

/**
 * The one rule for the `action` field of `/tools/invoke` and RPC `tools.invoke` (OpenClaw's
 * shortcut for multi-action tools): it becomes `args.action` when the tool's parameters have an
 * `action` property, and is ignored otherwise. `args.action` given as well must say the same, or the
 * call is refused; `args` must then be an object (or absent).
 */
export function mergeToolAction(tool: ToolDefinition | undefined, args: unknown, action: string | undefined): unknown {
  if (action === undefined || tool === undefined) return args
  const properties = (compileToolSchema(tool).jsonSchema as { properties?: Record<string, unknown> }).properties
  if (properties?.action === undefined) return args
  const base = args ?? {}
  if (typeof base !== 'object' || Array.isArray(base) || base === null) {
    throw new CORE_ERR_TOOL_INVALID_ARGS(tool.name, `- args: must be an object to take action '${action}'`)
  }
  const given = (base as { action?: unknown }).action
  if (given !== undefined && given !== action) {
    throw new CORE_ERR_TOOL_INVALID_ARGS(tool.name, `- action: '${action}' disagrees with args.action ${JSON.stringify(given)}`)
  }
  return { ...base, action }
}
