import { performance } from 'node:perf_hooks'
import { formatIssues } from '../config/format-issues.js'
import { isCodedError } from '../errors/create-error.js'
import {
  CORE_ERR_HOOK_TAP_FAILED,
  CORE_ERR_RUN_ABORTED,
  CORE_ERR_TOOL_DENIED,
  CORE_ERR_TOOL_FAILED,
  CORE_ERR_TOOL_INVALID_ARGS,
  CORE_ERR_TOOL_TIMEOUT,
  CORE_ERR_TOOL_UNKNOWN,
} from '../errors/codes.js'
import { hasTaps, type KernelHooks } from '../hooks/kernel-hooks.js'
import type { Logger } from '../logging/logger.js'
import type { ToolCallContext } from '../types/agent.js'
import type { ToolDefinition, ToolResult } from '../types/tools.js'
import { compileToolSchema } from './tool-schema.js'
import type { ToolPolicy } from './tool-policy.js'

export const DEFAULT_TOOL_TIMEOUT_MS = 60_000

export interface ExecuteToolOptions {
  readonly context: ToolCallContext
  /** The tool, or undefined when no tool of that name is offered. */
  readonly tool: ToolDefinition | undefined
  readonly policy: ToolPolicy | undefined
  readonly signal: AbortSignal
}

function failure(context: ToolCallContext, started: number, err: { code: string; message: string }): ToolResult {
  return { toolCallId: context.call.id, name: context.call.name, ok: false, error: { code: err.code, message: err.message }, durationMs: performance.now() - started }
}

/**
 * Runs one tool call: policy, argument validation, `beforeToolCall`, the tool under its timeout, then
 * `afterToolCall`. Never throws: every failure becomes an error result the model (or client) sees.
 */
export class ToolExecutor {
  constructor(
    private readonly hooks: KernelHooks,
    private readonly log: Logger,
  ) {}

  async execute(options: ExecuteToolOptions): Promise<ToolResult> {
    const { context } = options
    const started = performance.now()
    const result = await this.#run(options, started)
    if (hasTaps(this.hooks.afterToolCall)) {
      await this.hooks.afterToolCall.promise(context, result).catch((err: unknown) => {
        this.log.warn({ err, tool: context.call.name }, 'afterToolCall tap failed')
      })
    }
    return result
  }

  async #run({ context, tool, policy, signal }: ExecuteToolOptions, started: number): Promise<ToolResult> {
    const { call } = context
    if (!tool) return failure(context, started, new CORE_ERR_TOOL_UNKNOWN(call.name))
    const denied = policy?.check(call.name)
    if (denied) return failure(context, started, new CORE_ERR_TOOL_DENIED(call.name, denied))

    const { validator } = compileToolSchema(tool)
    const parsed = validator.safeParse(call.arguments ?? {})
    if (!parsed.success) {
      return failure(context, started, new CORE_ERR_TOOL_INVALID_ARGS(call.name, formatIssues(parsed.error.issues, call.arguments).join('\n')))
    }

    if (hasTaps(this.hooks.beforeToolCall)) {
      try {
        const decision = await this.hooks.beforeToolCall.promise(context)
        if (decision && 'deny' in decision) return failure(context, started, new CORE_ERR_TOOL_DENIED(call.name, decision.deny))
        if (decision && 'replace' in decision) {
          return { toolCallId: call.id, name: call.name, ok: true, output: decision.replace, durationMs: performance.now() - started }
        }
      } catch (err) {
        const message = isCodedError(err, CORE_ERR_HOOK_TAP_FAILED.code) ? err.message : String(err)
        return failure(context, started, new CORE_ERR_TOOL_DENIED(call.name, `a beforeToolCall tap failed: ${message}`))
      }
    }

    const timeoutMs = tool.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS
    const controller = new AbortController()
    const onAbort = () => controller.abort(signal.reason)
    if (signal.aborted) controller.abort(signal.reason)
    else signal.addEventListener('abort', onAbort, { once: true })
    let timer: NodeJS.Timeout | undefined
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const err = new CORE_ERR_TOOL_TIMEOUT(call.name, timeoutMs)
          controller.abort(err)
          reject(err)
        }, timeoutMs)
      })
      const aborted = new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(controller.signal.reason)
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })
      })
      const output = await Promise.race([
        Promise.resolve().then(() =>
          tool.execute(parsed.data, {
            toolCallId: call.id,
            agentId: context.agentId,
            sessionKey: context.sessionKey,
            runId: context.runId,
            ...(context.route ? { route: context.route } : {}),
            signal: controller.signal,
            log: this.log.child({ tool: call.name }),
          }),
        ),
        timeout,
        aborted,
      ])
      return { toolCallId: call.id, name: call.name, ok: true, output, durationMs: performance.now() - started }
    } catch (err) {
      if (isCodedError(err, CORE_ERR_TOOL_TIMEOUT.code)) return failure(context, started, err)
      if (controller.signal.aborted && err === controller.signal.reason) {
        const reason = err instanceof Error ? err.message : 'aborted'
        return failure(context, started, { code: CORE_ERR_RUN_ABORTED.code, message: `Tool '${call.name}' was cancelled: ${reason}` })
      }
      const reason = err instanceof Error ? err.message : String(err)
      this.log.debug({ err, tool: call.name }, 'tool failed')
      // A tool's own coded error keeps its code (MEM_ERR_…), so callers can tell refusals apart.
      const failed = new CORE_ERR_TOOL_FAILED(call.name, reason)
      return failure(context, started, isCodedError(err) ? { code: err.code, message: failed.message } : failed)
    } finally {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    }
  }
}
