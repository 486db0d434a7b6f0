import type { ZodType } from 'zod'
import type { PluginApi } from './plugin-api.js'

/** The plugin API version this core implements. Plugins declare the range they need as `apiVersion`. */
export const PLUGIN_API_VERSION = '2.0.0'

/**
 * The range assumed for a plugin that declares no `apiVersion`: the current major. (Plugins built
 * for API 1 carry `^1.0.0` in their generated manifest, and are refused.)
 */
export const DEFAULT_API_RANGE = '^2.0.0'

export type PluginKind = 'channel' | 'provider' | 'tool' | 'skill' | 'surface' | 'memory' | 'other'

/**
 * A plugin: metadata plus lifecycle. Everything in OpenClaw beyond the kernel is one of these.
 *
 * `register` is synchronous and only declares: services, taps, routes, methods, tools. Connecting,
 * polling and listening belong in `start`; `stop` releases all of it and may be called twice.
 */
export interface PluginDefinition<Config = unknown> {
  /** Unique id, namespaced: `channel:telegram`, `tool:memory`, `http:openai`. */
  readonly id: string
  readonly version: string
  readonly name?: string
  readonly description?: string
  readonly kind?: PluginKind
  /** Semver range of the plugin API this plugin works with. Default `^2.0.0` (the current major). */
  readonly apiVersion?: string
  /** Plugin ids that must be registered (and started) before this one. */
  readonly dependsOn?: readonly string[]
  /** Schema of this plugin's config, validated before `register` runs. */
  readonly config?: ZodType<Config>
  /** Where in the config file this plugin's config lives. Default `plugins.entries.<id>.config`. */
  readonly configKey?: string
  /**
   * The environment variables this plugin reads (`TELEGRAM_BOT_TOKEN`), as `api.env`. The core hands
   * it these and no others, from the environment the gateway was created with (`createGateway({ env })`,
   * the process's for the CLI), never from `process.env` behind an embedder's back.
   */
  readonly env?: readonly string[]
  register(api: PluginApi<Config>): void
  /**
   * Checks of this plugin's config that its schema cannot make: against the environment, other
   * sections, or what other plugins registered (e.g. a token that must differ from the gateway's).
   * Synchronous and without side effects; throw a coded error. It runs right before `start` (a throw
   * fails the plugin as one in `start` does), and `openclaw config validate` runs it without
   * starting anything, so a config the plugin would refuse is caught before deployment.
   */
  checkConfig?(api: PluginApi<Config>): void
  start?(api: PluginApi<Config>): Promise<void> | void
  stop?(api: PluginApi<Config>): Promise<void> | void
}

export type PluginState = 'loaded' | 'started' | 'failed' | 'disabled' | 'stopped'

/** What the gateway reports about each plugin it knows. */
export interface PluginInfo {
  readonly id: string
  readonly name: string
  readonly version: string
  readonly kind: PluginKind
  /** `inline` for plugin objects passed in code, else the folder the plugin was loaded from. */
  readonly source: string
  readonly required: boolean
  readonly dependsOn: readonly string[]
  readonly state: PluginState
  /** Why the plugin failed or is disabled. */
  readonly error?: { readonly code: string; readonly message: string; readonly cause?: unknown }
}

/** A plugin whose `checkConfig` refused the config, as `gateway.checkConfig()` reports it. */
export interface PluginConfigProblem {
  readonly plugin: string
  readonly error: NonNullable<PluginInfo['error']>
}

/**
 * What a plugin module may export as its default: a plugin, or a factory that makes a fresh one per
 * call, so per-gateway state lives in the factory's closure. The loader calls a factory with no
 * options (config reaches the plugin as `api.config`); embedders pass their own.
 */
export type PluginFactory<Options = void, Config = unknown> = (options?: Options) => PluginDefinition<Config>

/** Anything `createGateway({ plugins })` accepts: plugins, nested arrays (presets), and falsy holes. */
export type PluginInput = PluginDefinition<any> | false | null | undefined | readonly PluginInput[]
