import type { Registry } from '../registry/registry.js'
import type { AgentRuntime, GatewayRuntime, Registries, RegistryView, SessionRuntime } from './plugin-api.js'
import type { PluginInfo } from './plugin-definition.js'

/** The kernel parts a sealed runtime forwards to. Each is called through, never handed out. */
export interface SealedRuntimeParts {
  readonly version: string
  readonly stateDir: string
  readonly config: GatewayRuntime['config']
  readonly registries: { readonly [K in keyof Registries]: Registry<unknown> }
  readonly agent: AgentRuntime
  readonly sessions: SessionRuntime
  readonly tools: GatewayRuntime['tools']
  readonly models: GatewayRuntime['models']
  readonly inbound: GatewayRuntime['inbound']
  readonly delivery: GatewayRuntime['delivery']
  readonly channels: GatewayRuntime['channels']
  readonly pairing: GatewayRuntime['pairing']
  plugins(): readonly PluginInfo[]
  isReady(): boolean
}

/** A read-only view of a registry: no `add`, no `removeOwner`. */
function viewOf<T>(registry: Registry<T>): RegistryView<T> {
  return Object.freeze({
    get: (key: string) => registry.get(key),
    has: (key: string) => registry.has(key),
    owner: (key: string) => registry.owner(key),
    keys: () => registry.keys(),
    values: () => registry.values(),
  })
}

/**
 * What a plugin may do with the gateway, as `api.gateway`: start, run, wait for and abort agent runs;
 * sessions; tools; delivery; inbound; read-only registries; plugin infos; readiness. A frozen object
 * of functions that call into the kernel: the kernel itself (its hooks' `promise()`, its root
 * services, `stop()`) is not reachable from it.
 */
export function createSealedRuntime(parts: SealedRuntimeParts): GatewayRuntime {
  const { agent, sessions, tools, models, inbound, delivery, channels, pairing } = parts
  const registry = Object.freeze(
    Object.fromEntries(Object.entries(parts.registries).map(([name, r]) => [name, viewOf(r)])),
  ) as unknown as Registries
  return Object.freeze({
    version: parts.version,
    stateDir: parts.stateDir,
    config: parts.config,
    registry,
    agent: Object.freeze<AgentRuntime>({
      run: (options) => agent.run(options),
      stream: (options) => agent.stream(options),
      start: (options) => agent.start(options),
      wait: (runId, options) => agent.wait(runId, options),
      abort: (runId) => agent.abort(runId),
      agentIds: () => agent.agentIds(),
      resolveSessionKey: (options) => agent.resolveSessionKey(options),
    }),
    sessions: Object.freeze<SessionRuntime>({
      list: (...args: Parameters<SessionRuntime['list']>) => sessions.list(...args),
      get: (...args: Parameters<SessionRuntime['get']>) => sessions.get(...args),
      history: (...args: Parameters<SessionRuntime['history']>) => sessions.history(...args),
      reset: (...args: Parameters<SessionRuntime['reset']>) => sessions.reset(...args),
      delete: (...args: Parameters<SessionRuntime['delete']>) => sessions.delete(...args),
    }),
    tools: Object.freeze({ invoke: (request: Parameters<GatewayRuntime['tools']['invoke']>[0]) => tools.invoke(request) }),
    models: Object.freeze({ list: () => models.list() }),
    inbound: Object.freeze<GatewayRuntime['inbound']>({
      accept: (event) => inbound.accept(event),
      list: (options) => inbound.list(options),
      receive: (message) => inbound.receive(message),
    }),
    delivery: Object.freeze<GatewayRuntime['delivery']>({
      send: (message) => delivery.send(message),
      deadLetters: (options) => delivery.deadLetters(options),
      retry: (key) => delivery.retry(key),
      drop: (key) => delivery.drop(key),
    }),
    channels: Object.freeze<GatewayRuntime['channels']>({ status: () => channels.status() }),
    pairing: Object.freeze<GatewayRuntime['pairing']>({
      list: (channel) => pairing.list(channel),
      approve: (channel, code, accountId) => pairing.approve(channel, code, accountId),
    }),
    get plugins() {
      return parts.plugins()
    },
    isReady: () => parts.isReady(),
  })
}
