import { AsyncParallelHook, AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook } from 'tapable'
import type { AgentRunOutcome, AgentRunPlan, ToolCallContext, ToolCallDecision, TurnContext } from '../types/agent.js'
import type { DeliveryReceipt, InboundMessage, OutboundMessage } from '../types/messages.js'
import type { ChannelEvent } from '../types/channel-events.js'
import type { SkillDefinition } from '../types/skills.js'
import type { ToolDefinition, ToolResult } from '../types/tools.js'
import type { TapBuffer } from './tap-buffer.js'

/** Extra tap option every tap carries: the plugin that added it (set by the core, not the plugin). */
export interface TapAttribution {
  plugin?: string
}

/** What `gatewayStart` taps learn about the gateway that just started. */
export interface GatewayStartInfo {
  readonly plugins: readonly { readonly id: string; readonly state: string }[]
}

/** An accepted channel event that could not run: it stays in the inbox as `failed`, with this reason. */
export interface InboundFailure {
  readonly inboxId: string
  readonly event: ChannelEvent
  /** A coded error's code (`CORE_ERR_AGENT_UNKNOWN`, `CORE_ERR_CHANNEL_UNKNOWN`, …). */
  readonly code: string
  readonly reason: string
}

/**
 * The gateway's hooks: one typed, frozen map owned by the core. Plugins receive a tap-only view.
 * Waterfall hooks pass each tap the previous tap's value; bail hooks stop at the first tap that
 * returns something other than `undefined`.
 */
export interface KernelHooks {
  /** Every plugin has started. */
  readonly gatewayStart: AsyncSeriesHook<[GatewayStartInfo], TapAttribution>
  /** The gateway is stopping; runs before plugins stop. */
  readonly gatewayStop: AsyncSeriesHook<[], TapAttribution>
  /** A channel received a message. Return a rewritten message, or `null` to drop it (later taps then see `null`). */
  readonly inboundMessage: AsyncSeriesWaterfallHook<[InboundMessage | null], InboundMessage | null, TapAttribution>
  /** A message passed `inboundMessage` and is about to be routed to an agent. */
  readonly messageReceived: AsyncParallelHook<[InboundMessage], TapAttribution>
  /** An accepted channel event could not run (no agent, no channel, a bad session key): a visible failure. */
  readonly inboundFailed: AsyncParallelHook<[InboundFailure], TapAttribution>
  /** A run is about to call the model: rewrite its prompt, model or tools. */
  readonly beforeAgentRun: AsyncSeriesWaterfallHook<[AgentRunPlan], AgentRunPlan, TapAttribution>
  /** A tool is about to run: return `{ deny }` to refuse it or `{ replace }` to answer instead of it. */
  readonly beforeToolCall: AsyncSeriesBailHook<[ToolCallContext], ToolCallDecision | undefined, TapAttribution>
  /** A tool call finished (or was denied or replaced). */
  readonly afterToolCall: AsyncParallelHook<[ToolCallContext, ToolResult], TapAttribution>
  /** A run ended, whatever its status. */
  readonly agentEnd: AsyncParallelHook<[AgentRunOutcome], TapAttribution>
  /** A message is about to be sent to a channel. Return a rewritten message, or `null` to cancel it. */
  readonly messageSending: AsyncSeriesWaterfallHook<[OutboundMessage | null], OutboundMessage | null, TapAttribution>
  /** A channel confirmed a message. */
  readonly messageSent: AsyncParallelHook<[OutboundMessage, DeliveryReceipt], TapAttribution>
  /** The tools offered for one turn; taps may add, remove or wrap. */
  readonly resolveTools: AsyncSeriesWaterfallHook<[readonly ToolDefinition[], TurnContext], readonly ToolDefinition[], TapAttribution>
  /** The skills available for one turn; taps may add or remove. */
  readonly resolveSkills: AsyncSeriesWaterfallHook<[readonly SkillDefinition[], TurnContext], readonly SkillDefinition[], TapAttribution>
}

export type HookName = keyof KernelHooks

/** The names of every kernel hook, in a stable order. */
export const HOOK_NAMES: readonly HookName[] = Object.freeze([
  'gatewayStart', 'gatewayStop', 'inboundMessage', 'messageReceived', 'inboundFailed', 'beforeAgentRun', 'beforeToolCall',
  'afterToolCall', 'agentEnd', 'messageSending', 'messageSent', 'resolveTools', 'resolveSkills',
] as const)

