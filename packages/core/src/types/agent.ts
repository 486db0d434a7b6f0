import type { Attachment, OutboundMessage } from './messages.js'
import type { FinishReason, ModelMessage, ThinkingLevel, Usage } from './providers.js'
import type { ToolCall, ToolResult } from './tools.js'

export type RunStatus = 'ok' | 'error' | 'timeout' | 'aborted'

/** Where a run's reply is delivered, besides being returned to the caller. */
export interface DeliveryTarget {
  readonly channel: string
  readonly to: string
  readonly accountId?: string
  readonly threadId?: string
}

export interface AgentRunOptions {
  readonly agentId?: string
  /** `agent:<agentId>:<rest>`, or a bare `<rest>` scoped to the agent. Default: the agent's main session. */
  readonly sessionKey?: string
  readonly message: string
  readonly attachments?: readonly Attachment[]
  readonly thinking?: ThinkingLevel
  readonly timeoutMs?: number
  /** A repeat with the same key joins the first run, or gets its stored result; never a second run. */
  readonly idempotencyKey?: string
  readonly signal?: AbortSignal
  /** Deliver the reply to a channel; `true` delivers to the session's last route. */
  readonly deliver?: DeliveryTarget | boolean
  /** The channel conversation the run answers (nothing is delivered for it): the `message` tool's default target. */
  readonly route?: DeliveryTarget
  /** Override the agent's model for this run (`provider/model`). */
  readonly model?: string
  /** Extra tools offered to the model for this run only; calls to them end the run with `toolCalls` (client-side tools). */
  readonly clientTools?: readonly { readonly name: string; readonly description: string; readonly parameters: Readonly<Record<string, unknown>> }[]
  /** `auto` (default), `none`, `required`, or a tool that must be called. */
  readonly toolChoice?: 'auto' | 'none' | 'required' | { readonly name: string }
  /**
   * Results of client-side tool calls from the previous turn, sent instead of (or before) a new
   * message. Each must answer a call the session is waiting for, else the run fails with
   * `CORE_ERR_TOOL_RESULT_UNMATCHED` (400) before anything is written.
   */
  readonly toolResults?: readonly { readonly toolCallId: string; readonly name?: string; readonly content: string }[]
  /**
   * Earlier turns of a conversation the client keeps itself (an OpenAI-style request carrying its
   * whole history): written to the session as real messages — assistant tool calls, then their `tool`
   * results — before this turn's, but only when the session has no transcript yet. A session that has
   * one is the source of truth, and this is ignored. Attachments of earlier turns are not kept.
   */
  readonly history?: readonly ModelMessage[]
  /** Upper bound on the tokens of each model answer. */
  readonly maxTokens?: number
  /** Sampling temperature passed to the model. */
  readonly temperature?: number
  /** Extra system instructions for this run. */
  readonly instructions?: string
  /** Where the run came from, recorded on the session (`openai-http`, `telegram`, …). */
  readonly origin?: { readonly channel?: string; readonly peer?: string }
}

export interface AgentRunResult {
  readonly runId: string
  readonly sessionKey: string
  readonly agentId: string
  readonly status: RunStatus
  readonly text: string
  /** Tool calls made during the run, with their results; client-side calls have no result. */
  readonly toolCalls: readonly (ToolCall & { readonly result?: ToolResult; readonly clientSide?: boolean })[]
  readonly usage: Usage
  readonly durationMs: number
  /** `provider/model` that answered. */
  readonly model: string
  /** `tool_calls` when the run stopped to let the client run its own tools. */
  readonly finishReason: FinishReason
  /** Set when the run was asked to deliver its reply: whether the channel got it. */
  readonly delivery?: { readonly status: 'sent' | 'cancelled' | 'failed' | 'duplicate' | 'skipped' | 'queued'; readonly error?: { readonly code: string; readonly message: string } }
  /**
   * Why the run failed; `statusCode` is what an HTTP surface should answer with, when the error has
   * one; `retryAfterMs`, how long the caller should wait before trying again (a rate-limited model).
   */
  readonly error?: { readonly code: string; readonly message: string; readonly statusCode?: number; readonly retryAfterMs?: number }
}

/** Events of a streaming run, in order: `lifecycle:start`, deltas and tools, then one of `end`/`error`. */
export type AgentEvent =
  | { readonly type: 'lifecycle'; readonly phase: 'start'; readonly runId: string; readonly sessionKey: string; readonly agentId: string }
  | { readonly type: 'lifecycle'; readonly phase: 'end'; readonly runId: string; readonly result: AgentRunResult }
  | { readonly type: 'lifecycle'; readonly phase: 'error'; readonly runId: string; readonly result: AgentRunResult }
  | { readonly type: 'text'; readonly runId: string; readonly delta: string }
  | { readonly type: 'tool'; readonly phase: 'start'; readonly runId: string; readonly call: ToolCall }
  | { readonly type: 'tool'; readonly phase: 'result'; readonly runId: string; readonly result: ToolResult }

/** What `beforeAgentRun` taps may rewrite: the prompt, the model and the tools of one run. */
export interface AgentRunPlan {
  readonly runId: string
  readonly agentId: string
  readonly sessionKey: string
  readonly message: string
  readonly systemPrompt: string
  /** `provider/model`. */
  readonly model: string
  /** Names of the tools the model is offered. */
  readonly tools: readonly string[]
  readonly thinking: ThinkingLevel | undefined
}

/** What `beforeToolCall` and `afterToolCall` taps see. */
export interface ToolCallContext {
  readonly runId: string | undefined
  readonly agentId: string | undefined
  readonly sessionKey: string | undefined
  readonly call: ToolCall
  /** `agent` when the model asked for it, `http`/`rpc` when a client invoked it directly. */
  readonly via: 'agent' | 'http' | 'rpc'
  /** The channel conversation of the run, when it answers a channel event. */
  readonly route?: DeliveryTarget
}

/** A `beforeToolCall` tap's verdict: deny the call, or answer it without running the tool. */
export type ToolCallDecision =
  | { readonly deny: string }
  | { readonly replace: unknown }

/** What `agentEnd` taps see once a run has finished, however it finished. */
export interface AgentRunOutcome {
  readonly plan: AgentRunPlan | undefined
  readonly result: AgentRunResult
}

/** Context of a turn, for `resolveTools`/`resolveSkills` taps. */
export interface TurnContext {
  readonly runId: string
  readonly agentId: string
  readonly sessionKey: string
  readonly message: string
}

export type { OutboundMessage }
