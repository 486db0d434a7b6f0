// @openclaw/plugin-channel-telegram: the Telegram channel on grammY. Long polling (one poller per bot
// token across replicas, through the cluster singleton) or webhook mode; DMs, groups and forum
// topics; media through getFile; inline keyboards; streamed replies by draft edits. Explicit names only.
import { definePlugin, isCodedError, type PluginDefinition, Tokens } from '@openclaw/plugin-sdk'
import { commandMenu, setCommandMenu } from './command-menu.js'
import type { TopicAgent } from './map-update.js'
import { defaultAccountId, readBotToken, resolveAccounts, TOKEN_ENV, type TelegramAccount } from './resolve-accounts.js'
import { callApi, grammySignal } from './telegram-api.js'
import { sleep, TelegramAccountRuntime } from './telegram-account.js'
import { TG_ERR_TOKEN_SHARED, TG_ERR_WEBHOOK_PATH_TAKEN } from './errors.js'
import { createTelegramChannel } from './telegram-channel.js'
import { TelegramConfigSchema, unsupportedKeys, type TelegramConfig } from './telegram-config.js'
import { ALLOWED_UPDATES } from './map-update.js'
import { runPoller } from './telegram-poller.js'
import { createWebhookGuard, createWebhookRoute, WEBHOOK_GUARD } from './webhook-route.js'

const PLUGIN_NAME = 'channel:telegram'

/** `groups.<chat>.topics.<topic>.agentId` (else `topics."*"`), for an account. */
function topicAgentOf(account: TelegramAccount): TopicAgent {
  return (chatId, topicId) => {
    const topics = (account.access.groups?.[chatId] ?? account.access.groups?.['*'])?.topics
    return (topics?.[topicId] ?? topics?.['*'])?.agentId
  }
}

