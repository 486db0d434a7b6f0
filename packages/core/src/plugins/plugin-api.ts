import type { GatewayConfig } from '../config/config-schema.js'
import type { Services } from '../di/dependency-manager.js'
import type { PluginHooks } from '../hooks/kernel-hooks.js'
import type { Logger } from '../logging/logger.js'
import type { Cluster } from '../cluster/cluster.js'
import type { OwnerStore } from '../store/state-store.js'
import type { AgentEvent, AgentRunOptions, AgentRunResult } from '../types/agent.js'
import type { ChannelAccountStatus, ChannelDefinition } from '../types/channels.js'
import type { AcceptOutcome, ChannelEvent } from '../types/channel-events.js'
import type { DeadLetter } from '../delivery/outbox.js'
import type { PairingRequest } from '../channels/pairing-store.js'
import type { InboxEntry } from '../inbound/inbox.js'
import type { HttpGuardCheck, HttpGuardDefinition, HttpRouteDefinition, HttpUpgradeDefinition } from '../types/http.js'
import type { DeliveryReceipt, InboundMessage, OutboundMessage } from '../types/messages.js'
import type { ModelCatalogEntry } from '../providers/model-catalog.js'
import type { ModelApi, ModelProvider } from '../types/providers.js'
import type { RpcMethodDefinition } from '../types/rpc.js'
import type { HistoryOptions, ListSessionsOptions, Page, SessionInfo, TranscriptEntry } from '../types/sessions.js'
import type { SkillDefinition } from '../types/skills.js'
import type { ToolDefinition, ToolResult } from '../types/tools.js'
import type { PluginInfo } from './plugin-definition.js'

/** Read access to what every plugin registered. */
export interface RegistryView<T> {
  get(id: string): T | undefined
  has(id: string): boolean
  owner(id: string): string | undefined
  keys(): string[]
  values(): T[]
}

export interface Registries {
  readonly channels: RegistryView<ChannelDefinition>
  readonly tools: RegistryView<ToolDefinition>
  readonly skills: RegistryView<SkillDefinition>
  readonly providers: RegistryView<ModelProvider>
  /** Wire API adapters, keyed by `api` name (`openai-completions`…). */
  readonly modelApis: RegistryView<ModelApi>
  /** Keyed `METHOD path`. */
  readonly httpRoutes: RegistryView<HttpRouteDefinition>
  /** Keyed by path. */
  readonly httpUpgrades: RegistryView<HttpUpgradeDefinition>
  /** Route guards plugins registered (`api.http.guard`), keyed by name; `gateway` and `none` are the server's own. */
  readonly httpGuards: RegistryView<HttpGuardDefinition>
  readonly rpcMethods: RegistryView<RpcMethodDefinition>
}

/** A run that has been started (or joined). */
export interface StartedRun {
  readonly runId: string
  readonly sessionKey: string
  readonly agentId: string
  readonly events: { subscribe(): AsyncIterable<AgentEvent> }
  readonly result: Promise<AgentRunResult>
  /** True when this call joined a run already going with the same idempotency key. */
  readonly joined: boolean
}

export interface AgentRuntime {
  /** Run one agent turn and wait for its result. Rejects only on bad input (a coded error); a failed run resolves with `status: 'error'`. */
  run(options: AgentRunOptions): Promise<AgentRunResult>
  /** Run one agent turn and yield its events as they happen. */
  stream(options: AgentRunOptions): AsyncIterable<AgentEvent>
  /**
   * Start a run, or join the one with the same idempotency key (`joined: true`); a finished key
   * answers its stored result. The run's id is known at once; `events.subscribe()` replays what
   * happened so far and follows live. Rejects only for bad input.
   */
  start(options: AgentRunOptions): Promise<StartedRun>
  /**
   * Wait for a run started elsewhere (on several replicas, also on another replica: by run id or
   * idempotency key); `undefined` if the run id is unknown (or `timeoutMs` passed).
   */
  wait(runId: string, options?: { timeoutMs?: number }): Promise<AgentRunResult | undefined>
  /** Abort a running run, here or (several replicas) on the replica running it. Resolves `true` if it was running. */
  abort(runId: string): Promise<boolean>
  /** Ids of the configured agents; `main` always exists. */
  agentIds(): string[]
  /** The agent's id for a key like `agent:<id>:...`, after normalising; throws a coded error when they disagree. */
  resolveSessionKey(options: { agentId?: string; sessionKey?: string }): { agentId: string; sessionKey: string }
}

export interface SessionRuntime {
  list(options?: ListSessionsOptions): Promise<Page<SessionInfo>>
  get(key: string): Promise<SessionInfo | undefined>
  history(key: string, options?: HistoryOptions): Promise<Page<TranscriptEntry>>
  /** Clear the transcript, keep the session. */
  reset(key: string): Promise<boolean>
  delete(key: string): Promise<boolean>
}

export interface InboundOutcome {
  /** `dropped` when an `inboundMessage` tap returned null; `duplicate` when the message id was seen before. */
  readonly status: 'routed' | 'dropped' | 'duplicate'
  readonly runId?: string
  readonly sessionKey?: string
}

export interface DeliveryOutcome {
  /** `queued`: written to the outbox, not settled within the wait (the worker keeps trying). */
  readonly status: 'sent' | 'cancelled' | 'failed' | 'duplicate' | 'queued'
  readonly receipt?: DeliveryReceipt
  readonly error?: { readonly code: string; readonly message: string }
}

