import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { z } from 'zod'
import type { Clock } from '../clock/clock.js'
import type { AgentSettings, GatewayConfig } from '../config/config-schema.js'
import { ThinkingLevelSchema } from '../config/config-schema.js'
import { formatIssues } from '../config/format-issues.js'
import {
  CORE_ERR_AGENT_UNKNOWN,
  CORE_ERR_CHANNEL_UNKNOWN,
  CORE_ERR_DELIVERY_FAILED,
  CORE_ERR_MODEL_FAILED,
  CORE_ERR_MODEL_UNKNOWN,
  CORE_ERR_NO_PROVIDER,
  CORE_ERR_PROVIDER_UNKNOWN,
  CORE_ERR_RUN_ABORTED,
  CORE_ERR_RUN_INVALID,
  CORE_ERR_RUN_SUPERSEDED,
  CORE_ERR_RUN_TIMEOUT,
  CORE_ERR_RUN_TURN_LIMIT,
  CORE_ERR_TOOL_RESULT_UNMATCHED,
} from '../errors/codes.js'
import { isCodedError } from '../errors/create-error.js'
import type { IdempotencyClaim, IdempotencyStore, RunFence } from '../coordination/idempotency-store.js'
import type { RunTracker, TrackedRun } from '../coordination/run-tracker.js'
import type { TurnQueue } from '../coordination/turn-queue.js'
import { hasTaps, type KernelHooks } from '../hooks/kernel-hooks.js'
import type { Logger } from '../logging/logger.js'
import type { AgentRuntime, DeliveryOutcome } from '../plugins/plugin-api.js'
import type { Registry } from '../registry/registry.js'
import { DEFAULT_AGENT_ID, resolveSessionKey } from '../sessions/session-key.js'
import type { NewTranscriptEntry, SessionStore } from '../sessions/session-store.js'
import type { SqlTransaction } from '../store/state-store.js'
import type { AgentEvent, AgentRunOptions, AgentRunPlan, AgentRunResult, DeliveryTarget, RunStatus, TurnContext } from '../types/agent.js'
import type { OutboundMessage } from '../types/messages.js'
import type { FinishReason, ModelProvider, ModelTool, Usage } from '../types/providers.js'
import type { SkillDefinition } from '../types/skills.js'
import type { ToolCall, ToolDefinition, ToolResult } from '../types/tools.js'
import { findModel, providerModels } from '../providers/model-catalog.js'
import { historyEntries, pendingToolCalls, toModelMessages } from './model-messages.js'
import { RunEvents } from './run-events.js'
import { composeSystemPrompt, mentionedSkills } from './system-prompt.js'
import type { ToolExecutor } from './tool-executor.js'
import { ToolPolicy } from './tool-policy.js'
import { compileToolSchema } from './tool-schema.js'
import { assertTranscriptRoom, TranscriptTotal } from './transcript-limits.js'

const DEFAULT_MAX_TOOL_TURNS = 8
const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000
const RECENT_RESULTS = 1000
/** An idempotency claim outlives its run's timeout by this much (the run may also wait in its session's queue). */
const LEASE_GRACE_MS = 60_000
/** How often a run held by another replica is looked up until its result lands. */
const FOLLOW_POLL_MS = 500

const RunOptionsSchema = z.object({
  agentId: z.string().min(1).optional(),
  sessionKey: z.string().min(1).optional(),
  message: z.string(),
  thinking: ThinkingLevelSchema.optional(),
  timeoutMs: z.number().int().positive().optional(),
  idempotencyKey: z.string().min(1).max(256).optional(),
  model: z.string().regex(/^[^/\s]+\/\S+$/, 'expected "provider/model"').optional(),
  instructions: z.string().optional(),
  maxTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
})

export interface AgentRunnerDeps {
  readonly config: GatewayConfig
  readonly hooks: KernelHooks
  readonly tools: Registry<ToolDefinition>
  readonly skills: Registry<SkillDefinition>
  readonly providers: Registry<ModelProvider>
  readonly sessions: SessionStore
  /** Idempotency keys, claimed when a run starts. */
  readonly idempotency: IdempotencyStore
  /** Turns of one session one at a time. */
  readonly turns: TurnQueue
  /** The runs going on in this process. */
  readonly runs: RunTracker
  readonly executor: ToolExecutor
  readonly clock: Clock
  readonly log: Logger
  /** Skills loaded from `<stateDir>/skills`. */
  readonly diskSkills: () => readonly SkillDefinition[]
  deliver(message: OutboundMessage): Promise<DeliveryOutcome>
}