/** A factory: each call makes a fresh plugin, so gateways in one process share nothing. */
export default function channelTelegram(): PluginDefinition<TelegramConfig> {
  // Per gateway: the accounts resolved at register, and those started (with their tokens).
  let accounts: TelegramAccount[] = []
  const running = new Map<string, TelegramAccountRuntime>()
  /** Accounts that could not start (no token, an unreadable tokenFile): their error, for status. */
  const blocked = new Map<string, { message: string; at: number }>()
  const stopping = new AbortController()
  const background = new Set<Promise<unknown>>()
  const track = (work: Promise<unknown>) => {
    background.add(work)
    void work.finally(() => background.delete(work))
  }

  return definePlugin<TelegramConfig>({
    id: PLUGIN_NAME,
    version: '1.0.0',
    name: 'Telegram channel',
    description: 'Telegram bots on grammY: long polling or webhook, DMs, groups, forum topics, media, buttons, streamed replies',
    kind: 'channel',
    apiVersion: '^2.0.0',
    configKey: 'channels.telegram',
    config: TelegramConfigSchema,
    // OpenClaw's fallback for the default account's token; the core hands us this variable only.
    env: [TOKEN_ENV],
    dependsOn: ['core:http'],
    register(api) {
      accounts = resolveAccounts(api.config, api.env[TOKEN_ENV])
      if (accounts.length === 0) return
      const fallback = defaultAccountId(api.config, accounts)
      const runtime = (id: string | undefined) => running.get(id ?? fallback ?? 'default')
      const clock = api.services.resolve(Tokens.Clock)
      api.channels.register(createTelegramChannel({ accounts, runtime, blocked: (id) => blocked.get(id), ...(api.config.rateLimit ? { rateLimit: api.config.rateLimit } : {}) }))
      const webhooks = accounts.filter((a) => a.webhook)
      if (webhooks.length > 0) {
        api.http.guard(WEBHOOK_GUARD, createWebhookGuard(() => accounts))
        for (const account of webhooks) {
          api.http.route(createWebhookRoute({ account, runtime: () => running.get(account.id), gateway: api.gateway, topicAgent: topicAgentOf(account), log: api.log, now: () => clock.now() }))
        }
      }
    },
    async start(api) {
      if (accounts.length === 0) {
        api.log.info(`channels.telegram has no account with a bot token (nor ${TOKEN_ENV}): Telegram is off`)
        return
      }
      const clock = api.services.resolve(Tokens.Clock)
      const now = () => clock.now()
      const ignored = unsupportedKeys(api.config)
      if (ignored.length > 0) api.log.warn({ keys: ignored }, `channels.telegram.${ignored.join(', channels.telegram.')} not supported here and ignored (docs/channels/telegram.md#differences-from-openclaw)`)
      // Tokens first: an account without one (or with an unreadable tokenFile) stays blocked, with its
      // error in status, and the others run; when none can run, the plugin fails with the first error.
      const tokens = await Promise.all(accounts.map(async (a): Promise<string | Error> => {
        try {
          return await readBotToken(a)
        } catch (err) {
          if (!isCodedError(err)) throw err
          blocked.set(a.id, { message: err.message, at: now() })
          api.log.error({ account: a.id, code: err.code }, err.message)
          return err
        }
      }))
      // One account per bot token, one per webhook path: a later duplicate is blocked the same way.
      const byToken = new Map<string, string>()
      const byPath = new Map<string, string>()
      for (const [i, account] of accounts.entries()) {
        const token = tokens[i]
        if (typeof token !== 'string') continue
        const clash = byToken.get(token.split(':')[0]!) !== undefined
          ? new TG_ERR_TOKEN_SHARED(account.id, byToken.get(token.split(':')[0]!)!)
          : account.webhook && byPath.has(account.webhook.path) ? new TG_ERR_WEBHOOK_PATH_TAKEN(account.id, account.webhook.path) : undefined
        if (clash) {
          tokens[i] = clash
          blocked.set(account.id, { message: clash.message, at: now() })
          api.log.error({ account: account.id, code: clash.code }, clash.message)
          continue
        }
        byToken.set(token.split(':')[0]!, account.id)
        if (account.webhook) byPath.set(account.webhook.path, account.id)
      }
      const firstError = tokens.find((t): t is Error => t instanceof Error)
      if (firstError && tokens.every((t) => typeof t !== 'string')) throw firstError
      const menu = commandMenu(api.gateway.config.session.resetTriggers)
      for (const [i, account] of accounts.entries()) {
        const token = tokens[i]
        if (typeof token !== 'string') continue
        const rt = new TelegramAccountRuntime(account, token, api.log, now)
        running.set(account.id, rt)
        if (account.tokenFromEnv) api.log.info({ account: account.id }, `telegram account '${account.id}': bot token from ${TOKEN_ENV} (the config sets none)`)
        // The command menu (commands.native): in the background, a failure only warns.
        if (account.nativeCommands) track(setCommandMenu(rt, menu, stopping.signal, api.log))
        if (account.webhook) {
          const webhook = account.webhook
          // Identify the bot, then register the webhook; both retried in the background until they work.
          track((async () => {
            if (!(await rt.identify(stopping.signal))) return
            for (let attempt = 1; !stopping.signal.aborted; attempt++) {
              try {
                await callApi('setWebhook', () => rt.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false }, grammySignal(AbortSignal.any([stopping.signal, AbortSignal.timeout(30_000)]))))
                api.log.info({ account: account.id, path: webhook.path }, `telegram account '${account.id}': webhook set, updates arrive at POST ${webhook.path}`)
                return
              } catch (err) {
                if (stopping.signal.aborted) return
                const wait = Math.min(60_000, 1000 * 2 ** (attempt - 1))
                rt.state.failed(`${(err as Error).message}; retrying in ${Math.round(wait / 1000)}s`, now())
                api.log.warn({ account: account.id, code: (err as { code?: string }).code, attempt }, (err as Error).message)
                await sleep(wait, stopping.signal)
              }
            }
          })())
        } else {
          // One poller per bot token across replicas: the singleton is named by the bot id.
          api.cluster.singleton(`poll:${rt.botId}`, async (leading) => {
            const signal = AbortSignal.any([leading, stopping.signal])
            const deps = { accept: (event: Parameters<typeof api.gateway.inbound.accept>[0]) => api.gateway.inbound.accept(event), topicAgent: topicAgentOf(account), log: api.log, now }
            // Supervised: a poller that failed unexpectedly is in status and restarts 5 s later.
            const done = (async () => {
              while (!signal.aborted) {
                try {
                  await runPoller(rt, signal, deps)
                } catch (err) {
                  rt.state.failed(`the poller failed: ${(err as Error).message}; restarting in 5s`, now())
                  api.log.error({ account: account.id, code: (err as { code?: string }).code }, `telegram poller failed: ${(err as Error).message}`)
                  await sleep(5000, signal)
                }
              }
            })()
            return async () => {
              await done
            }
          })
          api.log.info({ account: account.id }, `telegram account '${account.id}': long polling (one poller per bot token across replicas)`)
        }
      }
    },
    async stop() {
      stopping.abort()
      await Promise.allSettled([...background])
    },
  })
}

export { PLUGIN_NAME }
export { TelegramConfigSchema } from './telegram-config.js'
export { CHANNEL_ID, ALLOWED_UPDATES, mapUpdate, mentionsBot, chatOf, attachmentsOf } from './map-update.js'
export { resolveAccounts, readBotToken, DEFAULT_API_ROOT, DEFAULT_WEBHOOK_PATH, TOKEN_ENV } from './resolve-accounts.js'
export { WEBHOOK_GUARD, SECRET_HEADER } from './webhook-route.js'
export { pollBackoffMs } from './telegram-poller.js'
export {
  TG_ERR_TOKEN_MISSING,
  TG_ERR_TOKEN_FILE,
  TG_ERR_TOKEN_ENV,
  TG_ERR_TOKEN_REJECTED,
  TG_ERR_API,
  TG_ERR_POLL_CONFLICT,
  TG_ERR_POLL_STALLED,
  TG_ERR_WEBHOOK_SECRET,
  TG_ERR_WEBHOOK_BODY,
  TG_ERR_WEBHOOK_UNAVAILABLE,
  TG_ERR_MEDIA_TOO_LARGE,
  TG_ERR_MEDIA_FETCH,
  TG_ERR_ACCOUNT_UNKNOWN,
} from './errors.js'
export type { TelegramConfig, TelegramConfigInput, TelegramAccountConfig } from './telegram-config.js'
export type { TelegramAccount } from './resolve-accounts.js'
export type { BotIdentity, TopicAgent } from './map-update.js'