export interface ToolRuntime {
  /**
   * Invoke a registered tool outside a run (HTTP `/tools/invoke`, RPC `tools.invoke`), through the
   * same validation, policy and hooks as an agent's call.
   */
  invoke(request: {
    name: string
    args: unknown
    /** OpenClaw's `action`: becomes `args.action` when the tool's parameters have one (one rule for every surface). */
    action?: string
    sessionKey?: string
    agentId?: string
    via: 'http' | 'rpc'
    signal?: AbortSignal
  }): Promise<ToolResult>
}

/**
 * What the kernel offers plugins at runtime, as `api.gateway`: a frozen object of what a plugin may
 * do, never the kernel (no hook calls, no root services, no `stop()`).
 */
export interface GatewayRuntime {
  readonly version: string
  readonly stateDir: string
  readonly config: GatewayConfig
  readonly registry: Registries
  readonly agent: AgentRuntime
  readonly sessions: SessionRuntime
  readonly tools: ToolRuntime
  /** The configured model catalogue: every model the providers list (`models.providers.<id>.models`). */
  readonly models: { list(): ModelCatalogEntry[] }
  readonly inbound: {
    /**
     * Make a channel event durable (the inbox, de-duplicated by channel, account and event id) and
     * return at once; the inbox worker runs it. Throws `CORE_ERR_EVENT_INVALID` (nothing stored) or
     * `CORE_ERR_INBOUND_CLOSED` (stopping: the sender should retry).
     */
    accept(event: ChannelEvent): Promise<AcceptOutcome>
    /** Inbox rows, newest first (`failed` ones carry their reason). */
    list(options?: { readonly state?: string; readonly channel?: string; readonly limit?: number }): Promise<InboxEntry[]>
    /** Plugin API 1: route a message and wait for its run and delivery. Prefer `accept()`. */
    receive(message: InboundMessage): Promise<InboundOutcome>
  }
  readonly delivery: {
    /** Send a message through the durable outbox (never twice for one `deliveryKey`); waits up to 30 s for it to settle, else `queued`. */
    send(message: OutboundMessage): Promise<DeliveryOutcome>
    /** Messages that failed for good, newest first. */
    deadLetters(options?: { readonly channel?: string; readonly limit?: number }): Promise<DeadLetter[]>
    /** Put a dead letter back in line. Throws `CORE_ERR_DELIVERY_UNKNOWN`. */
    retry(deliveryKey: string): Promise<void>
    /** Give a dead letter up. Throws `CORE_ERR_DELIVERY_UNKNOWN`. */
    drop(deliveryKey: string): Promise<void>
  }
  readonly channels: {
    /** Every channel account's liveness, from real progress. */
    status(): ChannelAccountStatus[]
  }
  readonly pairing: {
    /** Pending DM pairing requests (not expired). */
    list(channel?: string): Promise<PairingRequest[]>
    /** Admit the sender of a pending request. Throws `CORE_ERR_PAIRING_UNKNOWN`. */
    approve(channel: string, code: string, accountId?: string): Promise<{ readonly accountId: string; readonly senderId: string }>
  }
  /** Every plugin the gateway knows, with its state and, if it failed, why. */
  readonly plugins: readonly PluginInfo[]
  /** True once every required plugin has started. */
  isReady(): boolean
}

/** The API a plugin receives in `register`, `start` and `stop`, scoped to that plugin. */
export interface PluginApi<Config = unknown> {
  readonly id: string
  /** This plugin's config, validated and with defaults applied. */
  readonly config: Config
  /**
   * The environment variables the plugin declared in its definition's `env` that are set (non-empty),
   * from the gateway's environment (`createGateway({ env })`); no others. Frozen.
   */
  readonly env: Readonly<Record<string, string>>
  readonly log: Logger
  /** A child container: register here, `expose` to share with other plugins. */
  readonly services: Services
  /** Tap-only view of the kernel hooks. */
  readonly hooks: PluginHooks
  /** This plugin's tables in the state store. */
  readonly store: OwnerStore
  readonly gateway: GatewayRuntime
  /**
   * The replicas this gateway runs with. `singleton(name, start)` runs work on exactly one replica,
   * with failover (a long poller per bot token, cron ticks, pruning); names are prefixed with the
   * plugin id. On one gateway (SQLite) a singleton simply runs here.
   */
  readonly cluster: Cluster
  /** Aborted when the gateway stops. */
  readonly signal: AbortSignal
  readonly http: {
    /** Serve a route on the gateway port; its `auth` names a guard: `gateway`, `none`, or one registered with `guard()`. */
    route(definition: HttpRouteDefinition): void
    upgrade(definition: HttpUpgradeDefinition): void
    /** Register a route guard under `name`, for any plugin's routes to name as their `auth`. */
    guard(name: string, check: HttpGuardCheck): void
  }
  readonly rpc: { method<P, R>(definition: RpcMethodDefinition<P, R>): void }
  readonly channels: { register(definition: ChannelDefinition): void }
  readonly tools: { register<A, R>(definition: ToolDefinition<A, R>): void }
  readonly skills: { register(definition: SkillDefinition): void }
  readonly providers: {
    /** A provider with a fixed id, configured by the plugin itself. */
    register(provider: ModelProvider): void
    /** A wire API: the core makes one provider per `models.providers.<id>` entry whose `api` names it. */
    adapter<Options>(adapter: ModelApi<Options>): void
  }
}
