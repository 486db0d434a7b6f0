import type { ZodType } from 'zod'
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

/** A model a provider serves, as `models.providers.<id>.models[]` describes it (OpenClaw's fields). */
export interface ModelInfo {
  /** The model id without the provider prefix. */
  readonly id: string
  /** A display name. */
  readonly name?: string
  /** Native context window, in tokens. */
  readonly contextWindow?: number
  /** Effective input budget, when smaller than the context window. */
  readonly contextTokens?: number
  /** Output-token cap used when a request sets none. */
  readonly maxTokens?: number
  readonly reasoning?: boolean
  /** Input modalities; default `['text']`. */
  readonly input?: readonly ('text' | 'image')[]
}

/** A model provider: turns a {@link ModelRequest} into a stream of {@link ModelStreamEvent}s. */
export interface ModelProvider {
  /** Provider id, the part before `/` in `provider/model`. */
  readonly id: string
  /**
   * Models this provider serves (ids, or entries with metadata), for listings. When the list is
   * given, a run naming another model of this provider is refused (`CORE_ERR_MODEL_UNKNOWN`, 400);
   * without it, any model id is passed through.
   */
  readonly models?: readonly (string | ModelInfo)[]
  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>
  /** Embeddings for `input`, one vector per string in order; absent when the provider has none. */
  embed?(request: EmbeddingRequest): Promise<EmbeddingResult>
}

/** An embeddings call (OpenAI's `POST /v1/embeddings`). */
export interface EmbeddingRequest {
  /** The provider's model id (the part after `provider/`). */
  readonly model: string
  readonly input: readonly string[]
  /** Output dimensions, for models that can shorten their vectors. */
  readonly dimensions?: number
  readonly signal?: AbortSignal
}

export interface EmbeddingResult {
  /** The model that answered, as the provider names it. */
  readonly model: string
  /** One vector per input, in input order. */
  readonly embeddings: readonly (readonly number[])[]
  readonly usage: { readonly promptTokens: number; readonly totalTokens: number }
}

/**
 * An agent's embedding setup, for callers that need vectors without naming a model (the gateway's
 * `POST /v1/embeddings`). The memory plugin provides it (`Tokens.AgentEmbeddings`): its
 * `memory.search.provider` and `model`.
 */
export interface AgentEmbeddings {
  /** The model the agent embeds with (`<provider>/<model>`, or `local/<name>`); undefined when it has none. */
  modelFor(agentId: string): string | undefined
  /** Vectors for `input`, in order; rejects with a coded error when the agent has no model or the call fails. */
  embed(agentId: string, request: { readonly input: readonly string[]; readonly dimensions?: number; readonly signal?: AbortSignal }): Promise<EmbeddingResult>
}

/** One configured provider, as the core hands it to the {@link ModelApi} its `api` names. */
export interface ModelApiProvider<Options = unknown> {
  /** The provider id: the key under `models.providers`, the part before `/` in model refs. */
  readonly id: string
  /** `baseUrl` of the entry; the built-in default for a built-in provider; else undefined. */
  readonly baseUrl: string | undefined
  /** The entry's `apiKey`, else the built-in provider's environment variable, read on every call. */
  readonly apiKey: () => string | undefined
  readonly headers: Readonly<Record<string, string>> | undefined
  /** The entry's `models`, strings made entries; undefined when the entry lists none. */
  readonly models: readonly ModelInfo[] | undefined
  /** Default output-token cap for this provider's models (`maxTokens` of the entry). */
  readonly maxTokens: number | undefined
  /** `timeoutSeconds` of the entry, in ms. */
  readonly timeoutMs: number | undefined
  /** The entry's other fields, validated by the adapter's `options` schema. */
  readonly options: Options
}

/**
 * A wire API a provider plugin speaks (`openai-completions`, `anthropic-messages`), registered with
 * `api.providers.adapter()`. The core builds one provider per `models.providers.<id>` entry whose
 * `api` names it, plus its built-in providers (`openai`, `anthropic`), which exist without config.
 */
export interface ModelApi<Options = unknown> {
  /** The `api` value configs use. */
  readonly api: string
  /** Provider ids that speak this API out of the box: an entry with this id needs no `api`, and no entry at all is needed. */
  readonly builtins?: readonly { readonly id: string; readonly baseUrl: string; readonly apiKeyEnv?: string }[]
  /**
   * Schema of the fields this API reads besides the common ones (`api`, `baseUrl`, `apiKey`, `headers`,
   * `models`, `maxTokens`, `timeoutSeconds`); a field neither knows is a config error naming its path.
   */
  readonly options?: ZodType<Options>
  create(provider: ModelApiProvider<Options>): ModelProvider
}
