import { performance } from 'node:perf_hooks'
import { CORE_ERR_HOOK_TAP_FAILED } from '../errors/codes.js'
import { isCodedError } from '../errors/create-error.js'
import { HOOK_NAMES, type KernelHooks } from './kernel-hooks.js'

/** Time and failures of one plugin's taps on one hook. */
export interface TapStats {
  readonly hook: string
  readonly plugin: string
  readonly calls: number
  readonly errors: number
  readonly totalMs: number
  readonly maxMs: number
}

/** Collects, per hook and plugin, how often taps ran, how long they took and how often they threw. */
export class HookMetrics {
  readonly #stats = new Map<string, { hook: string; plugin: string; calls: number; errors: number; totalMs: number; maxMs: number }>()

  record(hook: string, plugin: string, ms: number, failed: boolean): void {
    const key = `${hook}\u0000${plugin}`
    let entry = this.#stats.get(key)
    if (!entry) {
      entry = { hook, plugin, calls: 0, errors: 0, totalMs: 0, maxMs: 0 }
      this.#stats.set(key, entry)
    }
    entry.calls++
    if (failed) entry.errors++
    entry.totalMs += ms
    if (ms > entry.maxMs) entry.maxMs = ms
  }

  snapshot(): TapStats[] {
    return [...this.#stats.values()].map((s) => ({ ...s }))
  }
}

type AnyFn = (...args: unknown[]) => unknown

function attribute(hook: string, plugin: string, err: unknown): Error {
  if (isCodedError(err, CORE_ERR_HOOK_TAP_FAILED.code)) return err
  const reason = err instanceof Error ? err.message : String(err)
  const wrapped = new CORE_ERR_HOOK_TAP_FAILED(hook, plugin, reason, { cause: err })
  Object.defineProperty(wrapped, 'plugin', { value: plugin, enumerable: true })
  return wrapped
}

/**
 * Install one interceptor per hook that attributes every tap's time and errors to its plugin.
 * A tap's error reaches the caller as `CORE_ERR_HOOK_TAP_FAILED` naming the hook and the plugin,
 * with the original error as `cause`.
 */
export function instrumentHooks(hooks: KernelHooks, metrics: HookMetrics): void {
  for (const hookName of HOOK_NAMES) {
    hooks[hookName].intercept({
      name: 'openclaw:attribution',
      register(tap) {
        const plugin = (tap as { plugin?: string }).plugin ?? 'core'
        const fn = tap.fn as AnyFn
        let wrapped: AnyFn
        if (tap.type === 'sync') {
          wrapped = (...args) => {
            const t0 = performance.now()
            try {
              const out = fn(...args)
              metrics.record(hookName, plugin, performance.now() - t0, false)
              return out
            } catch (err) {
              metrics.record(hookName, plugin, performance.now() - t0, true)
              throw attribute(hookName, plugin, err)
            }
          }
        } else if (tap.type === 'promise') {
          wrapped = (...args) => {
            const t0 = performance.now()
            let promise: Promise<unknown>
            try {
              promise = Promise.resolve(fn(...args))
            } catch (err) {
              metrics.record(hookName, plugin, performance.now() - t0, true)
              return Promise.reject(attribute(hookName, plugin, err))
            }
            return promise.then(
              (out) => {
                metrics.record(hookName, plugin, performance.now() - t0, false)
                return out
              },
              (err: unknown) => {
                metrics.record(hookName, plugin, performance.now() - t0, true)
                throw attribute(hookName, plugin, err)
              },
            )
          }
        } else {
          wrapped = (...args) => {
            const t0 = performance.now()
            const callback = args.pop() as (err?: unknown, result?: unknown) => void
            return fn(...args, (err?: unknown, result?: unknown) => {
              metrics.record(hookName, plugin, performance.now() - t0, Boolean(err))
              callback(err ? attribute(hookName, plugin, err) : err, result)
            })
          }
        }
        return { ...tap, fn: wrapped }
      },
    })
  }
}
