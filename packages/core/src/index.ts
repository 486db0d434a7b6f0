// @openclaw/core: the kernel. Hosts embed it with createGateway(); plugin authors use
// @openclaw/plugin-sdk, which re-exports what they need from here.

// ── Embedding ────────────────────────────────────────────────────────────────────────────────────
export { createGateway, parseConfig, CORE_VERSION } from './gateway.js'
export type { Gateway, GatewayState, CreateGatewayOptions } from './gateway.js'
export { resolvePaths, readConfigFile } from './config/load-config.js'
export { CoreConfigSchema, AgentSettingsSchema } from './config/config-schema.js'
export type { GatewayConfig, GatewayConfigInput, AgentSettings } from './config/config-schema.js'
export { configJsonSchema } from './config/config-json-schema.js'
export { createLogger, createSilentLogger, REDACT_PATHS } from './logging/logger.js'
export type { Logger, LogFn, LogLevel, CreateLoggerOptions } from './logging/logger.js'
export { systemClock } from './clock/clock.js'
export type { Clock, ClockTimer } from './clock/clock.js'
export type { WakeRequest, WakeResult, WakeService } from './types/wake.js'

// ── Plugins ──────────────────────────────────────────────────────────────────────────────────────
export { PLUGIN_API_VERSION } from './plugins/plugin-definition.js'
export { supportsPluginApi } from './plugins/plugin-api-range.js'
export type { PluginFactory, PluginDefinition, PluginInfo, PluginKind, PluginState, PluginInput, PluginConfigProblem } from './plugins/plugin-definition.js'
export type {
  PluginApi, GatewayRuntime, AgentRuntime, StartedRun, SessionRuntime, ToolRuntime, Registries, RegistryView, InboundOutcome, DeliveryOutcome,
} from './plugins/plugin-api.js'
export { MANIFEST_FILE, PluginManifestSchema, readManifest, createManifest } from './plugins/plugin-manifest.js'
export type { PluginManifest } from './plugins/plugin-manifest.js'
export { sortPlugins } from './plugins/sort-plugins.js'

// ── Hooks ────────────────────────────────────────────────────────────────────────────────────────
export { createKernelHooks, createPluginHooks, HOOK_NAMES } from './hooks/kernel-hooks.js'
export type { KernelHooks, PluginHooks, TapOnlyHook, PluginTapOptions, HookName, GatewayStartInfo } from './hooks/kernel-hooks.js'
export { STAGE_GUARD, STAGE_PRE, STAGE_DEFAULT, STAGE_POST, STAGE_OBSERVE } from './hooks/stages.js'
export type { TapStats } from './hooks/hook-metrics.js'

// ── Services ─────────────────────────────────────────────────────────────────────────────────────
export { DependencyManager } from './di/dependency-manager.js'
export type { Services, ServiceResolver, ServiceFactory } from './di/dependency-manager.js'
export { createToken } from './di/token.js'
export type { Token } from './di/token.js'
export { Tokens } from './di/tokens.js'

// ── Store ────────────────────────────────────────────────────────────────────────────────────────
export { SqliteStateStore } from './store/sqlite-state-store.js'
export type { SqliteStateStoreOptions } from './store/sqlite-state-store.js'
export { PostgresStateStore } from './store/postgres-state-store.js'
export type { PostgresStateStoreOptions } from './store/postgres-state-store.js'
export type {
  StateStore, OwnerStore, SqlStore, SqlQueries, SqlTransaction, SqlDialect, DialectSql, StoreExtension, Migration, SqlParams, RunResult,
} from './store/state-store.js'

// ── Coordination: what assumes one gateway per database ─────────────────────────────────────────
export { singleProcessCoordination } from './coordination/gateway-coordination.js'
export type { GatewayCoordination, CoordinationFactory, CoordinationContext } from './coordination/gateway-coordination.js'
export type { TurnQueue } from './coordination/turn-queue.js'
export type { IdempotencyStore, IdempotencyClaim } from './coordination/idempotency-store.js'
export type { RunTracker, TrackedRun } from './coordination/run-tracker.js'
export type { DeliveryInFlight } from './coordination/delivery-in-flight.js'

// ── Cluster: several replicas on one PostgreSQL ─────────────────────────────────────────────────
export { LocalCluster } from './cluster/local-cluster.js'
export { PgCluster } from './cluster/pg-cluster.js'
export type { PgClusterOptions } from './cluster/pg-cluster.js'
export { PgLeaseQueue } from './cluster/pg-lease-queue.js'
export type { PgLeaseQueueOptions } from './cluster/pg-lease-queue.js'
export { postgresCoordination } from './cluster/postgres-coordination.js'
export type { Cluster, ClusterHost, ClusterSingleton, SingletonStart } from './cluster/cluster.js'