type ActiveRun = TrackedRun

/** What a run needs before it has a queue slot: checked input and where it runs. */
interface RunRequest {
  readonly runId: string
  readonly agentId: string
  readonly sessionKey: string
  readonly options: AgentRunOptions
  readonly streaming: boolean
  readonly timeoutMs: number
  /** The run of a replica that died holding this idempotency key: its transcript entries are undone first. */
  readonly takenOver?: string
}

const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 }

function addUsage(a: Usage, b: Usage): Usage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens, totalTokens: a.totalTokens + b.totalTokens }
}

function toolResultText(result: ToolResult): string {
  if (!result.ok) return JSON.stringify({ error: result.error })
  return typeof result.output === 'string' ? result.output : JSON.stringify(result.output ?? null)
}

/**
 * An async iterator whose `next()` rejects with the abort reason as soon as `signal` fires, even
 * while the wrapped iterator is still waiting (a provider that ignores its signal cannot hold a run).
 * One abort listener for the whole iteration, not one per value.
 */
class AbortableIterator<T> {
  #rejectPending: ((reason: unknown) => void) | undefined
  readonly #onAbort = () => this.#rejectPending?.(this.signal.reason)

  constructor(
    private readonly iterator: AsyncIterator<T>,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', this.#onAbort, { once: true })
  }

  next(): Promise<IteratorResult<T>> {
    if (this.signal.aborted) return Promise.reject(this.signal.reason)
    return new Promise((resolve, reject) => {
      this.#rejectPending = reject
      this.iterator.next().then(resolve, reject)
    })
  }

  /** Stop listening; when aborted, also tell the wrapped iterator to stop. */
  close(): void {
    this.signal.removeEventListener('abort', this.#onAbort)
    this.#rejectPending = undefined
    // A provider failing while it cancels has nobody to tell: the run already failed with the abort.
    if (this.signal.aborted) this.iterator.return?.().catch(() => {})
  }
}

/**
 * Runs agent turns. Runs on one session are serialised in arrival order; different sessions run
 * concurrently. The same idempotency key never starts a second run.
 */
export class AgentRunner implements AgentRuntime {
  readonly #runs: RunTracker
  /** Runs answered from the idempotency store (not going on): a start that meets one did not join a run. */
  readonly #answered = new WeakSet<ActiveRun>()
  /** Runs another replica executes, followed from here: a start that meets one joined it. */
  readonly #followed = new WeakSet<ActiveRun>()
  /** The latest results by run id, for `wait` (a cache: the store has them too). */
  readonly #recent = new Map<string, AgentRunResult>()
  readonly #agentIds: string[]
  /** Compiled once per agent: the config does not change while the gateway runs. */
  readonly #policies = new Map<string, ToolPolicy>()
  /** All transcripts' size for `session.maxTotalTranscriptBytes` (a cache, re-summed every few seconds). */
  readonly #transcriptTotal: TranscriptTotal

  constructor(private readonly deps: AgentRunnerDeps) {
    this.#runs = deps.runs
    this.#transcriptTotal = new TranscriptTotal(deps.sessions, deps.clock)
    this.#agentIds = [...new Set([DEFAULT_AGENT_ID, ...Object.keys(deps.config.agents.entries)])]
  }

