import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultAccountId, readBotToken, resolveAccounts } from './resolve-accounts.js'
import { TelegramConfigSchema, unsupportedKeys } from './telegram-config.js'

const TOKEN = '123:abc_DEF-ghi'
const resolve = (input: object) => resolveAccounts(TelegramConfigSchema.parse(input))

describe('resolveAccounts', () => {
  it('makes the root the default account, with OpenClaw defaults, and strips tg:/telegram: prefixes', () => {
    const [account] = resolve({ botToken: TOKEN, allowFrom: ['tg:42', 'telegram:43', '44'] })
    expect(account).toMatchObject({
      id: 'default', botToken: TOKEN, apiRoot: 'https://api.telegram.org', textChunkLimit: 4000, streaming: 'partial', linkPreview: true, replyToMode: 'off',
      mediaMaxBytes: 100 * 1024 * 1024, webhook: undefined, polling: { timeoutSeconds: 25, stallGraceMs: 10_000 },
      access: { dmPolicy: 'pairing', groupPolicy: 'allowlist', allowFrom: ['42', '43', '44'] },
    })
  })

  it("refuses an allowlist entry that is not a user id ('@alice' would match nobody), naming where it is", () => {
    const result = TelegramConfigSchema.safeParse({
      botToken: TOKEN, allowFrom: ['42', '@alice'], groups: { '-100': { allowFrom: ['@carol'], topics: { '7': { allowFrom: ['dave'] } } } },
      accounts: { work: { botToken: TOKEN, groupAllowFrom: ['bob'] } },
    })
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message.split(':')[0]])).toEqual([
      ['allowFrom.1', "'@alice' is not a Telegram user id"],
      ['groups.-100.allowFrom.0', "'@carol' is not a Telegram user id"],
      ['groups.-100.topics.7.allowFrom.0', "'dave' is not a Telegram user id"],
      ['accounts.work.groupAllowFrom.0', "'bob' is not a Telegram user id"],
    ])
    expect(TelegramConfigSchema.safeParse({ botToken: TOKEN, allowFrom: ['*', 'tg:42', 'TELEGRAM:43', '44'], groupAllowFrom: ['-1001'] }).success).toBe(true)
  })

  it('lets named accounts inherit the root and override it; groups are replaced, not merged; disabled ones are left out', () => {
    const accounts = resolve({
      dmPolicy: 'open', allowFrom: ['*'], groups: { '-1': { requireMention: false } }, streaming: { mode: 'block' },
      accounts: { work: { botToken: TOKEN, groups: {} }, off: { botToken: TOKEN, enabled: false }, alerts: { botToken: TOKEN, dmPolicy: 'disabled', webhookUrl: 'https://x.example/tg', webhookSecret: 's3' } },
      defaultAccount: 'work',
    })
    expect(accounts.map((a) => a.id)).toEqual(['work', 'alerts'])
    expect(accounts[0]).toMatchObject({ streaming: 'block', access: { dmPolicy: 'open', allowFrom: ['*'], groups: {} } })
    expect(accounts[1]).toMatchObject({ access: { dmPolicy: 'disabled' }, webhook: { url: 'https://x.example/tg', secret: 's3', path: '/tg' } })
    expect(defaultAccountId(TelegramConfigSchema.parse({ accounts: { work: { botToken: TOKEN } }, defaultAccount: 'work' }), accounts)).toBe('work')
    expect(resolve({})).toEqual([])
    expect(resolve({ botToken: TOKEN, enabled: false })).toEqual([])
  })

  it('refuses a webhookUrl without webhookSecret and an allowlist without anyone on it, naming the path', () => {
    const parsed = TelegramConfigSchema.safeParse({ botToken: TOKEN, webhookUrl: 'https://x.example/hook', accounts: { b: { botToken: TOKEN, dmPolicy: 'allowlist' } } })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['webhookSecret', 'accounts.b.webhookSecret', 'accounts.b.allowFrom'])
    expect(TelegramConfigSchema.safeParse({ botToken: 'not a token' }).success).toBe(false)
  })
})

