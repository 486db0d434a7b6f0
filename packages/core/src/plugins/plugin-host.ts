import { pathToFileURL } from 'node:url'
import type { ZodType } from 'zod'
import { formatIssues } from '../config/format-issues.js'
import { getAtPath } from '../config/config-path.js'
import {
  CORE_ERR_PLUGIN_CONFIG_INVALID,
  CORE_ERR_PLUGIN_DEPENDENCY_FAILED,
  CORE_ERR_PLUGIN_ENTRY_LOAD,
  CORE_ERR_PLUGIN_REGISTER_ASYNC,
  CORE_ERR_PLUGIN_REGISTER_FAILED,
  CORE_ERR_PLUGIN_REQUIRED_FAILED,
  CORE_ERR_PLUGIN_START_FAILED,
  CORE_ERR_PLUGIN_STOP_FAILED,
  CORE_ERR_PLUGIN_STOP_TIMEOUT,
} from '../errors/codes.js'
import { isCodedError } from '../errors/create-error.js'
import type { Logger } from '../logging/logger.js'
import type { PluginApi } from './plugin-api.js'
import type { PluginConfigProblem, PluginDefinition } from './plugin-definition.js'
import { checkDefinition } from './plan-plugins.js'
import { describeError, type PluginRecord } from './plugin-record.js'

/** A plugin's API while its `register()` runs, with the switches the host flips when it returns. */
export interface RegisteringApi {
  readonly api: PluginApi<unknown>
  /** `register()` returned or threw: registering (routes, methods, tools…) is closed from now on. */
  close(): void
  /** `register()` succeeded: the taps it made join the hooks. */
  commit(): void
  /** `register()` failed: the taps it made are dropped. */
  discard(): void
}

/** What the host needs from the gateway to give a plugin its API and to undo a failed register. */
export interface PluginHostDeps {
  readonly log: Logger
  readonly rawConfig: unknown
  readonly stopTimeoutMs: number
  createApi(record: PluginRecord): RegisteringApi
  /** Remove every registry entry and service a plugin added (its taps were never added). */
  rollback(record: PluginRecord): Promise<void>
}

