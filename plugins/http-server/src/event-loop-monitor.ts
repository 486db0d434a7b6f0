import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks'

/** The `eventLoop` block of a detailed probe answer, over the window since the previous one. */
export interface EventLoopHealth {
  /** Event-loop delay percentiles and maximum, in milliseconds. */
  readonly delayP50Ms: number
  readonly delayP99Ms: number
  readonly delayMaxMs: number
  /** Share of the window the event loop was busy, 0…1. */
  readonly utilization: number
  /** True when delays or utilisation are high enough to slow every request (p99 ≥ 100 ms or ≥ 90 % busy). */
  readonly degraded: boolean
  readonly intervalMs: number
}

const DEGRADED_DELAY_MS = 100
const DEGRADED_UTILIZATION = 0.9
const round = (value: number): number => Math.round(value * 100) / 100

/**
 * Event-loop delay and utilisation for the probes (`perf_hooks`), running between `start()` and
 * `stop()`. Each `snapshot()` covers the time since the previous one.
 */
export class EventLoopMonitor {
  #histogram: IntervalHistogram | undefined
  #elu: EventLoopUtilization | undefined
  #since = 0

  start(): void {
    if (this.#histogram) return
    this.#histogram = monitorEventLoopDelay({ resolution: 20 })
    this.#histogram.enable()
    this.#elu = performance.eventLoopUtilization()
    this.#since = performance.now()
  }

  stop(): void {
    this.#histogram?.disable()
    this.#histogram = undefined
  }

  snapshot(): EventLoopHealth | undefined {
    const histogram = this.#histogram
    if (!histogram || !this.#elu) return undefined
    const now = performance.now()
    const elu = performance.eventLoopUtilization()
    const utilization = round(performance.eventLoopUtilization(elu, this.#elu).utilization)
    const ms = (ns: number): number => (Number.isFinite(ns) ? round(ns / 1e6) : 0)
    const health = {
      delayP50Ms: ms(histogram.percentile(50)),
      delayP99Ms: ms(histogram.percentile(99)),
      delayMaxMs: ms(histogram.max),
      utilization,
      intervalMs: Math.round(now - this.#since),
    }
    histogram.reset()
    this.#elu = elu
    this.#since = now
    return { ...health, degraded: health.delayP99Ms >= DEGRADED_DELAY_MS || utilization >= DEGRADED_UTILIZATION }
  }
}