describe('resolveAccounts with TELEGRAM_BOT_TOKEN', () => {
  const ENV = '777:env_TOKEN'
  const withEnv = (input: object) => resolveAccounts(TelegramConfigSchema.parse(input), ENV)

  it('makes a root without a token the default account with the env token', () => {
    expect(withEnv({ dmPolicy: 'open', allowFrom: ['*'] })).toMatchObject([{ id: 'default', botToken: ENV, tokenFromEnv: true, tokenFile: undefined }])
    expect(resolveAccounts(TelegramConfigSchema.parse({}), '  ')).toEqual([])
    expect(resolveAccounts(TelegramConfigSchema.parse({}))).toEqual([])
  })

  it('lets the config win: botToken and tokenFile beat the env', () => {
    expect(withEnv({ botToken: TOKEN })).toMatchObject([{ id: 'default', botToken: TOKEN, tokenFromEnv: false }])
    expect(withEnv({ tokenFile: '/run/tg' })).toMatchObject([{ id: 'default', botToken: undefined, tokenFile: '/run/tg', tokenFromEnv: false }])
    expect(withEnv({ enabled: false })).toEqual([])
  })

  it('gives the env token to the default account only, never to named accounts', () => {
    const accounts = withEnv({ accounts: { work: {} } })
    expect(accounts.map((a) => [a.id, a.botToken, a.tokenFromEnv])).toEqual([['default', ENV, true], ['work', undefined, false]])
    expect(withEnv({ accounts: { default: { dmPolicy: 'open', allowFrom: ['*'] } } })).toMatchObject([{ id: 'default', botToken: ENV, tokenFromEnv: true }])
  })

  it('refuses an env value that is not a BotFather token, without showing it', async () => {
    const [account] = resolveAccounts(TelegramConfigSchema.parse({}), 'not-a-token-secret')
    const err = await readBotToken(account!).catch((e: unknown) => e as Error & { code: string })
    expect(err).toMatchObject({ code: 'TG_ERR_TOKEN_ENV', message: "Telegram account 'default': TELEGRAM_BOT_TOKEN does not hold a BotFather token (<bot id>:<secret>)" })
    expect(await readBotToken(withEnv({})[0]!)).toBe(ENV)
  })
})

describe('unsupportedKeys', () => {
  it("names OpenClaw's keys this channel does not implement, at the root and in accounts", () => {
    const config = TelegramConfigSchema.parse({ botToken: TOKEN, historyLimit: 50, customCommands: [], accounts: { b: { botToken: TOKEN, joinIntro: false } } })
    expect(unsupportedKeys(config)).toEqual(['historyLimit', 'customCommands', 'accounts.b.joinIntro'])
    expect(unsupportedKeys(TelegramConfigSchema.parse({ botToken: TOKEN, streaming: 'off' }))).toEqual([])
    const progress = TelegramConfigSchema.parse({ botToken: TOKEN, streaming: { mode: 'progress', progress: { toolProgress: true } }, accounts: { b: { streaming: 'progress' } } })
    expect(unsupportedKeys(progress)).toEqual(['streaming.progress'])
    const proxied = TelegramConfigSchema.parse({ botToken: TOKEN, proxy: 'socks5://u:p@127.0.0.1:1080', accounts: { b: { botToken: '9:b', proxy: 'http://127.0.0.1:3128' }, c: { botToken: '8:c' } } })
    expect(unsupportedKeys(proxied)).toEqual([])
    expect(resolveAccounts(proxied).map((a) => a.proxy)).toEqual(['socks5://u:p@127.0.0.1:1080', 'http://127.0.0.1:3128', 'socks5://u:p@127.0.0.1:1080'])
    expect(resolveAccounts(progress).map((a) => a.streaming)).toEqual(['progress', 'progress'])
  })
})

describe('readBotToken', () => {
  it('reads tokenFile over botToken, and refuses a symlink or a file without a token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-token-'))
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`)
    symlinkSync(join(dir, 'token'), join(dir, 'link'))
    writeFileSync(join(dir, 'junk'), 'hello')
    const [account] = resolve({ botToken: '9:other', tokenFile: join(dir, 'token') })
    expect(await readBotToken(account!)).toBe(TOKEN)
    await expect(readBotToken(resolve({ tokenFile: join(dir, 'link') })[0]!)).rejects.toMatchObject({ code: 'TG_ERR_TOKEN_FILE', message: expect.stringContaining('symlink') })
    await expect(readBotToken(resolve({ tokenFile: join(dir, 'junk') })[0]!)).rejects.toMatchObject({ code: 'TG_ERR_TOKEN_FILE' })
    await expect(readBotToken(resolve({ enabled: true })[0]!)).rejects.toMatchObject({ code: 'TG_ERR_TOKEN_MISSING' })
  })
})