// ── Agent, sessions, skills ──────────────────────────────────────────────────────────────────────
export { resolveSessionKey } from './sessions/session-key.js'
export { JsonSkillSchema, loadSkillsDir } from './skills/skill-loader.js'
export type { JsonSkill } from './skills/skill-loader.js'
export { generateSkillTypes } from './skills/skill-types.js'
export { sessionKeyFor } from './inbound/inbound-router.js'

// ── Channels: session keys, access control, text for channels ───────────────────────────────────
export { channelSessionKey } from './channels/channel-session-key.js'
export type { DmScope, GroupScope, ChannelSessionKeyInput } from './channels/channel-session-key.js'
export { ChannelAccessShape, ChannelAccessSchema, DmPolicySchema, GroupPolicySchema } from './channels/channel-access-config.js'
export type { ChannelAccessConfig, ChannelAccessConfigInput } from './channels/channel-access-config.js'
export { decideAccess } from './channels/channel-access.js'
export type { AccessDecision } from './channels/channel-access.js'
export { createPairingCode, normalisePairingCode, PAIRING_CODE_TTL_MS, PAIRING_MAX_PENDING } from './channels/pairing-code.js'
export { formatMarkdown } from './delivery/format-markdown.js'
export { splitText } from './delivery/split-text.js'
export type { SplitOptions } from './delivery/split-text.js'
export { isPrivateAddress, publicUrlProblem, shownUrl } from './net/public-address.js'
export { putFileWhole } from './store/put-file-whole.js'
export type { ResolveHost } from './net/public-address.js'
export { TokenBucket } from './delivery/token-bucket.js'
export type { DeadLetter, OutboxCounts } from './delivery/outbox.js'
export type { PairingRequest, PairingAsk } from './channels/pairing-store.js'
export type { InboxEntry } from './inbound/inbox.js'
export type { WorkQueue, WorkQueueOptions } from './coordination/work-queue.js'
export { SqlWorkQueue } from './coordination/work-queue.js'
export type { InboundFailure } from './hooks/kernel-hooks.js'

// ── Errors ───────────────────────────────────────────────────────────────────────────────────────
export { createError, isCodedError, OpenClawError } from './errors/create-error.js'
export type { CodedError, CodedErrorConstructor, CodedErrorOptions } from './errors/create-error.js'
export * as errors from './errors/codes.js'
export { CoreErrors, CoreErrorCodes, isCoreErrorCode } from './errors/core-error-codes.js'
export type { CoreErrorCode } from './errors/core-error-codes.js'

// ── Types shared with plugins ────────────────────────────────────────────────────────────────────
export type { InboundMessage, OutboundMessage, Attachment, Peer, MessageButton, DeliveryReceipt, MediaKind } from './types/messages.js'
export { DEFAULT_TEXT_CAPABILITY } from './types/channels.js'
export type {
  ChannelDefinition, ChannelCapabilities, ChannelSendContext, ChannelSendResult, ChannelRateLimit, TextFormat, FetchedMedia, ChannelAccountProgress, ChannelAccountStatus,
} from './types/channels.js'
export type {
  ChannelEvent, ChannelMessageEvent, ChannelEditedEvent, ChannelButtonEvent, ChannelChat, ChannelSender, InboundMediaRef, AcceptOutcome,
} from './types/channel-events.js'
export type { ToolDefinition, ToolContext, ToolCall, ToolResult, JsonSchema } from './types/tools.js'
export type { SkillDefinition } from './types/skills.js'
export type { ModelProvider, EmbeddingRequest, EmbeddingResult, AgentEmbeddings, ModelRequest, ModelMessage, ModelTool, ModelStreamEvent, FinishReason, Usage, ThinkingLevel, ModelApi, ModelApiProvider, ModelInfo } from './types/providers.js'
export type { ModelCatalogEntry } from './providers/model-catalog.js'
export type {
  AgentRunOptions, AgentRunResult, AgentEvent, AgentRunPlan, AgentRunOutcome, ToolCallContext, ToolCallDecision, TurnContext, DeliveryTarget, RunStatus,
} from './types/agent.js'
export type { SessionInfo, TranscriptEntry, Page, ListSessionsOptions, HistoryOptions } from './types/sessions.js'
export type {
  HttpGuardCheck, HttpGuardCredentials, HttpGuardDefinition, HttpGuardRequest, HttpGuardVerdict,
} from './types/http.js'
export type { HttpRouteDefinition, HttpUpgradeDefinition, HttpServerInfo, HttpInjectRequest, HttpInjectResponse, GatewayAuth, AuthVerdict, HttpMethod, RouteAuth, RouteRequest, RouteReply } from './types/http.js'
export type { RpcMethodDefinition, RpcCallContext } from './types/rpc.js'
