import { randomUUID } from 'node:crypto'
import { join, resolve } from 'node:path'
import { AgentRunner } from './agent/agent-runner.js'
import { createCoreTools } from './agent/core-tools.js'
import { createMessageTool } from './agent/message-tool.js'
import { mergeToolAction } from './agent/tool-action.js'
import { ToolExecutor } from './agent/tool-executor.js'
import { systemClock, type Clock } from './clock/clock.js'
import { CoreConfigSchema, type GatewayConfig, type GatewayConfigInput } from './config/config-schema.js'
import { formatIssues } from './config/format-issues.js'
import { readConfigFile, resolvePaths } from './config/load-config.js'
import { substituteEnv } from './config/substitute-env.js'
import { singleProcessCoordination, type CoordinationFactory, type GatewayCoordination } from './coordination/gateway-coordination.js'
import { DependencyManager, type Services } from './di/dependency-manager.js'
import { Tokens } from './di/tokens.js'
import { Outbox, type OutboxRow } from './delivery/outbox.js'
import { DeliveryWorker } from './delivery/delivery-worker.js'
import { ChannelStatusBoard } from './channels/channel-status.js'
import { PairingStore } from './channels/pairing-store.js'
import { Inbox, type InboxRow } from './inbound/inbox.js'
import { InboxWorker } from './inbound/inbox-worker.js'
import { debounceMsFor, InboxBatch } from './inbound/inbox-batch.js'
import { MediaStore } from './inbound/media-store.js'
import {
  CORE_ERR_CONFIG_INVALID,
  CORE_ERR_GATEWAY_STATE,
  CORE_ERR_HTTP_GUARD_RESERVED,
  CORE_ERR_HTTP_GUARD_UNKNOWN,
  CORE_ERR_PLUGIN_API_CLOSED,
  CORE_ERR_RUN_ABORTED,
} from './errors/codes.js'
import { HookMetrics, instrumentHooks, type TapStats } from './hooks/hook-metrics.js'
import { createKernelHooks, createPluginHooks, type KernelHooks } from './hooks/kernel-hooks.js'
import { TapBuffer } from './hooks/tap-buffer.js'
import { InboundRouter } from './inbound/inbound-router.js'
import { createLogger, type Logger } from './logging/logger.js'
import { discoverPluginDirs } from './plugins/discover-plugins.js'
import { planPlugins } from './plugins/plan-plugins.js'
import type { GatewayRuntime, PluginApi, Registries, ToolRuntime } from './plugins/plugin-api.js'
import type { PluginConfigProblem, PluginInfo, PluginInput } from './plugins/plugin-definition.js'
import { pluginEnv } from './plugins/plugin-env.js'
import { PluginHost, type RegisteringApi } from './plugins/plugin-host.js'
import { createSealedRuntime } from './plugins/sealed-runtime.js'
import { toPluginInfo, type PluginRecord } from './plugins/plugin-record.js'
import { buildProviders } from './providers/build-providers.js'
import { modelCatalog } from './providers/model-catalog.js'
import { Registry } from './registry/registry.js'
import { CORE_MIGRATIONS } from './sessions/core-migrations.js'
import { SessionStore } from './sessions/session-store.js'
import { loadSkillsDir } from './skills/skill-loader.js'
import { LocalCluster } from './cluster/local-cluster.js'
import { PgCluster } from './cluster/pg-cluster.js'
import { postgresCoordination } from './cluster/postgres-coordination.js'
import { pruning, type PruneTask } from './cluster/pruning.js'
import type { ClusterHost, SingletonStart } from './cluster/cluster.js'
import { PostgresStateStore } from './store/postgres-state-store.js'
import { resolveStorage } from './store/resolve-storage.js'
import { SqliteStateStore } from './store/sqlite-state-store.js'
import { StateDirLock } from './store/state-dir-lock.js'
import { stateDirOpenToOthers } from './store/state-dir-permissions.js'
import type { StateStore } from './store/state-store.js'
import type { ChannelDefinition } from './types/channels.js'
import type { HttpGuardCheck, HttpGuardDefinition, HttpRouteDefinition, HttpUpgradeDefinition } from './types/http.js'
import type { ModelApi, ModelProvider } from './types/providers.js'
import type { RpcMethodDefinition } from './types/rpc.js'
import type { SkillDefinition } from './types/skills.js'
import type { ToolDefinition } from './types/tools.js'