async function importEntry(record: PluginRecord): Promise<PluginDefinition<unknown>> {
  let mod: { default?: unknown }
  try {
    mod = (await import(pathToFileURL(record.entryPath!).href)) as { default?: unknown }
  } catch (err) {
    throw new CORE_ERR_PLUGIN_ENTRY_LOAD(record.id, record.entryPath!, { cause: err })
  }
  const exported = typeof mod.default === 'function' ? (mod.default as () => unknown)() : mod.default
  checkDefinition(exported, record.entryPath!)
  return exported
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Runs the plugin lifecycle over planned records: register in dependency order, start in the same
 * order, stop in reverse. A plugin that fails is marked failed with its id and cause and its
 * dependents are skipped; the others keep going, unless the failed plugin is required.
 */
export class PluginHost {
  constructor(
    readonly records: readonly PluginRecord[],
    private readonly deps: PluginHostDeps,
  ) {}

  get(id: string): PluginRecord | undefined {
    return this.records.find((r) => r.id === id)
  }

  async registerAll(): Promise<void> {
    for (const record of this.records) {
      if (!this.#ready(record)) continue
      let registering: RegisteringApi | undefined
      try {
        if (!record.definition) {
          record.definition = await importEntry(record)
          // The code's own schema (with its defaults) wins over the manifest's copy.
          if (record.definition.config) record.configSchema = record.definition.config as ZodType
          record.config = this.#parseConfig(record)
        }
        registering = this.deps.createApi(record)
        record.api = registering.api
        let returned: unknown
        try {
          returned = record.definition.register(registering.api)
        } finally {
          // Closed the moment register() returns: a call made later (a microtask, a timer) is refused.
          registering.close()
        }
        if (returned && typeof (returned as Promise<unknown>).then === 'function') {
          ;(returned as Promise<unknown>).catch(() => {})
          throw new CORE_ERR_PLUGIN_REGISTER_ASYNC(record.id)
        }
        registering.commit()
      } catch (err) {
        registering?.discard()
        const coded = (err as { code?: string }).code
        const wrapped =
          coded === CORE_ERR_PLUGIN_ENTRY_LOAD.code || coded === CORE_ERR_PLUGIN_REGISTER_ASYNC.code || coded === CORE_ERR_PLUGIN_CONFIG_INVALID.code
            ? (err as Error)
            : new CORE_ERR_PLUGIN_REGISTER_FAILED(record.id, errorMessage(err), { cause: err })
        await this.deps.rollback(record)
        this.#fail(record, wrapped)
      }
    }
  }

  async startAll(): Promise<void> {
    for (const record of this.records) {
      if (!this.#ready(record)) continue
      try {
        // The config checks first, so a refusal reads the same here as in `checkAll`.
        record.definition!.checkConfig?.(record.api!)
        await record.definition!.start?.(record.api!)
        record.state = 'started'
        this.deps.log.debug({ plugin: record.id }, 'plugin started')
      } catch (err) {
        this.#fail(record, new CORE_ERR_PLUGIN_START_FAILED(record.id, errorMessage(err), { cause: err }))
        // Let it release whatever it acquired before failing.
        await this.#stopOne(record).catch(() => {})
        record.state = 'failed'
      }
    }
  }

  /**
   * Run each registered plugin's `checkConfig` in start order without starting anything or changing
   * any plugin's state. A plugin is skipped when a dependency refused its config, as start-up would
   * skip it: its check may rely on what that dependency provides.
   */
  checkAll(): PluginConfigProblem[] {
    const problems: PluginConfigProblem[] = []
    const refused = new Set<string>()
    for (const record of this.records) {
      if (record.state !== 'loaded' || record.dependsOn.some((dep) => refused.has(dep))) continue
      try {
        record.definition!.checkConfig?.(record.api!)
      } catch (err) {
        refused.add(record.id)
        problems.push({ plugin: record.id, error: describeError(err) })
      }
    }
    return problems
  }

  /** Stop started plugins in reverse order; each gets `stopTimeoutMs`. Never throws. */
  async stopAll(): Promise<void> {
    for (const record of [...this.records].reverse()) {
      if (record.state !== 'started') continue
      record.abort.abort()
      try {
        await this.#stopOne(record)
        record.state = 'stopped'
      } catch (err) {
        record.state = 'failed'
        record.error = describeError(err)
        this.deps.log.error({ plugin: record.id, err }, 'plugin failed to stop cleanly')
      }
    }
  }

  /** The first required plugin that failed, if any. */
  requiredFailure(): Error | undefined {
    const failed = this.records.find((r) => r.required && r.state === 'failed')
    if (!failed) return undefined
    return new CORE_ERR_PLUGIN_REQUIRED_FAILED(failed.id, failed.error?.message ?? 'unknown error', { cause: failed.error })
  }

  async #stopOne(record: PluginRecord): Promise<void> {
    const stop = record.definition?.stop
    if (!stop || !record.api) return
    try {
      await withTimeout(
        Promise.resolve().then(() => stop.call(record.definition, record.api!)),
        this.deps.stopTimeoutMs,
        () => new CORE_ERR_PLUGIN_STOP_TIMEOUT(record.id, this.deps.stopTimeoutMs),
      )
    } catch (err) {
      if ((err as { code?: string }).code === CORE_ERR_PLUGIN_STOP_TIMEOUT.code) throw err
      throw new CORE_ERR_PLUGIN_STOP_FAILED(record.id, errorMessage(err), { cause: err })
    }
  }

  #parseConfig(record: PluginRecord): unknown {
    if (!record.configSchema) return undefined
    const section = getAtPath(this.deps.rawConfig, record.configKey)
    const result = record.configSchema.safeParse(section ?? {})
    if (result.success) return result.data
    throw new CORE_ERR_PLUGIN_CONFIG_INVALID(record.id, formatIssues(result.error.issues, section ?? {}, record.configKey.split('.')).join('\n'))
  }

  /** True when the plugin may go on to the next step; a plugin whose dependency failed is marked failed. */
  #ready(record: PluginRecord): boolean {
    if (record.state !== 'loaded') return false
    const failedDep = this.#failedDependency(record)
    if (failedDep) this.#fail(record, new CORE_ERR_PLUGIN_DEPENDENCY_FAILED(record.id, failedDep))
    return failedDep === undefined
  }

  #failedDependency(record: PluginRecord): string | undefined {
    return record.dependsOn.find((dep) => {
      const state = this.get(dep)?.state
      return state === 'failed' || state === 'disabled'
    })
  }

  #fail(record: PluginRecord, err: Error): void {
    record.state = 'failed'
    record.error = describeError(err)
    const cause = err.cause ?? err
    if (isCodedError(err, CORE_ERR_PLUGIN_DEPENDENCY_FAILED.code)) {
      // The dependency's own failure is logged already, with its reason.
      this.deps.log.warn({ plugin: record.id, code: record.error.code }, err.message)
    } else if (isCodedError(cause)) {
      // A refusal the plugin made on purpose (a coded error): its message says what to fix, a stack adds nothing.
      this.deps.log.error({ plugin: record.id, code: record.error.code, cause: cause.code }, err.message)
    } else {
      this.deps.log.error({ plugin: record.id, code: record.error.code, err: cause }, err.message)
    }
  }
}
