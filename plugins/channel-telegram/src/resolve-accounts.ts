import { lstat, readFile } from 'node:fs/promises'
import { ChannelAccessSchema, type ChannelAccessConfig } from '@openclaw/plugin-sdk/channels'
import { TG_ERR_TOKEN_ENV, TG_ERR_TOKEN_FILE, TG_ERR_TOKEN_MISSING } from './errors.js'
import type { TelegramAccountConfig, TelegramConfig } from './telegram-config.js'

export const DEFAULT_API_ROOT = 'https://api.telegram.org'
export const DEFAULT_WEBHOOK_PATH = '/telegram-webhook'
/** The environment variable that gives the `default` account its token when the config gives none (OpenClaw's). */
export const TOKEN_ENV = 'TELEGRAM_BOT_TOKEN'
const TOKEN_SHAPE = /^\d+:[A-Za-z0-9_-]+$/
/** Telegram's own limit on a message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096

/** One account with the root's defaults applied: everything the channel needs but the token. */
export interface TelegramAccount {
  readonly id: string
  readonly botToken: string | undefined
  readonly tokenFile: string | undefined
  /** `botToken` came from `TELEGRAM_BOT_TOKEN` (the `default` account, when its config has no token). */
  readonly tokenFromEnv: boolean
  readonly apiRoot: string
  /** A proxy for Bot API calls and file downloads (may carry credentials: never logged). */
  readonly proxy: string | undefined
  readonly access: ChannelAccessConfig
  readonly textChunkLimit: number
  readonly streaming: 'off' | 'partial' | 'block' | 'progress'
  readonly linkPreview: boolean
  readonly replyToMode: 'off' | 'first' | 'all'
  readonly mediaMaxBytes: number
  /** `commands.native` (`auto` is on): set the bot's command menu at start. */
  readonly nativeCommands: boolean
  /** Webhook mode; absent: long polling. */
  readonly webhook: { readonly url: string; readonly secret: string; readonly path: string } | undefined
  readonly polling: { readonly timeoutSeconds: number; readonly stallGraceMs: number }
}

/** `telegram:123` and `tg:123` are `123`, as OpenClaw normalises them. */
function senderIds(list: readonly string[] | undefined): string[] | undefined {
  return list?.map((id) => id.replace(/^(telegram|tg):/i, ''))
}

function webhookPathOf(url: string): string {
  const path = new URL(url).pathname
  return path === '/' || path === '' ? DEFAULT_WEBHOOK_PATH : path
}

function resolveOne(id: string, own: TelegramAccountConfig, root: TelegramAccountConfig, envToken: string | undefined): TelegramAccount {
  const pick = <K extends keyof TelegramAccountConfig>(key: K): TelegramAccountConfig[K] => (own[key] !== undefined ? own[key] : root[key])
  const streaming = pick('streaming')
  const webhookUrl = pick('webhookUrl')
  const botToken = own.tokenFile !== undefined ? undefined : pick('botToken')
  const tokenFile = own.botToken !== undefined && own.tokenFile === undefined ? undefined : pick('tokenFile')
  // Config always wins; the environment only speaks for the `default` account.
  const fromEnv = id === 'default' && botToken === undefined && tokenFile === undefined && envToken !== undefined
  return {
    id,
    botToken: fromEnv ? envToken : botToken,
    tokenFile,
    tokenFromEnv: fromEnv,
    apiRoot: (pick('apiRoot') ?? DEFAULT_API_ROOT).replace(/\/+$/, ''),
    proxy: pick('proxy'),
    access: ChannelAccessSchema.parse({
      dmPolicy: pick('dmPolicy'),
      allowFrom: senderIds(pick('allowFrom')),
      groupPolicy: pick('groupPolicy'),
      groupAllowFrom: senderIds(pick('groupAllowFrom')),
      groups: pick('groups'),
    }),
    textChunkLimit: pick('textChunkLimit') ?? 4000,
    streaming: (typeof streaming === 'string' ? streaming : streaming?.mode) ?? 'partial',
    linkPreview: pick('linkPreview') ?? true,
    replyToMode: pick('replyToMode') ?? 'off',
    mediaMaxBytes: Math.floor((pick('mediaMaxMb') ?? 100) * 1024 * 1024),
    nativeCommands: (own.commands?.native ?? root.commands?.native ?? 'auto') !== false,
    webhook: webhookUrl !== undefined ? { url: webhookUrl, secret: pick('webhookSecret') ?? '', path: pick('webhookPath') ?? webhookPathOf(webhookUrl) } : undefined,
    polling: pick('polling') ?? { timeoutSeconds: 25, stallGraceMs: 10_000 },
  }
}

/**
 * The enabled accounts of `channels.telegram`: every `accounts.<id>` (the root's keys as defaults),
 * and the root itself as `default` when it has a token (or says `enabled: true`, or `envToken`, the
 * `TELEGRAM_BOT_TOKEN` the plugin was handed, is set) and no `accounts.default` exists. The `default`
 * account (the root or `accounts.default`) takes `envToken` when its config has no token; named
 * accounts never do. Nothing when the root says `enabled: false`.
 */
export function resolveAccounts(config: TelegramConfig, envToken?: string): TelegramAccount[] {
  if (config.enabled === false) return []
  const { accounts = {}, defaultAccount: _d, ...root } = config
  const token = envToken?.trim() || undefined
  const out: TelegramAccount[] = []
  const rootIsAccount = !('default' in accounts) && (root.botToken !== undefined || root.tokenFile !== undefined || root.enabled === true || token !== undefined)
  if (rootIsAccount) out.push(resolveOne('default', {}, root, token))
  for (const [id, own] of Object.entries(accounts)) {
    if ((own.enabled ?? true) === false) continue
    out.push(resolveOne(id, own, root, token))
  }
  return out
}

/** The account a send without `accountId` uses: `defaultAccount`, else `default`, else the first. */
export function defaultAccountId(config: TelegramConfig, accounts: readonly TelegramAccount[]): string | undefined {
  if (config.defaultAccount && accounts.some((a) => a.id === config.defaultAccount)) return config.defaultAccount
  return accounts.find((a) => a.id === 'default')?.id ?? accounts[0]?.id
}

/** The account's bot token: `tokenFile` (a regular file, no symlink) wins over `botToken`, which wins over `TELEGRAM_BOT_TOKEN`. */
export async function readBotToken(account: TelegramAccount): Promise<string> {
  if (account.tokenFile !== undefined) {
    let token: string
    try {
      const info = await lstat(account.tokenFile)
      if (info.isSymbolicLink()) throw new Error('it is a symlink')
      if (!info.isFile()) throw new Error('it is not a regular file')
      token = (await readFile(account.tokenFile, 'utf8')).trim()
    } catch (err) {
      throw new TG_ERR_TOKEN_FILE(account.id, (err as NodeJS.ErrnoException).code ?? (err as Error).message)
    }
    if (!TOKEN_SHAPE.test(token)) throw new TG_ERR_TOKEN_FILE(account.id, 'it does not hold a BotFather token (<bot id>:<secret>)')
    return token
  }
  if (account.botToken === undefined) throw new TG_ERR_TOKEN_MISSING(account.id)
  // The config's botToken was checked by the schema; the environment's is checked here.
  if (account.tokenFromEnv && !TOKEN_SHAPE.test(account.botToken)) throw new TG_ERR_TOKEN_ENV(account.id, TOKEN_ENV)
  return account.botToken
}