/** The core's own version; reported by health checks and `openclaw --version`. */
export const CORE_VERSION = '1.0.0'

export interface CreateGatewayOptions {
  /** The config as an object; when given, no file is read. `${VAR}` is still substituted. */
  readonly config?: GatewayConfigInput | Record<string, unknown>
  /** Read the config from this file (it must exist). Default `$OPENCLAW_CONFIG_PATH` (must exist too), else `<stateDir>/openclaw.json` if present. */
  readonly configPath?: string
  /** Default `$OPENCLAW_STATE_DIR` or `~/.openclaw`. */
  readonly stateDir?: string
  /** Plugin objects (and preset arrays); `false`/`null` entries are skipped. */
  readonly plugins?: readonly PluginInput[]
  /** Where the state database lives: a `StateStore`, `':memory:'`, or default `<stateDir>/state.db`. */
  readonly store?: StateStore | ':memory:'
  /** The replicas this gateway runs with (a PostgreSQL cluster); default: this gateway alone. */
  readonly cluster?: ClusterHost
  /**
   * The services that assume one gateway per database (turn queue, idempotency claims, run tracker,
   * deliveries in flight). Default: {@link singleProcessCoordination}. A store shared by replicas needs its own.
   */
  readonly coordination?: CoordinationFactory
  readonly logger?: Logger
  readonly clock?: Clock
  readonly env?: NodeJS.ProcessEnv
  /** A project folder whose `.openclaw/extensions` holds workspace plugins. */
  readonly workspaceDir?: string
}

export type GatewayState = 'created' | 'starting' | 'started' | 'stopping' | 'stopped'

/** A gateway: the kernel, its plugins and its runtime. Made by {@link createGateway}. */
export interface Gateway extends GatewayRuntime {
  readonly state: GatewayState
  /** The owner's view of the hooks (can call them). */
  readonly hooks: KernelHooks
  /** The root service container. */
  readonly services: Services
  readonly log: Logger
  readonly store: StateStore
  /** Per hook and plugin: calls, time and errors of their taps. */
  hookStats(): TapStats[]
  /** Skill files that were invalid and skipped, with the reason. */
  skillErrors(): readonly Error[]
  /** Skills loaded from `<stateDir>/skills` at start (plugins' skills are in `registry.skills`). */
  diskSkills(): readonly SkillDefinition[]
  /**
   * Run every registered plugin's `checkConfig` (the checks `start()` makes first) without starting
   * anything: what `openclaw config validate` adds to the schema. Empty when every plugin accepts its
   * config. Only before `start()`.
   */
  checkConfig(): readonly PluginConfigProblem[]
  start(): Promise<void>
  /** Stop plugins in reverse order, each within `plugins.stopTimeoutMs`; safe to call twice. */
  stop(): Promise<void>
}

/** Validate a config object the way `createGateway` does; throws one error listing every bad path. */
export function parseConfig(raw: unknown): GatewayConfig {
  const result = CoreConfigSchema.safeParse(raw)
  if (!result.success) throw new CORE_ERR_CONFIG_INVALID(formatIssues(result.error.issues, raw).join('\n'))
  return result.data
}

/**
 * Create a gateway: read and validate the config, find the plugins, check their manifests,
 * dependencies and config before any plugin code runs, then register them in dependency order.
 * Nothing listens or connects until {@link Gateway.start}.
 */