/** Build the frozen hook map. Called once per gateway. */
export function createKernelHooks(): KernelHooks {
  return Object.freeze({
    gatewayStart: new AsyncSeriesHook<[GatewayStartInfo], TapAttribution>(['info'], 'gatewayStart'),
    gatewayStop: new AsyncSeriesHook<[], TapAttribution>([], 'gatewayStop'),
    inboundMessage: new AsyncSeriesWaterfallHook<[InboundMessage | null], InboundMessage | null, TapAttribution>(['message'], 'inboundMessage'),
    messageReceived: new AsyncParallelHook<[InboundMessage], TapAttribution>(['message'], 'messageReceived'),
    inboundFailed: new AsyncParallelHook<[InboundFailure], TapAttribution>(['failure'], 'inboundFailed'),
    beforeAgentRun: new AsyncSeriesWaterfallHook<[AgentRunPlan], AgentRunPlan, TapAttribution>(['plan'], 'beforeAgentRun'),
    beforeToolCall: new AsyncSeriesBailHook<[ToolCallContext], ToolCallDecision | undefined, TapAttribution>(['context'], 'beforeToolCall'),
    afterToolCall: new AsyncParallelHook<[ToolCallContext, ToolResult], TapAttribution>(['context', 'result'], 'afterToolCall'),
    agentEnd: new AsyncParallelHook<[AgentRunOutcome], TapAttribution>(['outcome'], 'agentEnd'),
    messageSending: new AsyncSeriesWaterfallHook<[OutboundMessage | null], OutboundMessage | null, TapAttribution>(['message'], 'messageSending'),
    messageSent: new AsyncParallelHook<[OutboundMessage, DeliveryReceipt], TapAttribution>(['message', 'receipt'], 'messageSent'),
    resolveTools: new AsyncSeriesWaterfallHook<[readonly ToolDefinition[], TurnContext], readonly ToolDefinition[], TapAttribution>(['tools', 'turn'], 'resolveTools'),
    resolveSkills: new AsyncSeriesWaterfallHook<[readonly SkillDefinition[], TurnContext], readonly SkillDefinition[], TapAttribution>(['skills', 'turn'], 'resolveSkills'),
  })
}

/**
 * True when a hook has taps. (tapable's own `isUsed()` is also true when an interceptor is installed,
 * which the core's attribution interceptor always is.)
 */
export function hasTaps(hook: { readonly taps: readonly unknown[] }): boolean {
  return hook.taps.length > 0
}

/** Options a plugin may pass when tapping. The tap is always attributed to the plugin itself. */
export interface PluginTapOptions {
  /** A label for the tap, for `before` and diagnostics; defaults to the plugin id. */
  readonly name?: string
  /** One of the `STAGE_*` constants (or any number); lower runs first. */
  readonly stage?: number
  /** Run before the taps with these names. */
  readonly before?: string | string[]
}

type TapFnOf<H> = H extends { tap(options: never, fn: infer F): void } ? F : never
type TapPromiseFnOf<H> = H extends { tapPromise(options: never, fn: infer F): void } ? F : never

/** A hook as a plugin sees it: it can tap, never call. */
export interface TapOnlyHook<H> {
  readonly name: string
  tap(options: string | PluginTapOptions, fn: TapFnOf<H>): void
  tapPromise(options: string | PluginTapOptions, fn: TapPromiseFnOf<H>): void
  isUsed(): boolean
}

/** The tap-only view of {@link KernelHooks} that plugins receive as `api.hooks`. */
export type PluginHooks = { readonly [K in HookName]: TapOnlyHook<KernelHooks[K]> }

/**
 * Build a plugin's view of the hooks. It is built from `hook.withOptions()`, so `call`, `promise`
 * and `intercept` are missing at runtime as well as in the types, and every tap is stamped with
 * the plugin id. With a `buffer`, taps go through it (held while `register()` runs).
 */
export function createPluginHooks(hooks: KernelHooks, pluginId: string, buffer?: TapBuffer): PluginHooks {
  const view = {} as Record<HookName, TapOnlyHook<unknown>>
  for (const name of HOOK_NAMES) {
    const scoped = hooks[name].withOptions({ plugin: pluginId }) as unknown as {
      tap(options: object, fn: unknown): void
      tapPromise(options: object, fn: unknown): void
      isUsed(): boolean
    }
    const options = (input: string | PluginTapOptions) => {
      const opts = typeof input === 'string' ? { name: input } : { ...input }
      return { ...opts, name: opts.name ?? pluginId, plugin: pluginId }
    }
    view[name] = Object.freeze({
      name,
      tap: (input: string | PluginTapOptions, fn: unknown) => {
        const opts = options(input)
        if (buffer) buffer.add(() => scoped.tap(opts, fn))
        else scoped.tap(opts, fn)
      },
      tapPromise: (input: string | PluginTapOptions, fn: unknown) => {
        const opts = options(input)
        if (buffer) buffer.add(() => scoped.tapPromise(opts, fn))
        else scoped.tapPromise(opts, fn)
      },
      isUsed: () => hasTaps(hooks[name]),
    })
  }
  return Object.freeze(view) as unknown as PluginHooks
}