  agentIds(): string[] {
    return [...this.#agentIds]
  }

  resolveSessionKey(options: { agentId?: string; sessionKey?: string }): { agentId: string; sessionKey: string } {
    const resolved = resolveSessionKey(options)
    if (!this.#agentIds.includes(resolved.agentId)) throw new CORE_ERR_AGENT_UNKNOWN(resolved.agentId, this.#agentIds.join(', '))
    return resolved
  }

  async run(options: AgentRunOptions): Promise<AgentRunResult> {
    // Nobody can follow this run's events: providers may ask for whole answers instead of streams.
    return (await this.#start(options, false)).run.result
  }

  /**
   * The run's events; it starts on the first `next()` (which rejects for bad input) and ends once the
   * result is settled. Written out rather than as an async generator, which costs more per event.
   */
  stream(options: AgentRunOptions): AsyncIterable<AgentEvent> {
    return {
      [Symbol.asyncIterator]: () => {
        let starting: Promise<unknown> | undefined
        let started: { readonly run: ActiveRun; readonly events: AsyncIterator<AgentEvent> } | undefined
        /** Refused at start, or returned early: nothing more to give. */
        let over = false
        const done = (): Promise<IteratorResult<AgentEvent>> => Promise.resolve({ done: true, value: undefined })
        const step = (): Promise<IteratorResult<AgentEvent>> => {
          if (over || !started) return done()
          const { run, events } = started
          return events.next().then((s) => (s.done ? run.result.then(() => s) : s))
        }
        return {
          next: (): Promise<IteratorResult<AgentEvent>> => {
            if (started || over) return step()
            starting ??= this.#start(options, true).then(
              ({ run }) => {
                started = { run, events: run.events.subscribe() }
              },
              (err: unknown) => {
                over = true
                throw err
              },
            )
            return starting.then(step)
          },
          return: async (): Promise<IteratorResult<AgentEvent>> => {
            over = true
            if (starting) await starting.catch(() => undefined)
            return (await started?.events.return?.()) ?? { done: true, value: undefined }
          },
        }
      },
    }
  }

  async wait(runId: string, options: { timeoutMs?: number } = {}): Promise<AgentRunResult | undefined> {
    const active = this.#runs.get(runId)
    if (!active) {
      const known = this.#recent.get(runId) ?? (await this.deps.idempotency.byRunId(runId))
      // Not here: on several replicas, another one may be running it (found by run id or idempotency key).
      return known ?? this.#runs.remote?.wait(runId, options.timeoutMs)
    }
    if (options.timeoutMs === undefined) return active.result
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), options.timeoutMs)
    })
    return Promise.race([active.result, timeout]).finally(() => clearTimeout(timer))
  }

  /** Abort a run going on here, or (several replicas) on the replica running it. Whether one was found. */
  async abort(runId: string): Promise<boolean> {
    const active = this.#runs.get(runId)
    if (!active) return (await this.#runs.remote?.abort(runId)) ?? false
    active.controller.abort(new CORE_ERR_RUN_ABORTED('aborted by request'))
    return true
  }

  /** Abort every run (gateway stop) and wait for them to settle. */
  async abortAll(reason: string): Promise<void> {
    const runs = this.#runs.values()
    for (const run of runs) run.controller.abort(new CORE_ERR_RUN_ABORTED(reason))
    await Promise.allSettled(runs.map((r) => r.result))
  }

  /** Start a run, or join the one with the same idempotency key. Rejects only for bad input. */
  async start(options: AgentRunOptions): Promise<{ runId: string; sessionKey: string; agentId: string; events: RunEvents; result: Promise<AgentRunResult>; joined: boolean }> {
    const { run, joined } = await this.#start(options, true)
    return { runId: run.runId, sessionKey: run.sessionKey, agentId: run.agentId, events: run.events, result: run.result, joined }
  }

  /** Check the input; then start the run, or join the one its idempotency key names. `streaming`: whether the caller may follow the run's text as it comes. */
  #start(options: AgentRunOptions, streaming: boolean): Promise<{ run: ActiveRun; joined: boolean }> {
    let request: RunRequest
    try {
      request = this.#request(options, streaming)
    } catch (err) {
      return Promise.reject(err)
    }
    const key = options.idempotencyKey
    if (!key) return this.#assertRoom(request).then(() => ({ run: this.#launch(request, undefined), joined: false }))
    // A start with this key in progress (or its run going on) here: join it, with no database round trip.
    const pending = this.#runs.byKey(key)
    if (pending) return pending.then((run) => ({ run, joined: !this.#answered.has(run) }))
    const admitted = this.#admit(key, request)
    this.#runs.setKey(key, admitted)
    return admitted.then(
      (run) => {
        if (this.#answered.has(run) && this.#runs.byKey(key) === admitted) this.#runs.deleteKey(key)
        // A run followed on another replica: joined here until it ends, then the store answers (the key is not held forever).
        if (this.#followed.has(run)) void run.result.catch(() => undefined).finally(() => this.#runs.byKey(key) === admitted && this.#runs.deleteKey(key))
        return { run, joined: this.#followed.has(run) }
      },
      (err: unknown) => {
        if (this.#runs.byKey(key) === admitted) this.#runs.deleteKey(key)
        throw err
      },
    )
  }

  #request(options: AgentRunOptions, streaming: boolean): RunRequest {
    const parsed = RunOptionsSchema.safeParse(options)
    if (!parsed.success) throw new CORE_ERR_RUN_INVALID(formatIssues(parsed.error.issues, options).join('; '))
    if (options.message.trim() === '' && !options.toolResults?.length && !options.attachments?.length) {
      throw new CORE_ERR_RUN_INVALID('message is empty')
    }
    // The model could not tell the two apart, and a call would run the gateway's tool, not the caller's.
    const clash = options.clientTools?.find((t) => this.deps.tools.has(t.name))
    if (clash) throw new CORE_ERR_RUN_INVALID(`client tool '${clash.name}' has the name of a gateway tool; give it another name`)
    const { agentId, sessionKey } = this.resolveSessionKey({
      ...(options.agentId ? { agentId: options.agentId } : {}),
      ...(options.sessionKey ? { sessionKey: options.sessionKey } : {}),
    })
    const settings = this.#settings(agentId)
    const timeoutMs = options.timeoutMs ?? (settings.timeoutSeconds ? settings.timeoutSeconds * 1000 : DEFAULT_TIMEOUT_MS)
    return { runId: `run_${randomUUID()}`, agentId, sessionKey, options, streaming, timeoutMs }
  }

  /** Claim the idempotency key in the database, then start the run; or answer or follow the run that has it. */
  async #admit(key: string, request: RunRequest): Promise<ActiveRun> {
    const claim = await this.deps.idempotency.claim({
      key, runId: request.runId, sessionKey: request.sessionKey,
      leaseMs: request.timeoutMs * (this.deps.turns.depth(request.sessionKey) + 1) + LEASE_GRACE_MS,
    })
    if (claim.status === 'finished') return this.#finished(claim.result)
    if (claim.status === 'running') return this.#follow(key, claim, request)
    try {
      await this.#assertRoom(request)
      return this.#launch(claim.takenOver ? { ...request, takenOver: claim.takenOver } : request, key)
    } catch (err) {
      // Never started (no room in the transcripts, or the session's queue is full): the key is free again.
      await this.deps.idempotency.release(key, request.runId).catch(() => undefined)
      throw err
    }
  }

  /** Refuse a run whose input would take its transcript, or all of them, over the limits (before it starts). */
  #assertRoom(request: RunRequest): Promise<void> {
    const { maxTranscriptBytes, maxTotalTranscriptBytes } = this.deps.config.session
    return assertTranscriptRoom(this.deps.sessions, this.#transcriptTotal, { maxSessionBytes: maxTranscriptBytes, maxTotalBytes: maxTotalTranscriptBytes }, request.sessionKey, request.options)
  }

  /** Queue the run on its session; throws `CORE_ERR_SESSION_BUSY` when the queue is full. */
  #launch(request: RunRequest, key: string | undefined): ActiveRun {
    const { runId, sessionKey, agentId } = request
    const events = new RunEvents()
    const controller = new AbortController()
    // The result is stored under the key in the transaction of the run's last transcript entry when it
    // can be (one commit fewer per turn); `stored` says it was, so settling does not write it again.
    // A keyed run also writes only while it holds its key (its fence): a replica that took the key over
    // (this one counted as dead) is then sure that what this run wrote is all gone before it runs the turn again.
    const stored = { done: false }
    const result = this.deps.turns.run(sessionKey, () => this.#execute({ ...request, events, controller, ...(key ? { key, stored } : {}) }))
    const run: ActiveRun = { runId, sessionKey, agentId, events, result, controller }
    this.#runs.add(run)
    const settle = async (final: AgentRunResult | undefined) => {
      if (key) {
        try {
          if (!final) await this.deps.idempotency.release(key, runId)
          else if (!stored.done) await this.deps.idempotency.finish(key, final)
        } catch (err) {
          this.deps.log.error({ err, runId }, 'could not store the run result for idempotency')
        }
        this.#runs.deleteKey(key)
      }
      if (final) this.#remember(final)
      this.#runs.delete(runId)
    }
    void result.then(settle, () => settle(undefined))
    return run
  }

  /**
   * A run another holder (a replica) has under this key: its events (where the replicas can pass
   * them), and its result once it lands; a new claim if its holder dies or its lease runs out first.
   */
  #follow(key: string, claim: Extract<IdempotencyClaim, { status: 'running' }>, request: RunRequest): ActiveRun {
    const events = new RunEvents()
    const controller = new AbortController()
    const remote = this.#runs.remote
    let ended: AgentRunResult | undefined
    let forwarded = false
    const stop = remote?.follow(claim.runId, (event) => {
      if (event.type === 'lifecycle' && event.phase !== 'start') ended = event.result
      else {
        forwarded = true
        events.push(event)
      }
    })
    const pause = (ms: number) => remote ? remote.changed(claim.runId, ms) : new Promise<void>((resolve) => this.deps.clock.setTimeout(resolve, ms))
    const poll = async (): Promise<AgentRunResult> => {
      for (;;) {
        if (!ended) await pause(FOLLOW_POLL_MS)
        if (ended) return ended
        const stored = await this.deps.idempotency.get(key)
        if (stored) {
          // Its last events may still be on their way: they come before the end.
          if (forwarded) await pause(FOLLOW_POLL_MS)
          return ended ?? stored
        }
        const gone = this.deps.clock.now() >= claim.leaseUntil || (remote !== undefined && !(await remote.alive(claim.holder)))
        if (gone) return (await this.#admit(key, request)).result
      }
    }
    const result = poll().finally(() => stop?.()).then((final) => {
      events.push({ type: 'lifecycle', phase: final.status === 'ok' ? 'end' : 'error', runId: final.runId, result: final })
      events.close()
      return final
    })
    const run: ActiveRun = { runId: claim.runId, sessionKey: request.sessionKey, agentId: request.agentId, events, result, controller }
    this.#followed.add(run)
    return run
  }

  #finished(result: AgentRunResult): ActiveRun {
    const events = new RunEvents()
    events.push({ type: 'lifecycle', phase: result.status === 'ok' ? 'end' : 'error', runId: result.runId, result })
    events.close()
    const run: ActiveRun = { runId: result.runId, sessionKey: result.sessionKey, agentId: result.agentId, events, result: Promise.resolve(result), controller: new AbortController() }
    this.#answered.add(run)
    return run
  }

  #remember(result: AgentRunResult): void {
    this.#recent.set(result.runId, result)
    if (this.#recent.size > RECENT_RESULTS) this.#recent.delete(this.#recent.keys().next().value!)
  }

  /** The tool policy of an agent (its `tools.allow`/`tools.deny` over the defaults). */
  toolPolicy(agentId: string): ToolPolicy {
    let policy = this.#policies.get(agentId)
    if (!policy) {
      policy = new ToolPolicy(this.#settings(agentId).tools ?? {})
      this.#policies.set(agentId, policy)
    }
    return policy
  }

  #settings(agentId: string): AgentSettings {
    const { defaults, entries } = this.deps.config.agents
    const entry = entries[agentId] ?? {}
    return { ...defaults, ...entry, tools: entry.tools ?? defaults.tools }
  }

  #resolveModel(model: string | undefined): { provider: ModelProvider; model: string; ref: string } {
    const providers = this.deps.providers
    if (!model) {
      const only = providers.values().find((p) => p.models && p.models.length > 0)
      if (!only) throw new CORE_ERR_NO_PROVIDER('(none configured: set agents.defaults.model)')
      model = `${only.id}/${providerModels(only)![0]!.id}`
    }
    const slash = model.indexOf('/')
    const providerId = model.slice(0, slash)
    const provider = providers.get(providerId)
    if (!provider) {
      if (providers.size === 0) throw new CORE_ERR_NO_PROVIDER(model)
      throw new CORE_ERR_PROVIDER_UNKNOWN(providerId, model, providers.keys().join(', '))
    }
    const modelId = model.slice(slash + 1)
    if (!findModel(provider, modelId)) {
      throw new CORE_ERR_MODEL_UNKNOWN(modelId, providerId, providerModels(provider)!.map((m) => m.id).join(', '))
    }
    return { provider, model: modelId, ref: model }
  }

  async #execute(
    ctx: RunRequest & { readonly events: RunEvents; readonly controller: AbortController; readonly key?: string; readonly stored?: { done: boolean } },
  ): Promise<AgentRunResult> {
    const { runId, agentId, sessionKey, options, events, controller, streaming, timeoutMs } = ctx
    const { deps } = this
    const fence: RunFence | undefined = ctx.key ? deps.idempotency.fence(ctx.key, runId) : undefined
    const started = performance.now()
    const settings = this.#settings(agentId)
    const deadline = deps.clock.now() + timeoutMs
    const timer = deps.clock.setTimeout(() => controller.abort(new CORE_ERR_RUN_TIMEOUT(timeoutMs)), timeoutMs)
    const onCallerAbort = () => controller.abort(new CORE_ERR_RUN_ABORTED('the caller went away'))
    if (options.signal?.aborted) onCallerAbort()
    else options.signal?.addEventListener('abort', onCallerAbort, { once: true })

    let usage = ZERO_USAGE
    let text = ''
    let finishReason: FinishReason = 'stop'
    let modelRef = options.model ?? settings.model ?? ''
    let plan: AgentRunPlan | undefined
    const toolCalls: (ToolCall & { result?: ToolResult; clientSide?: boolean })[] = []
    events.push({ type: 'lifecycle', phase: 'start', runId, sessionKey, agentId })

    const finish = (status: RunStatus, error?: AgentRunResult['error']): AgentRunResult => ({
      runId, sessionKey, agentId, status, text, toolCalls, usage, model: modelRef, finishReason,
      durationMs: performance.now() - started,
      ...(error ? { error } : {}),
    })

    let result: AgentRunResult | undefined
    /** Another replica took this run's key over (counting this one as dead): it writes and delivers nothing more. */
    let superseded = false
    try {
      // Aborted while it waited in the session's queue (its caller went away): it never started, so it
      // writes nothing but the abort note; its message would reach the model unanswered otherwise.
      if (controller.signal.aborted) throw controller.signal.reason
      // The same turn, cut off on a replica that died: what it wrote goes, so the turn is in the transcript once.
      if (ctx.takenOver) await deps.sessions.dropRun(sessionKey, ctx.takenOver)
      // A client's own history seeds a session that has none yet; a session with a transcript is the truth.
      const existing = options.toolResults?.length || options.history?.length ? await deps.sessions.transcript(sessionKey) : undefined
      const incoming: NewTranscriptEntry[] = options.history?.length && existing?.length === 0 ? historyEntries(options.history, runId) : []
      // Tool results must answer the calls the model is waiting for: anything else would be refused by
      // the model API on this turn and every later one. Checked here, in the session's queue.
      const before = existing ? [...existing, ...incoming] : undefined
      if (before && options.toolResults?.length) {
        const pending = pendingToolCalls(before)
        for (const r of options.toolResults!) {
          const name = pending.get(r.toolCallId)
          if (name === undefined) throw new CORE_ERR_TOOL_RESULT_UNMATCHED(r.toolCallId, [...pending.keys()].join(', ') || 'none')
          pending.delete(r.toolCallId)
          incoming.push({ role: 'tool', runId, toolCallId: r.toolCallId, name: r.name ?? name, text: r.content })
        }
      }
      if (options.message.trim() !== '' || options.attachments?.length) {
        incoming.push({ role: 'user', runId, text: options.message, ...(options.attachments?.length ? { attachments: options.attachments } : {}) })
      }
      const created = await deps.sessions.append(sessionKey, incoming, { agentId, ...(options.origin ? { origin: options.origin } : {}) }, { fence })

      // Tools and skills for this turn.
      const turn: TurnContext = { runId, agentId, sessionKey, message: options.message }
      let skills: readonly SkillDefinition[] = [...deps.skills.values(), ...deps.diskSkills()]
      if (settings.skills) skills = skills.filter((s) => settings.skills!.includes(s.slug))
      if (hasTaps(deps.hooks.resolveSkills)) skills = await deps.hooks.resolveSkills.promise(skills, turn)
      const active = mentionedSkills(options.message, skills)
      const policy = this.toolPolicy(agentId)
      const offered = new Map<string, ToolDefinition>()
      for (const tool of [...deps.tools.values(), ...active.flatMap((s) => s.tools ?? [])]) {
        if (!policy.check(tool.name)) offered.set(tool.name, tool)
      }
      let tools: readonly ToolDefinition[] = [...offered.values()]
      if (hasTaps(deps.hooks.resolveTools)) tools = await deps.hooks.resolveTools.promise(tools, turn)

      plan = {
        runId, agentId, sessionKey, message: options.message,
        systemPrompt: composeSystemPrompt({ agentPrompt: settings.systemPrompt, instructions: options.instructions, skills, active }),
        model: modelRef,
        tools: tools.map((t) => t.name),
        thinking: options.thinking ?? settings.thinking,
      }
      if (hasTaps(deps.hooks.beforeAgentRun)) plan = await deps.hooks.beforeAgentRun.promise(plan)
      const { provider, model, ref } = this.#resolveModel(plan.model || undefined)
      modelRef = ref
      const toolsByName = new Map(tools.filter((t) => plan!.tools.includes(t.name)).map((t) => [t.name, t]))
      const clientTools = new Set((options.clientTools ?? []).map((t) => t.name))
      const modelTools: ModelTool[] = [
        ...[...toolsByName.values()].map((t) => ({ name: t.name, description: t.description, parameters: compileToolSchema(t).jsonSchema })),
        ...(options.clientTools ?? []).filter((t) => !toolsByName.has(t.name)),
      ]

      const maxTurns = settings.maxToolTurns ?? DEFAULT_MAX_TOOL_TURNS
      // A session this run created holds just what it appended: no need to read it back.
      const history = toModelMessages(created ? incoming : existing ? [...existing, ...incoming] : await deps.sessions.transcript(sessionKey))
      for (let turnIndex = 0; ; turnIndex++) {
        let turnText = ''
        const calls: ToolCall[] = []
        finishReason = 'stop'
        const stream = provider.stream({
          model,
          system: plan.systemPrompt,
          messages: history,
          tools: modelTools,
          ...(options.toolChoice && turnIndex === 0 ? { toolChoice: options.toolChoice } : {}),
          ...(plan.thinking ? { thinking: plan.thinking } : {}),
          ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
          ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
          signal: controller.signal,
          deadline,
          ...(streaming ? {} : { stream: false }),
        })
        const iterator = new AbortableIterator(stream[Symbol.asyncIterator](), controller.signal)
        try {
          for (;;) {
            const step = await iterator.next()
            if (step.done) break
            const event = step.value
            if (event.type === 'text') {
              turnText += event.delta
              events.push({ type: 'text', runId, delta: event.delta })
            } else if (event.type === 'tool_call') calls.push(event.call)
            else if (event.type === 'usage') usage = addUsage(usage, event.usage)
            else finishReason = event.reason
          }
        } finally {
          iterator.close()
        }
        text = turnText
        const assistant: NewTranscriptEntry = {
          role: 'assistant', runId, text: turnText, model: modelRef,
          ...(calls.length ? { toolCalls: calls } : {}),
        }
        history.push({ role: 'assistant', content: turnText, ...(calls.length ? { toolCalls: calls } : {}) })
        if (calls.length === 0) {
          // The answer, and with it (nothing left to change the result: no delivery to add) the
          // result under the idempotency key, in one transaction.
          const final = finish('ok')
          const { key, stored } = ctx
          const withResult = key && stored && !options.deliver
            ? async (tx: SqlTransaction) => {
              await deps.idempotency.finish(key, final, tx)
              stored.done = true
            }
            : undefined
          await deps.sessions.append(sessionKey, [assistant], undefined, { fence, also: withResult })
          result = final
          break
        }
        finishReason = 'tool_calls'
        const serverCalls = calls.filter((c) => !clientTools.has(c.name) || toolsByName.has(c.name))
        const clientCalls = calls.filter((c) => !serverCalls.includes(c))
        for (const call of serverCalls) events.push({ type: 'tool', phase: 'start', runId, call })
        const results = await Promise.all(
          serverCalls.map((call) =>
            deps.executor.execute({
              context: { runId, agentId, sessionKey, call, via: 'agent', ...(ctx.options.route ? { route: ctx.options.route } : {}) },
              tool: toolsByName.get(call.name),
              policy,
              signal: controller.signal,
            }),
          ),
        )
        const entries: NewTranscriptEntry[] = [assistant]
        results.forEach((res, i) => {
          const call = serverCalls[i]!
          toolCalls.push({ ...call, result: res })
          events.push({ type: 'tool', phase: 'result', runId, result: res })
          const content = toolResultText(res)
          entries.push({ role: 'tool', runId, toolCallId: call.id, name: call.name, text: content, ...(res.ok ? {} : { isError: true }) })
          history.push({ role: 'tool', toolCallId: call.id, name: call.name, content, ...(res.ok ? {} : { isError: true }) })
        })
        await deps.sessions.append(sessionKey, entries, undefined, { fence })
        if (controller.signal.aborted) throw controller.signal.reason
        if (clientCalls.length > 0) {
          for (const call of clientCalls) toolCalls.push({ ...call, clientSide: true })
          break
        }
        if (turnIndex + 1 >= maxTurns) throw new CORE_ERR_RUN_TURN_LIMIT(maxTurns)
      }
      result ??= finish('ok')
    } catch (err) {
      // A provider that gave up at the run's deadline reports its own timeout; the run timed out.
      if (!controller.signal.aborted && deps.clock.now() >= deadline) controller.abort(new CORE_ERR_RUN_TIMEOUT(timeoutMs))
      superseded = isCodedError(err, CORE_ERR_RUN_SUPERSEDED.code)
      const reason: unknown = controller.signal.aborted && !superseded ? controller.signal.reason : err
      const status: RunStatus = isCodedError(reason, CORE_ERR_RUN_TIMEOUT.code) ? 'timeout' : isCodedError(reason, CORE_ERR_RUN_ABORTED.code) ? 'aborted' : 'error'
      finishReason = 'error'
      const coded = isCodedError(reason) ? reason : new CORE_ERR_MODEL_FAILED(modelRef || '(unresolved)', reason instanceof Error ? reason.message : String(reason), { cause: reason })
      if (status === 'error') deps.log.warn({ runId, sessionKey, code: coded.code, err: reason }, 'agent run failed')
      const retryAfterMs = (coded as { retryAfterMs?: unknown }).retryAfterMs
      result = finish(status, {
        code: coded.code,
        message: coded.message,
        ...(coded.statusCode ? { statusCode: coded.statusCode } : {}),
        ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
      })
      try {
        if (!superseded) await deps.sessions.append(sessionKey, [{ role: 'system', runId, text: `run ${status}: ${coded.code}` }], undefined, { fence })
      } catch {
        // The session may not exist (bad key); the result still reports the failure.
      }
    } finally {
      deps.clock.clearTimeout(timer)
      options.signal?.removeEventListener('abort', onCallerAbort)
    }

    // A run another replica took over is that replica's to answer: this one delivers nothing.
    if (options.deliver && !superseded) result = { ...result, delivery: await this.#deliver(result, options.deliver) }
    if (hasTaps(deps.hooks.agentEnd)) {
      await deps.hooks.agentEnd.promise({ plan, result }).catch((err: unknown) => deps.log.warn({ err, runId }, 'agentEnd tap failed'))
    }
    events.push({ type: 'lifecycle', phase: result.status === 'ok' ? 'end' : 'error', runId, result })
    events.close()
    return result
  }

  /** Deliver the run's reply (or a failure notice); never throws: the outcome goes into the result. */
  async #deliver(result: AgentRunResult, deliver: DeliveryTarget | true): Promise<NonNullable<AgentRunResult['delivery']>> {
    const target = deliver === true ? (await this.deps.sessions.get(result.sessionKey))?.lastRoute : deliver
    if (!target) {
      this.deps.log.warn({ runId: result.runId, sessionKey: result.sessionKey }, 'deliver: true, but the session has no last route; reply not delivered')
      return { status: 'skipped', error: { code: CORE_ERR_CHANNEL_UNKNOWN.code, message: 'the session has no last delivery route' } }
    }
    const text = result.status === 'ok' ? result.text : `⚠️ The agent could not answer (${result.error?.code}): ${result.error?.message}`
    if (text.trim() === '') return { status: 'skipped' }
    try {
      const outcome = await this.deps.deliver({
        channel: target.channel,
        to: target.to,
        text,
        sessionKey: result.sessionKey,
        deliveryKey: `run:${result.runId}`,
        ...(target.accountId ? { accountId: target.accountId } : {}),
        ...(target.threadId ? { threadId: target.threadId } : {}),
      })
      if (outcome.status === 'sent') {
        await this.deps.sessions.setLastRoute(result.sessionKey, {
          channel: target.channel, to: target.to,
          ...(target.accountId ? { accountId: target.accountId } : {}),
          ...(target.threadId ? { threadId: target.threadId } : {}),
        })
      }
      return { status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}) }
    } catch (err) {
      const error = isCodedError(err) ? { code: err.code, message: err.message } : { code: CORE_ERR_DELIVERY_FAILED.code, message: String(err) }
      this.deps.log.error({ runId: result.runId, code: error.code }, `reply not delivered: ${error.message}`)
      return { status: 'failed', error }
    }
  }
}
