// @openclaw/plugin-sdk: everything a plugin author imports. Explicit names only; docs/plugin-api.md
// lists each one. Bundled plugins import this exactly as third-party plugins do.

// ── Commonly used: declaring plugins ─────────────────────────────────────────────────────────────
export { definePlugin, defineChannel, defineTool, defineSkill, defineProvider, defineModelApi } from './define.js'
export { STAGE_GUARD, STAGE_PRE, STAGE_DEFAULT, STAGE_POST, STAGE_OBSERVE, PLUGIN_API_VERSION } from '@openclaw/core'
export { createToken, isCodedError, Tokens } from '@openclaw/core'
export { createError } from './create-error.js'
export type { CodedErrorConstructor } from './create-error.js'
export { CoreErrors } from '@openclaw/core'

// ── Helpers for provider and channel authors ────────────────────────────────────────────────────
export { parseSse } from './parse-sse.js'
export type { SseEvent } from './parse-sse.js'
export { retryDelay, parseRetryAfter } from './retry-delay.js'
export { httpRequest } from './http-request.js'
export type { HttpResponse } from './http-request.js'
export { streamModelCall } from './stream-model-call.js'

export type {
  PluginDefinition,
  PluginFactory,
  PluginApi,
  CodedError,
  PluginInfo,
  PluginKind,
  GatewayRuntime,
  Services,
  Token,
  Logger,
  PluginHooks,
  Clock,
} from '@openclaw/core'

// ── Messages and channels ────────────────────────────────────────────────────────────────────────
export type {
  InboundMessage,
  OutboundMessage,
  Attachment,
  Peer,
  MessageButton,
  DeliveryReceipt,
  ChannelDefinition,
} from '@openclaw/core'

// ── Tools, skills, model providers ───────────────────────────────────────────────────────────────
export type {
  ToolDefinition,
  ToolContext,
  ToolCall,
  ToolResult,
  JsonSchema,
  SkillDefinition,
  ModelProvider,
  ModelApi,
  ModelRequest,
  ModelMessage,
  ModelStreamEvent,
  FinishReason,
  Usage,
  ThinkingLevel,
} from '@openclaw/core'

// ── Agent runs, hooks' payloads, sessions ────────────────────────────────────────────────────────
export type {
  AgentRunOptions,
  AgentRunResult,
  AgentEvent,
  AgentRunPlan,
  AgentRunOutcome,
  ToolCallContext,
  ToolCallDecision,
  TurnContext,
  SessionInfo,
  TranscriptEntry,
} from '@openclaw/core'

// ── Surfaces: HTTP routes, RPC methods, the store ────────────────────────────────────────────────
export type {
  HttpRouteDefinition,
  HttpUpgradeDefinition,
  GatewayAuth,
  RouteRequest,
  RouteReply,
  RpcMethodDefinition,
  RpcCallContext,
  OwnerStore,
  SqlTransaction,
  Migration,
  GatewayConfig,
} from '@openclaw/core'
