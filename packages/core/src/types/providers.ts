import type { Attachment } from './messages.js'
import type { JsonSchema, ToolCall } from './tools.js'

/** Token counts of one model call or a whole run. */
export interface Usage {
  readonly inputTokens: number
  readonly outputTokens: number
  readonly totalTokens: number
}

export type ThinkingLevel = 'off' | 'minimal' | 'low' | 'medium' | 'high'

/** One message of the conversation sent to a model. */
export type ModelMessage =
  | { readonly role: 'user'; readonly content: string; readonly attachments?: readonly Attachment[] }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCall[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly name: string; readonly content: string; readonly isError?: boolean }

/** A tool as the model sees it. */
export interface ModelTool {
  readonly name: string
  readonly description: string
  readonly parameters: JsonSchema
}

/** What the runner asks a provider for: one model turn. */
export interface ModelRequest {
  /** The model id without the provider prefix (`gpt-4o-mini`, not `openai/gpt-4o-mini`). */
  readonly model: string
  readonly system: string
  readonly messages: readonly ModelMessage[]
  readonly tools: readonly ModelTool[]
  /** `auto` (default), `none`, `required`, or a tool name that must be called. */
  readonly toolChoice?: 'auto' | 'none' | 'required' | { readonly name: string }
  readonly thinking?: ThinkingLevel
  readonly maxTokens?: number
  readonly temperature?: number
  /** Aborted on run abort and timeout: the provider must cancel its request. */
  readonly signal: AbortSignal
  /** The run's deadline (epoch ms); retries must not go past it. */
  readonly deadline?: number
  /**
   * `false` when nobody reads the answer as it comes (a non-streaming HTTP request, a script): a
   * provider may ask its API for the whole answer at once and yield it as one `text` event (then tool
   * calls, usage, finish, same order as when streaming). Absent or `true`: stream.
   */
  readonly stream?: boolean
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'error'

/** Events a provider yields while a model turn streams. */
export type ModelStreamEvent =
  | { readonly type: 'text'; readonly delta: string }
  | { readonly type: 'tool_call'; readonly call: ToolCall }
  | { readonly type: 'usage'; readonly usage: Usage }
  | { readonly type: 'finish'; readonly reason: FinishReason }

/** A model provider: turns a {@link ModelRequest} into a stream of {@link ModelStreamEvent}s. */
export interface ModelProvider {
  /** Provider id, the part before `/` in `provider/model`. */
  readonly id: string
  /** Models this provider serves, for listings; any model id is passed through. */
  readonly models?: readonly string[]
  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>
}
