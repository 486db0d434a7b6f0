import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { CoreErrors, createError } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { RPC_ERR_TOOL_NAME_MISSING } from './errors.js'
import type { RpcMethodDeps } from './rpc-method-deps.js'

const ToolsInvokeParams = z.strictObject({
  tool: z.string().min(1).max(128).optional(),
  /** Wins over `tool`. */
  name: z.string().min(1).max(128).optional(),
  args: z.unknown().optional(),
  /** Becomes `args.action` when the tool's parameters have one (the kernel's rule, as on HTTP). */
  action: z.string().min(1).max(128).optional(),
  sessionKey: z.string().min(1).max(512).optional(),
  agentId: z.string().min(1).max(64).optional(),
  idempotencyKey: z.string().min(1).max(256).optional(),
})

const toolErrors = new Map<string, ReturnType<typeof createError<string, [message: string]>>>()

/** A tool's failure, re-raised with the kernel's own code (`CORE_ERR_TOOL_UNKNOWN`…), which picks the protocol code. */
function toolError(code: string, message: string): Error {
  let Coded = toolErrors.get(code)
  if (Coded === undefined) {
    Coded = createError<string, [message: string]>(code, '%s')
    toolErrors.set(code, Coded)
  }
  return new Coded(message)
}

/**
 * `tools.invoke {tool|name, args, sessionKey?}` → `{ ok: true, result }`, through the same policy,
 * validation and hooks as an agent's call. An unknown or denied tool is `INVALID_REQUEST` (`details.code` says which), bad arguments
 * `INVALID_REQUEST`, a tool timeout `UNAVAILABLE` (retryable).
 */
export function createToolsInvokeMethod(deps: RpcMethodDeps): RpcMethodDefinition<z.output<typeof ToolsInvokeParams>, object> {
  return {
    name: 'tools.invoke',
    description: 'Invoke a gateway tool directly',
    params: ToolsInvokeParams,
    async handler(params, ctx) {
      const name = params.name ?? params.tool
      if (name === undefined) throw new RPC_ERR_TOOL_NAME_MISSING()
      const result = await deps.gateway.tools.invoke({
        name,
        args: params.args ?? {},
        ...(params.action !== undefined ? { action: params.action } : {}),
        via: 'rpc',
        signal: ctx.signal,
        ...(params.sessionKey ? { sessionKey: params.sessionKey } : {}),
        ...(params.agentId ? { agentId: params.agentId } : {}),
      })
      if (!result.ok) throw toolError(result.error?.code ?? CoreErrors.CORE_ERR_TOOL_FAILED.code, result.error?.message ?? `Tool '${name}' failed`)
      return { ok: true, result: result.output ?? null, toolCallId: result.toolCallId, durationMs: Math.round(result.durationMs) }
    },
  }
}
