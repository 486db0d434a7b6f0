import type { Logger } from '@openclaw/plugin-sdk'
import type { AcceptOutcome, ChannelEvent } from '@openclaw/plugin-sdk/channels'
import type { Update } from 'grammy/types'
import { TG_ERR_POLL_CONFLICT, TG_ERR_POLL_STALLED, TG_ERR_TOKEN_REJECTED } from './errors.js'
import { ALLOWED_UPDATES, mapUpdate, type TopicAgent } from './map-update.js'
import { apiFailure, grammySignal, type ApiFailureDetails } from './telegram-api.js'
import { sleep, type TelegramAccountRuntime } from './telegram-account.js'

export interface PollerDeps {
  readonly accept: (event: ChannelEvent) => Promise<AcceptOutcome>
  readonly topicAgent: TopicAgent
  readonly log: Logger
  readonly now: () => number
}

/** The backoff after the n-th failure in a row: 1 s doubling to 30 s. */
export function pollBackoffMs(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1))
}

/**
 * Long polling for one account, while `signal` is not aborted (it runs as the cluster singleton of
 * its bot token, so one replica polls). Each `getUpdates` has its own deadline: the long-poll
 * timeout plus the stall grace; a request past it is a stall (`TG_ERR_POLL_STALLED`) and is
 * abandoned for a new connection. Each update is made durable with `accept()` before the offset
 * moves past it, so an update is confirmed to Telegram (by the next `getUpdates`) only once it is
 * in the inbox; a redelivery after a crash is a duplicate there. Failures back off (1 s → 30 s) and
 * show in the account's status: a 409 with its cause, a 401 as a rejected token.
 */
export async function runPoller(account: TelegramAccountRuntime, signal: AbortSignal, deps: PollerDeps): Promise<void> {
  const { log, now } = deps
  const { timeoutSeconds, stallGraceMs } = account.settings.polling
  const deadlineMs = timeoutSeconds * 1000 + stallGraceMs
  account.state.polling = true
  account.state.staleAfterMs = deadlineMs
  account.state.progressed(now())
  try {
    const bot = await account.identify(signal)
    if (!bot) return
    // A webhook left behind (webhook mode earlier) makes getUpdates answer 409: remove it, keep its pending updates.
    await account.api.deleteWebhook({ drop_pending_updates: false }, grammySignal(AbortSignal.any([signal, AbortSignal.timeout(30_000)]))).catch((err: unknown) => {
      log.warn({ account: account.id, err: apiFailure(err, 'deleteWebhook').message }, 'deleteWebhook failed before polling')
    })
    let offset: number | undefined
    let failures = 0
    while (!signal.aborted) {
      const deadline = AbortSignal.timeout(deadlineMs)
      let updates: Update[]
      try {
        updates = await account.api.getUpdates({ ...(offset !== undefined ? { offset } : {}), timeout: timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] }, grammySignal(AbortSignal.any([signal, deadline])))
      } catch (err) {
        if (signal.aborted) break
        failures++
        const wait = failed(account, err, deadline.aborted, failures, deps)
        await sleep(wait, signal)
        continue
      }
      failures = 0
      account.state.progressed(now())
      for (const update of updates) {
        let event
        try {
          event = mapUpdate(update, { accountId: account.id, bot, topicAgent: deps.topicAgent })
        } catch (err) {
          // An update the mapping cannot read is skipped (never a poller stuck on it), and said so.
          log.error({ account: account.id, updateId: update.update_id, err: (err as Error).message }, 'telegram update could not be read; skipped')
        }
        if (event) {
          try {
            await deps.accept(event)
          } catch (err) {
            // Not durable: the offset stays before this update, so the next getUpdates brings it again.
            const code = (err as { code?: string }).code
            account.state.failed(`an update could not be accepted (${code ?? (err as Error).message}); getUpdates repeats it`, now())
            log.warn({ account: account.id, updateId: update.update_id, code }, 'telegram update not accepted; it will be polled again')
            await sleep(1000, signal)
            break
          }
        }
        offset = update.update_id + 1
      }
    }
  } finally {
    account.state.polling = false
    account.state.staleAfterMs = undefined
  }
}

/** Record a failed getUpdates in the account's status and the log; returns how long to wait. */
function failed(account: TelegramAccountRuntime, err: unknown, stalled: boolean, failures: number, deps: PollerDeps): number {
  const at = deps.now()
  if (stalled) {
    const error = new TG_ERR_POLL_STALLED(account.id, Math.round((account.settings.polling.timeoutSeconds * 1000 + account.settings.polling.stallGraceMs) / 1000))
    account.state.failed(error.message, at)
    deps.log.warn({ account: account.id, code: error.code }, error.message)
    return 0
  }
  const failure = apiFailure(err, 'getUpdates')
  const details = failure.details as ApiFailureDetails | undefined
  let wait = pollBackoffMs(failures)
  let message = failure.message
  let code: string = failure.code
  if (details?.errorCode === 409) {
    const error = new TG_ERR_POLL_CONFLICT(account.id, details.description ?? 'Conflict')
    message = error.message
    code = error.code
  } else if (details?.errorCode === 401) {
    message = new TG_ERR_TOKEN_REJECTED(account.id).message
    code = TG_ERR_TOKEN_REJECTED.code
    wait = 60_000
  } else if (details?.retryAfterMs !== undefined) {
    wait = details.retryAfterMs
  }
  account.state.failed(`${message}; retrying in ${(wait / 1000).toFixed(wait < 10_000 ? 1 : 0)}s (failure ${failures} in a row)`, at)
  deps.log.warn({ account: account.id, code, failures, retryInMs: wait }, message)
  return wait
}