export async function createGateway(options: CreateGatewayOptions = {}): Promise<Gateway> {
  const env = options.env ?? process.env
  const paths = resolvePaths({
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...(options.configPath ? { configPath: options.configPath } : {}),
    env,
  })
  const rawConfig = options.config !== undefined
    ? substituteEnv(options.config, env)
    : readConfigFile(paths.configPath, { required: paths.configRequired, env })

  const parsed = CoreConfigSchema.safeParse(rawConfig)
  const configProblems = parsed.success ? [] : formatIssues(parsed.error.issues, rawConfig)
  const config = parsed.success ? parsed.data : CoreConfigSchema.parse({})
  const pluginDirs = config.plugins.enabled
    ? discoverPluginDirs([
        ...config.plugins.load.paths.map((p) => resolve(p.replace(/^~(?=$|[\\/])/, env.HOME ?? '~'))),
        join(paths.stateDir, 'extensions'),
        ...(options.workspaceDir ? [join(options.workspaceDir, '.openclaw', 'extensions')] : []),
      ])
    : []
  const records = planPlugins({ inline: options.plugins ?? [], pluginDirs, config, rawConfig, configProblems })
  if (configProblems.length > 0) throw new CORE_ERR_CONFIG_INVALID(configProblems.join('\n'))

  const storage = options.store === undefined ? resolveStorage(config, env) : { driver: 'sqlite' as const }
  // On SQLite the state database is this gateway's alone while it lives (an in-memory or injected
  // store is not shared); on PostgreSQL several gateways are the point.
  const lock = options.store === undefined && storage.driver === 'sqlite' ? StateDirLock.acquire(paths.stateDir) : undefined
  const ownsStore = typeof options.store !== 'object'
  let store: StateStore | undefined
  let cluster: PgCluster | undefined
  try {
    if (storage.driver === 'postgres') {
      const pgStore = await PostgresStateStore.open(storage.options)
      store = pgStore
      await store.forOwner('core').migrate(CORE_MIGRATIONS)
      const log = options.logger ?? createLogger({ level: config.logging.level })
      cluster = new PgCluster({
        store: pgStore,
        maxWaitingPerSession: config.session.maxQueue,
        onError: (what, err) => log.error({ err }, `cluster: ${what} failed`),
        onConnection: (state, err) => {
          if (state === 'lost') log.warn({ err }, 'cluster connection to PostgreSQL lost: reconnecting (singletons held here stop)')
          else log.info({ database: pgStore.location }, 'cluster connection to PostgreSQL open')
        },
      })
      await cluster.start()
    } else {
      store = typeof options.store === 'object' ? options.store : SqliteStateStore.open(options.store ?? join(paths.stateDir, 'state.db'))
      await store.forOwner('core').migrate(CORE_MIGRATIONS)
    }
    const exclusive = lock !== undefined || options.store === ':memory:'
    const gateway = new GatewayKernel({ options, config, rawConfig, stateDir: paths.stateDir, records, lock, store, ownsStore, exclusive, cluster })
    await gateway.registerPlugins()
    return gateway
  } catch (err) {
    await cluster?.stop().catch(() => {})
    if (ownsStore) await store?.close()
    lock?.release()
    throw err
  }
}

/** How often the pruning singleton deletes rows past their retention (outbox, inbox, spilled bus events). */
const PRUNE_EVERY_MS = 10 * 60_000
/** Spilled bus events are wake-ups: an hour after they were sent, nobody reads them. */
const BUS_EVENTS_MAX_AGE_MS = 60 * 60_000

/** Route guards the HTTP server implements itself; any other `auth` names a guard a plugin registered. */
const BUILTIN_GUARDS: ReadonlySet<string> = new Set(['gateway', 'none'])

class GatewayKernel implements Gateway {
  readonly version = CORE_VERSION
  readonly stateDir: string
  readonly config: GatewayConfig
  readonly hooks: KernelHooks
  readonly services: DependencyManager
  readonly log: Logger
  readonly store: StateStore
  readonly registry: Registries
  readonly agent: AgentRunner
  readonly sessions: SessionStore
  readonly tools: ToolRuntime
  readonly models: GatewayRuntime['models']
  readonly inbound: GatewayRuntime['inbound']
  readonly delivery: GatewayRuntime['delivery']
  readonly channels: GatewayRuntime['channels']
  readonly pairing: GatewayRuntime['pairing']

