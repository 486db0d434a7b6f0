import type { Clock, Logger, PluginApi } from '@openclaw/plugin-sdk'
import type { ResponseSessionStore } from './response-session-store.js'

type SingletonStart = Parameters<PluginApi['cluster']['singleton']>[1]

/** How often the leader deletes response ids past `previousResponseTtlHours`. */
export const PRUNE_RESPONSE_SESSIONS_EVERY_MS = 10 * 60_000

/**
 * The pruning of expired response ids, as the work of a cluster singleton (`http:openai:prune`):
 * the replica that leads it deletes at once, then `everyMs` after each round ends (on the gateway's
 * clock); the others do nothing, since the same DELETE on every replica would be wasted work. One
 * gateway (SQLite) simply runs it. Expired rows are never served meanwhile: `get` checks the TTL
 * itself. A failed round is logged and tried again at the next one.
 */
export function pruneResponseSessions(store: ResponseSessionStore, clock: Clock, log: Logger, everyMs = PRUNE_RESPONSE_SESSIONS_EVERY_MS): SingletonStart {
  return async (signal) => {
    let timer: ReturnType<Clock['setTimeout']> | undefined
    let round: Promise<void> | undefined
    let stopped = false
    const tick = () => {
      timer = undefined
      round = store.prune()
        .then((pruned) => {
          if (pruned > 0) log.debug({ pruned }, 'pruned expired response sessions')
        })
        .catch((err: unknown) => log.warn({ err }, 'pruning response sessions failed; trying again at the next round'))
        .finally(() => {
          round = undefined
          if (stopped || signal.aborted) return
          timer = clock.setTimeout(tick, everyMs)
          timer.unref?.()
        })
    }
    tick()
    return async () => {
      stopped = true
      if (timer) clock.clearTimeout(timer)
      timer = undefined
      await round
    }
  }
}
