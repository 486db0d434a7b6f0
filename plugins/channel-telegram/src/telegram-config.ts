import { ChannelAccessShape } from '@openclaw/plugin-sdk/channels'
import { z } from 'zod'
import { isProxyUrl } from './proxy-agent.js'

/** A sender in an allowlist: a numeric user id, as OpenClaw writes it (`telegram:123` and `tg:123` too). */
const SENDER_ID = /^((telegram|tg):)?-?\d+$/i

/** Telegram's `secret_token`: 1–256 characters of A–Z, a–z, 0–9, `_` and `-`. */
const WebhookSecret = z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1-256 characters of A-Z, a-z, 0-9, _ or -')
const StreamingMode = z.enum(['off', 'partial', 'block', 'progress'])

/**
 * The keys an account may set, every one optional: an account inherits what it leaves out from the
 * channel root (`channels.telegram.*`), as in OpenClaw (`groups` is replaced, not merged).
 */
const AccountKeys = {
  enabled: z.boolean().optional(),
  /** The BotFather token (`123456:ABC…`). `tokenFile` wins over it. */
  botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected a BotFather token: <bot id>:<secret>').optional(),
  /** A file holding the token (a regular file: symlinks are refused). */
  tokenFile: z.string().min(1).optional(),
  /** The Bot API root, without `/bot<token>` (a self-hosted Bot API server; tests). */
  apiRoot: z.url({ protocol: /^https?$/ }).optional(),
  /** Send Bot API calls and file downloads through this proxy: `http://`, `https://` or `socks5://` (`user:password@host:port`). */
  proxy: z.string().refine(isProxyUrl, 'expected a proxy URL: http://, https:// or socks5:// with a host and port (user:password@ allowed), no path').optional(),
  dmPolicy: ChannelAccessShape.dmPolicy.unwrap().optional(),
  allowFrom: ChannelAccessShape.allowFrom.unwrap().optional(),
  groupPolicy: ChannelAccessShape.groupPolicy.unwrap().optional(),
  groupAllowFrom: ChannelAccessShape.groupAllowFrom,
  groups: ChannelAccessShape.groups,
  /** Longest message (Telegram's limit is 4096 characters). */
  textChunkLimit: z.number().int().min(64).max(4096).optional(),
  /** `off`, `partial` (a draft edited as the text grows; default), `block` (edited by whole paragraphs) or `progress` (a status draft, deleted at the end; the answer as a new message). */
  streaming: z.union([StreamingMode, z.looseObject({ mode: StreamingMode })]).optional(),
  /** Show link previews in replies (default true). */
  linkPreview: z.boolean().optional(),
  /** Quote the message a reply answers: `off` (default), `first` (the reply's first message), `all`. */
  replyToMode: z.enum(['off', 'first', 'all']).optional(),
  /** Largest inbound or outbound file, in MB (default 100; the gateway's inbound.maxMediaBytes caps inbound too). */
  mediaMaxMb: z.number().positive().max(2000).optional(),
  /** Webhook mode: the public HTTPS URL Telegram posts to (`setWebhook` at start). Unset: long polling. */
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Webhook mode: the `secret_token` Telegram sends in `X-Telegram-Bot-Api-Secret-Token`. Required with webhookUrl. */
  webhookSecret: WebhookSecret.optional(),
  /** Webhook mode: the route on the gateway port (default: webhookUrl's path, else `/telegram-webhook`). */
  webhookPath: z.string().regex(/^\/[A-Za-z0-9/_.~-]*$/, 'expected a path starting with /').optional(),
  /**
   * The bot's command menu: `native` `true`, `false` or `auto` (default, on for Telegram): at start the
   * account sets its menu (`setMyCommands`) to the gateway's chat commands (`/new`, `/reset`). Other
   * keys of OpenClaw's (`nativeSkills`) are kept and named in the start-up warning.
   */
  commands: z.looseObject({ native: z.union([z.boolean(), z.literal('auto')]).optional() }).optional(),
  /** Ours: the long-poll `timeout` in seconds (default 25) and how much longer a getUpdates may take before it counts as stalled. */
  polling: z.strictObject({ timeoutSeconds: z.number().int().min(0).max(50).default(25), stallGraceMs: z.number().int().min(200).max(120_000).default(10_000) }).optional(),
} as const

// Loose: OpenClaw's other keys (customCommands, historyLimit, …) are kept so that start-up can name
// them in a warning (`unsupportedKeys`) instead of dropping them silently.
const AccountSchema = z.looseObject(AccountKeys)

