import type { Logger } from '@openclaw/plugin-sdk'
import type { Agent } from 'node:http'
import type { Api } from 'grammy'
import { AccountState } from './account-state.js'
import { TG_ERR_TOKEN_REJECTED } from './errors.js'
import type { BotIdentity } from './map-update.js'
import type { TelegramAccount } from './resolve-accounts.js'
import { createProxyAgent } from './proxy-agent.js'
import { apiFailure, createBotApi, grammySignal, type ApiFailureDetails } from './telegram-api.js'

/** Sleep `ms`, or less if `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

/**
 * A started account: its settings, its token (kept here, never in an event, a row or a log), its
 * Bot API client and the bot's identity once `getMe` answered.
 */
export class TelegramAccountRuntime {
  readonly state = new AccountState()
  readonly api: Api
  /** The `proxy`'s agent, shared by the Bot API client and file downloads; undefined: direct. */
  readonly agent: Agent | undefined
  #identity: BotIdentity | undefined
  #identifying: Promise<BotIdentity | undefined> | undefined

  constructor(
    readonly settings: TelegramAccount,
    readonly token: string,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {
    this.agent = settings.proxy !== undefined ? createProxyAgent(settings.proxy, settings.apiRoot) : undefined
    this.api = createBotApi(token, settings.apiRoot, settings.polling.timeoutSeconds * 1000 + settings.polling.stallGraceMs, this.agent)
  }

  get id(): string {
    return this.settings.id
  }

  /** The bot id: the token's part before `:` (public: it is the bot's user id). */
  get botId(): string {
    return this.token.split(':')[0] ?? this.id
  }

  get identity(): BotIdentity | undefined {
    return this.#identity
  }

  /** The file download URL of a `file_path` (carries the token: never logged, never stored). */
  fileUrl(filePath: string): string {
    return `${this.settings.apiRoot}/file/bot${this.token}/${filePath}`
  }

  /**
   * `getMe` until it answers (backing off 1 s → 30 s; 60 s after a 401, which is reported as
   * `TG_ERR_TOKEN_REJECTED`), or `undefined` once `signal` aborts. Concurrent callers share one try.
   */
  identify(signal: AbortSignal): Promise<BotIdentity | undefined> {
    if (this.#identity) return Promise.resolve(this.#identity)
    this.#identifying ??= this.#identify(signal).finally(() => (this.#identifying = undefined))
    return this.#identifying
  }

  async #identify(signal: AbortSignal): Promise<BotIdentity | undefined> {
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        const me = await this.api.getMe(grammySignal(AbortSignal.any([signal, AbortSignal.timeout(30_000)])))
        this.#identity = { id: me.id, username: me.username }
        this.log.info({ account: this.id, bot: me.username }, `telegram account '${this.id}' is @${me.username}`)
        return this.#identity
      } catch (err) {
        if (signal.aborted) break
        const failure = apiFailure(err, 'getMe')
        const rejected = (failure.details as ApiFailureDetails | undefined)?.errorCode === 401
        const wait = rejected ? 60_000 : Math.min(30_000, 1000 * 2 ** (attempt - 1))
        const message = rejected ? new TG_ERR_TOKEN_REJECTED(this.id).message : failure.message
        this.state.failed(`${message}; retrying in ${Math.round(wait / 1000)}s`, this.now())
        this.log.warn({ account: this.id, code: rejected ? TG_ERR_TOKEN_REJECTED.code : failure.code, attempt }, message)
        await sleep(wait, signal)
      }
    }
    return undefined
  }
}