  #state: GatewayState = 'created'
  readonly #metrics = new HookMetrics()
  readonly #host: PluginHost
  readonly #outbox: Outbox
  readonly #deliveryWorker: DeliveryWorker
  readonly #inbox: Inbox
  readonly #inboxWorker: InboxWorker
  readonly #coordination: GatewayCoordination
  readonly #clock: Clock
  readonly #ownsStore: boolean
  readonly #cluster: ClusterHost
  readonly #ownedCluster: PgCluster | undefined
  readonly #lock: StateDirLock | undefined
  readonly #env: NodeJS.ProcessEnv
  readonly #registries: {
    channels: Registry<ChannelDefinition>
    tools: Registry<ToolDefinition>
    skills: Registry<SkillDefinition>
    providers: Registry<ModelProvider>
    modelApis: Registry<ModelApi>
    httpRoutes: Registry<HttpRouteDefinition>
    httpUpgrades: Registry<HttpUpgradeDefinition>
    httpGuards: Registry<HttpGuardDefinition>
    rpcMethods: Registry<RpcMethodDefinition>
  }
  /** What plugins get as `api.gateway` (and `Tokens.Gateway`): never `this`. */
  readonly #runtime: GatewayRuntime
  #diskSkills: SkillDefinition[] = []
  #skillErrors: Error[] = []
  #stopPromise: Promise<void> | undefined

  constructor(input: {
    options: CreateGatewayOptions
    config: GatewayConfig
    rawConfig: unknown
    stateDir: string
    records: PluginRecord[]
    lock: StateDirLock | undefined
    /** Opened and migrated. */
    store: StateStore
    ownsStore: boolean
    exclusive: boolean
    /** The replicas this gateway runs with, when it opened a PostgreSQL store itself (it stops it). */
    cluster?: PgCluster
  }) {
    const { options, config } = input
    this.#lock = input.lock
    this.config = config
    this.stateDir = input.stateDir
    this.#clock = options.clock ?? systemClock
    this.log = options.logger ?? createLogger({ level: config.logging.level })
    this.#ownsStore = input.ownsStore
    this.store = input.store
    this.#cluster = options.cluster ?? input.cluster ?? new LocalCluster((name, err) => this.log.error({ err, singleton: name }, 'a cluster singleton failed to start'))
    const core = this.store.forOwner('core')
    this.#ownedCluster = input.cluster
    this.#coordination = (options.coordination ?? (input.cluster ? postgresCoordination(input.cluster) : singleProcessCoordination))({
      store: core, config, clock: this.#clock, holder: `gw_${randomUUID()}`, exclusive: input.exclusive,
    })

    this.hooks = createKernelHooks()
    instrumentHooks(this.hooks, this.#metrics)
    this.services = DependencyManager.createRoot('gateway')
    this.#registries = {
      channels: new Registry('Channel'),
      tools: new Registry('Tool'),
      skills: new Registry('Skill'),
      providers: new Registry('Model provider'),
      modelApis: new Registry('Model API'),
      httpRoutes: new Registry('HTTP route'),
      httpUpgrades: new Registry('HTTP upgrade'),
      httpGuards: new Registry('HTTP guard'),
      rpcMethods: new Registry('RPC method'),
    }
    this.registry = this.#registries

    this.sessions = new SessionStore(core, this.#clock)
    const statusBoard = new ChannelStatusBoard(this.#registries.channels, () => this.#clock.now())
    this.#outbox = new Outbox(core, this.#registries.channels, this.#clock, this.log.child({ part: 'outbox' }))
    this.#deliveryWorker = new DeliveryWorker(
      this.#outbox,
      this.#coordination.workQueue<OutboxRow>({
        table: 'core_outbox', key: 'delivery_key', due: 'next_attempt_at', pending: "state = 'pending'",
        groupBy: ['channel', 'account_id', 'target'], order: 'ord', leaseMs: config.delivery.leaseMs,
      }),
      this.#registries.channels, this.hooks, statusBoard, this.#clock, this.log.child({ part: 'delivery' }),
      {
        maxAttempts: config.delivery.maxAttempts, baseDelayMs: config.delivery.baseDelayMs, maxDelayMs: config.delivery.maxDelayMs,
        concurrency: config.delivery.concurrency,
        media: { allowedHostnames: config.delivery.media.allowedHostnames, timeoutMs: config.delivery.media.fetchTimeoutMs },
        inDoubt: config.delivery.inDoubt,
      },
    )
    this.delivery = {
      send: (message) => this.#outbox.send(message),
      deadLetters: (options) => this.#outbox.deadLetters(options),
      retry: (key) => this.#outbox.retry(key),
      drop: (key) => this.#outbox.drop(key),
    }
    this.channels = { status: () => statusBoard.snapshot() }
    const pairing = new PairingStore(core, this.#clock)
    this.pairing = { list: (channel) => pairing.list(channel), approve: (channel, code, accountId) => pairing.approve(channel, code, accountId) }
    const executor = new ToolExecutor(this.hooks, this.log.child({ part: 'tools' }))
    const coreTools = createCoreTools(this.sessions, config.session.tools)
    for (const tool of coreTools) this.#registries.tools.add('core', tool.name, tool)
    this.agent = new AgentRunner({
      config,
      hooks: this.hooks,
      tools: this.#registries.tools,
      skills: this.#registries.skills,
      providers: this.#registries.providers,
      sessions: this.sessions,
      idempotency: this.#coordination.idempotency,
      turns: this.#coordination.turns,
      runs: this.#coordination.runs,
      executor,
      clock: this.#clock,
      log: this.log.child({ part: 'agent' }),
      diskSkills: () => this.#diskSkills,
      deliver: (message) => this.#outbox.send(message),
    })
    // Fencing: without its cluster connection, the other replicas count this one as dead and take its
    // sessions and claims over; its runs must not go on beside theirs.
    input.cluster?.connection.onLost(() => {
      for (const run of this.#coordination.runs.values()) run.controller.abort(new CORE_ERR_RUN_ABORTED('this replica lost its connection to the cluster'))
    })
    this.#inbox = new Inbox(core, config, statusBoard, this.#clock, (channelId) => {
      const channel = this.#registries.channels.get(channelId)
      return channel !== undefined && debounceMsFor(config, channel) > 0
    })
    this.#inboxWorker = new InboxWorker({
      inbox: this.#inbox,
      batch: new InboxBatch(core, () => config.session.resetTriggers),
      queue: this.#coordination.workQueue<InboxRow>({
        table: 'core_inbox', key: 'id', due: 'due_at', pending: "state = 'pending'", groupBy: ['session_key'], order: 'id', leaseMs: config.inbound.leaseMs,
      }),
      outbox: this.#outbox,
      pairing,
      media: new MediaStore(join(this.stateDir, 'media'), config.inbound.maxMediaBytes, this.log.child({ part: 'media' })),
      channels: this.#registries.channels,
      agent: this.agent,
      sessions: this.sessions,
      setLastRoute: (key, route) => this.sessions.setLastRoute(key, route),
      hooks: this.hooks,
      config,
      clock: this.#clock,
      log: this.log.child({ part: 'inbound' }),
    })
    this.tools = {
      invoke: async (request) => {
        // No session named: the agent's main one, as on every surface (`/tools/invoke`, RPC `tools.invoke`).
        const { agentId, sessionKey } = this.agent.resolveSessionKey({
          ...(request.agentId ? { agentId: request.agentId } : {}),
          ...(request.sessionKey ? { sessionKey: request.sessionKey } : {}),
        })
        const tool = this.#registries.tools.get(request.name)
        const args = mergeToolAction(tool, request.args, request.action)
        return executor.execute({
          context: { runId: undefined, agentId, sessionKey, call: { id: `call_${randomUUID()}`, name: request.name, arguments: args }, via: request.via },
          tool,
          policy: this.agent.toolPolicy(agentId),
          signal: request.signal ?? new AbortController().signal,
        })
      },
    }
    this.models = { list: () => modelCatalog(this.#registries.providers.values()) }
    const router = new InboundRouter(core, this.hooks, this.agent, this.#clock, this.log.child({ part: 'inbound' }))
    this.inbound = {
      accept: (event) => this.#inbox.accept(event),
      list: (options) => this.#inbox.list(options),
      receive: (message) => router.receive(message),
    }

    this.#runtime = createSealedRuntime({
      version: this.version,
      stateDir: this.stateDir,
      config,
      registries: this.#registries,
      agent: this.agent,
      sessions: this.sessions,
      tools: this.tools,
      models: this.models,
      inbound: this.inbound,
      delivery: this.delivery,
      channels: this.channels,
      pairing: this.pairing,
      plugins: () => this.plugins,
      isReady: () => this.isReady(),
    })

    // What every plugin can resolve. The root store (every owner's tables) and the kernel are not here.
    this.services.registerInstance(Tokens.Logger, this.log)
    this.services.registerInstance(Tokens.Config, config)
    this.services.registerInstance(Tokens.Clock, this.#clock)
    this.services.registerInstance(Tokens.Gateway, this.#runtime)

    this.#env = options.env ?? process.env
    this.#host = new PluginHost(input.records, {
      log: this.log,
      rawConfig: input.rawConfig,
      stopTimeoutMs: config.plugins.stopTimeoutMs,
      createApi: (record) => this.#createApi(record),
      rollback: (record) => this.#rollback(record),
    })
  }

  get state(): GatewayState {
    return this.#state
  }

  get plugins(): readonly PluginInfo[] {
    return this.#host.records.map(toPluginInfo)
  }

  isReady(): boolean {
    return this.#state === 'started' && this.#host.records.every((r) => !r.required || r.state === 'started')
  }

  hookStats(): TapStats[] {
    return this.#metrics.snapshot()
  }

  skillErrors(): readonly Error[] {
    return this.#skillErrors
  }

  diskSkills(): readonly SkillDefinition[] {
    return this.#diskSkills
  }

  async registerPlugins(): Promise<void> {
    await this.#host.registerAll()
    const failure = this.#host.requiredFailure()
    if (failure) {
      await this.#teardown()
      throw failure
    }
    try {
      this.#buildProviders()
    } catch (err) {
      await this.#teardown()
      throw err
    }
  }

  /** One provider per `models.providers` entry, from the adapter its `api` names; a bad entry stops start-up. */
  #buildProviders(): void {
    const r = this.#registries
    const claimed = new Set(
      this.#host.records.map((rec) => rec.configKey).filter((key) => key.startsWith('models.providers.')).map((key) => key.slice('models.providers.'.length)),
    )
    const built = buildProviders({
      entries: this.config.models.providers,
      adapters: r.modelApis.entries().map(([, { owner, value }]) => ({ owner, adapter: value })),
      registered: new Map(r.providers.entries().map(([key, { owner }]) => [key, owner])),
      claimed,
      env: this.#env,
    })
    if (built.problems.length > 0) throw new CORE_ERR_CONFIG_INVALID(built.problems.join('\n'))
    for (const warning of built.warnings) this.log.warn(warning)
    const { defaults, entries } = this.config.agents
    const used = [defaults, ...Object.values(entries)].map((agent) => agent.model).filter((m): m is string => m !== undefined)
    for (const { owner, provider, builtin, baseUrl, apiKey } of built.providers) {
      r.providers.add(owner, provider.id, provider)
      // A built-in provider on its official endpoint without a key fails every call: say so once, if an agent uses it.
      if (builtin?.apiKeyEnv && baseUrl === builtin.baseUrl && apiKey() === undefined && used.some((m) => m.startsWith(`${provider.id}/`))) {
        this.log.warn(`No API key for provider '${provider.id}': set models.providers.${provider.id}.apiKey or ${builtin.apiKeyEnv}`)
      }
    }
  }

  checkConfig(): readonly PluginConfigProblem[] {
    if (this.#state !== 'created') throw new CORE_ERR_GATEWAY_STATE('check the config of', this.#state)
    return this.#host.checkAll()
  }

  async start(): Promise<void> {
    if (this.#state !== 'created') throw new CORE_ERR_GATEWAY_STATE('start', this.#state)
    this.#state = 'starting'
    const openMode = stateDirOpenToOthers(this.stateDir)
    if (openMode !== undefined) {
      this.log.warn({ stateDir: this.stateDir, mode: openMode }, `The state dir ${this.stateDir} (mode ${openMode}) is open to other users; it holds transcripts and secrets: chmod 700 it`)
    }
    const skills = loadSkillsDir(join(this.stateDir, 'skills'), (name) => this.#registries.tools.get(name))
    this.#diskSkills = skills.skills
    this.#skillErrors = skills.errors
    for (const err of skills.errors) this.log.warn({ code: (err as { code?: string }).code }, err.message)

    await this.#host.startAll()
    const failure = this.#host.requiredFailure()
    if (failure) {
      this.#state = 'stopping'
      await this.#host.stopAll()
      await this.#teardown()
      this.#state = 'stopped'
      throw failure
    }
    const abandoned = await this.#coordination.idempotency.recover()
    if (abandoned > 0) this.log.warn({ runs: abandoned }, 'released the idempotency keys of runs a previous process left unfinished')
    // The message tool, when there is a channel to send on.
    if (this.#registries.channels.keys().length > 0 && !this.#registries.tools.has('message')) {
      this.#registries.tools.add('core', 'message', createMessageTool({
        outbox: this.#outbox,
        channels: this.#registries.channels,
        workspaceDir: join(this.stateDir, 'workspace'),
        crossChannel: this.config.delivery.crossChannel,
      }) as ToolDefinition)
    }
    this.#deliveryWorker.start()
    this.#inboxWorker.start()
    // On one replica at a time (a cluster singleton): every replica deleting the same rows is wasted work.
    this.#cluster.singleton('core:prune', pruning(PRUNE_EVERY_MS, this.#pruneTasks(), this.log.child({ part: 'prune' })))
    this.#state = 'started'
    await this.hooks.gatewayStart.promise({ plugins: this.plugins.map((p) => ({ id: p.id, state: p.state })) }).catch((err: unknown) => {
      this.log.error({ err }, 'a gatewayStart tap failed')
    })
    const failed = this.plugins.filter((p) => p.state === 'failed')
    this.log.info({ plugins: this.plugins.length, failed: failed.map((p) => p.id) }, 'gateway started')
  }

  #pruneTasks(): PruneTask[] {
    const retentionMs = this.config.delivery.retentionHours * 3_600_000
    const tasks: PruneTask[] = [
      { name: 'outbox', run: () => this.#outbox.prune(retentionMs) },
      { name: 'inbox', run: () => this.#inbox.prune() },
    ]
    const cluster = this.#ownedCluster ?? (this.#cluster instanceof PgCluster ? this.#cluster : undefined)
    if (cluster) tasks.push({ name: 'cluster events', run: () => cluster.bus.prune(BUS_EVENTS_MAX_AGE_MS) })
    return tasks
  }

  stop(): Promise<void> {
    this.#stopPromise ??= this.#stop()
    return this.#stopPromise
  }

  async #stop(): Promise<void> {
    const wasStarted = this.#state === 'started'
    this.#state = 'stopping'
    if (wasStarted) {
      await this.hooks.gatewayStop.promise().catch((err: unknown) => this.log.error({ err }, 'a gatewayStop tap failed'))
    }
    // Singletons stop before the plugins that run them, so another replica can take them over.
    await this.#cluster.stopSingletons().catch((err: unknown) => this.log.error({ err }, 'stopping cluster singletons failed'))
    // The shutdown order: stop accepting inbound; let the runs in flight finish (within the drain
    // timeout); flush the outbox (or park what is left for the next start); then stop the channels.
    this.#inbox.close()
    await this.#inboxWorker.stop(this.config.inbound.drainTimeoutMs)
    await this.#deliveryWorker.stop(wasStarted ? this.config.delivery.flushTimeoutMs : 0)
    this.#outbox.releaseWaiters()
    // Surfaces (HTTP, RPC) drain their own requests as their plugins stop; what still runs is aborted.
    await this.#host.stopAll()
    await this.agent.abortAll('the gateway is stopping')
    await this.#teardown()
    this.#state = 'stopped'
  }

  async #teardown(): Promise<void> {
    for (const record of this.#host.records) record.abort.abort()
    await this.services.dispose().catch((err: unknown) => this.log.error({ err }, 'disposing services failed'))
    await this.#ownedCluster?.stop().catch((err: unknown) => this.log.error({ err }, 'leaving the cluster failed'))
    if (this.#ownsStore) await this.store.close()
    this.#lock?.release()
  }

  #createApi(record: PluginRecord): RegisteringApi {
    const id = record.id
    const services = this.services.createChild(id)
    record.services = services
    let open = true
    const guard = <A extends unknown[]>(method: string, fn: (...args: A) => void) => (...args: A) => {
      if (!open) throw new CORE_ERR_PLUGIN_API_CLOSED(id, method)
      fn(...args)
    }
    const r = this.#registries
    const taps = new TapBuffer()
    const api: PluginApi<unknown> = Object.freeze({
      id,
      config: record.config,
      env: pluginEnv(this.#env, record.definition?.env),
      log: this.log.child({ plugin: id }),
      services,
      hooks: createPluginHooks(this.hooks, id, taps),
      store: this.store.forOwner(id.replace(/[^A-Za-z0-9_:-]/g, '_')),
      gateway: this.#runtime,
      cluster: Object.freeze({
        mode: this.#cluster.mode,
        singleton: (name: string, start: SingletonStart) => this.#cluster.singleton(`${id}:${name}`, start),
      }),
      signal: record.abort.signal,
      http: Object.freeze({
        route: guard('http.route', (def: HttpRouteDefinition) => {
          const methods = [def.method].flat()
          if (!BUILTIN_GUARDS.has(def.auth) && !r.httpGuards.has(def.auth)) {
            throw new CORE_ERR_HTTP_GUARD_UNKNOWN(`${methods.join(',')} ${def.path}`, def.auth, [...BUILTIN_GUARDS, ...r.httpGuards.keys()].join(', '))
          }
          for (const method of methods) r.httpRoutes.add(id, `${method} ${def.path}`, { ...def, method })
        }),
        upgrade: guard('http.upgrade', (def: HttpUpgradeDefinition) => r.httpUpgrades.add(id, def.path, def)),
        guard: guard('http.guard', (name: string, check: HttpGuardCheck) => {
          if (BUILTIN_GUARDS.has(name)) throw new CORE_ERR_HTTP_GUARD_RESERVED(id, name)
          r.httpGuards.add(id, name, Object.freeze({ name, check }))
        }),
      }),
      rpc: Object.freeze({ method: guard('rpc.method', (def: RpcMethodDefinition<never, unknown>) => r.rpcMethods.add(id, def.name, def as RpcMethodDefinition)) }),
      channels: Object.freeze({ register: guard('channels.register', (def: ChannelDefinition) => r.channels.add(id, def.id, def)) }),
      tools: Object.freeze({ register: guard('tools.register', (def: ToolDefinition<never, unknown>) => r.tools.add(id, def.name, def as ToolDefinition)) }),
      skills: Object.freeze({ register: guard('skills.register', (def: SkillDefinition) => r.skills.add(id, def.slug, { ...def, source: def.source ?? id })) }),
      providers: Object.freeze({
        register: guard('providers.register', (def: ModelProvider) => r.providers.add(id, def.id, def)),
        adapter: guard('providers.adapter', (def: ModelApi<never>) => r.modelApis.add(id, def.api, def as ModelApi)),
      }),
    }) as PluginApi<unknown>
    return {
      api,
      close: () => {
        open = false
      },
      commit: () => taps.commit(),
      discard: () => taps.drop(),
    }
  }

  async #rollback(record: PluginRecord): Promise<void> {
    for (const registry of Object.values(this.#registries)) (registry as Registry<unknown>).removeOwner(record.id)
    await record.services?.dispose().catch(() => {})
  }
}