/** `channels.telegram`: the root is the `default` account and the defaults of named `accounts`. */
export const TelegramConfigSchema = z
  .looseObject({
    ...AccountKeys,
    accounts: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an account id of letters, digits, "-" or "_"'), AccountSchema).optional(),
    /**
     * Ours: the delivery worker's token buckets for this channel, per replica (Telegram allows about 30
     * messages a second per bot and one a second per chat). Default 25/s (bursts of 30), 1/s per chat (bursts of 3).
     */
    rateLimit: z
      .strictObject({
        perSecond: z.number().positive().max(10_000),
        burst: z.number().int().positive().optional(),
        perChat: z.strictObject({ perSecond: z.number().positive().max(10_000), burst: z.number().int().positive().optional() }).optional(),
      })
      .optional(),
    /** The account used when a send names none (default: `default`, else the first account). */
    defaultAccount: z.string().min(1).optional(),
  })
  .superRefine((config, ctx) => {
    const check = (account: z.output<typeof AccountSchema>, path: (string | number)[], inherited?: z.output<typeof AccountSchema>) => {
      const url = account.webhookUrl ?? inherited?.webhookUrl
      if (url !== undefined && (account.webhookSecret ?? inherited?.webhookSecret) === undefined) {
        ctx.addIssue({ code: 'custom', path: [...path, 'webhookSecret'], message: 'webhookUrl needs webhookSecret (Telegram sends it back in X-Telegram-Bot-Api-Secret-Token)' })
      }
      const dmPolicy = account.dmPolicy ?? inherited?.dmPolicy
      const allowFrom = account.allowFrom ?? inherited?.allowFrom ?? []
      if (dmPolicy === 'allowlist' && allowFrom.length === 0) {
        ctx.addIssue({ code: 'custom', path: [...path, 'allowFrom'], message: 'dmPolicy "allowlist" with an empty allowFrom blocks every direct message' })
      }
      // A sender is a numeric user id: an `@username` entry would match nobody, silently.
      const lists: [(string | number)[], readonly string[] | undefined][] = [
        [[...path, 'allowFrom'], account.allowFrom],
        [[...path, 'groupAllowFrom'], account.groupAllowFrom],
        ...Object.entries(account.groups ?? {}).flatMap(([chat, group]): [(string | number)[], readonly string[] | undefined][] => [
          [[...path, 'groups', chat, 'allowFrom'], group.allowFrom],
          ...Object.entries(group.topics ?? {}).map(([topic, t]): [(string | number)[], readonly string[] | undefined] => [[...path, 'groups', chat, 'topics', topic, 'allowFrom'], t.allowFrom]),
        ]),
      ]
      for (const [at, list] of lists) {
        for (const [i, entry] of (list ?? []).entries()) {
          if (entry === '*' || SENDER_ID.test(entry)) continue
          ctx.addIssue({
            code: 'custom',
            path: [...at, i],
            message: `'${entry}' is not a Telegram user id: allowlists take numeric ids (a username can change hands). The id shows in the pairing request when that user writes to the bot, and in \`openclaw pairing list\``,
          })
        }
      }
    }
    check(config, [])
    for (const [id, account] of Object.entries(config.accounts ?? {})) check(account, ['accounts', id], config)
    if (config.defaultAccount !== undefined && config.accounts && !(config.defaultAccount in config.accounts) && config.defaultAccount !== 'default') {
      ctx.addIssue({ code: 'custom', path: ['defaultAccount'], message: `no account '${config.defaultAccount}' in accounts` })
    }
  })

export type TelegramConfig = z.output<typeof TelegramConfigSchema>
export type TelegramConfigInput = z.input<typeof TelegramConfigSchema>
export type TelegramAccountConfig = z.output<typeof AccountSchema>

const KNOWN_KEYS = new Set([...Object.keys(AccountKeys), 'accounts', 'defaultAccount', 'rateLimit'])

/** Keys of `channels.telegram` (and its accounts) this channel does not implement, as dotted paths. */
export function unsupportedKeys(config: TelegramConfig): string[] {
  const own = (o: TelegramAccountConfig, prefix: string) => [
    ...Object.keys(o).filter((k) => !KNOWN_KEYS.has(k) || (prefix !== '' && (k === 'accounts' || k === 'defaultAccount' || k === 'rateLimit'))).map((k) => `${prefix}${k}`),
    // OpenClaw's streaming options beyond the mode (`preview`, `progress`, `chunkMode`, …).
    ...(typeof o.streaming === 'object' ? Object.keys(o.streaming).filter((k) => k !== 'mode').map((k) => `${prefix}streaming.${k}`) : []),
    ...(o.commands ? Object.keys(o.commands).filter((k) => k !== 'native').map((k) => `${prefix}commands.${k}`) : []),
  ]
  return [...own(config, ''), ...Object.entries(config.accounts ?? {}).flatMap(([id, account]) => own(account, `accounts.${id}.`))]
}
