import type { ZodType } from 'zod'
import type { Logger } from '../logging/logger.js'

/** A JSON Schema object, as written in JSON skills and sent to model providers. */
export type JsonSchema = { readonly [key: string]: unknown }

/** What a tool's `execute` receives besides its arguments. */
export interface ToolContext {
  readonly toolCallId: string
  readonly agentId: string | undefined
  readonly sessionKey: string | undefined
  readonly runId: string | undefined
  /** The channel conversation of the run, when it answers a channel event (the `message` tool's default target). */
  readonly route?: { readonly channel: string; readonly to: string; readonly accountId?: string; readonly threadId?: string }
  /** Aborted when the run is aborted, times out, or the tool's own timeout passes. */
  readonly signal: AbortSignal
  readonly log: Logger
}

/** A tool the agent may call. `parameters` is a zod schema, or a JSON Schema for tools defined in JSON. */
export interface ToolDefinition<Args = unknown, Result = unknown> {
  readonly name: string
  readonly description: string
  readonly parameters: ZodType<Args> | JsonSchema
  /** Per-call limit; the call becomes an error result the model sees when it passes. Default 60 s. */
  readonly timeoutMs?: number
  /** Dangerous tools are refused over HTTP `/tools/invoke` unless config allows them by name. */
  readonly dangerous?: boolean
  execute(args: Args, ctx: ToolContext): Promise<Result> | Result
}

/** A model's request to run a tool. `arguments` is parsed JSON, or the raw text when it did not parse. */
export interface ToolCall {
  readonly id: string
  readonly name: string
  readonly arguments: unknown
}

/** The outcome of one tool call, as the model and the transcript see it. */
export interface ToolResult {
  readonly toolCallId: string
  readonly name: string
  readonly ok: boolean
  /** The tool's return value when `ok`. */
  readonly output?: unknown
  /** Why the call failed when not `ok`. */
  readonly error?: { readonly code: string; readonly message: string }
  readonly durationMs: number
}
