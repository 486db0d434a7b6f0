import type { Logger } from '../logging/logger.js'
import type { SingletonStart } from './cluster.js'

/** One kind of rows to prune: how many went. */
export interface PruneTask {
  readonly name: string
  run(): Promise<number>
}

/**
 * The core's pruning (outbox rows past retention, inbox rows past the de-duplication window, spilled
 * bus events), as a cluster singleton: one replica deletes, at once when it becomes the leader and then
 * every `everyMs`; when it dies or stops, another takes over. One gateway (SQLite) simply runs it.
 * A task that fails is logged and tried again at the next round.
 */
export function pruning(everyMs: number, tasks: readonly PruneTask[], log: Logger): SingletonStart {
  return async (signal) => {
    let round: Promise<void> | undefined
    const tick = () => {
      if (round) return // the last round is still going on (a slow database)
      round = (async () => {
        for (const task of tasks) {
          if (signal.aborted) return
          try {
            const pruned = await task.run()
            if (pruned > 0) log.debug({ pruned, rows: task.name }, 'pruned')
          } catch (err) {
            log.warn({ err, rows: task.name }, 'pruning failed; trying again at the next round')
          }
        }
      })().finally(() => {
        round = undefined
      })
    }
    tick()
    const timer = setInterval(tick, everyMs)
    timer.unref()
    return async () => {
      clearInterval(timer)
      await round
    }
  }
}
