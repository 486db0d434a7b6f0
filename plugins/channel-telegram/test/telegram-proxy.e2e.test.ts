import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGateway, createSilentLogger } from '@openclaw/core'
import httpServer from '@openclaw/plugin-http-server'
import { afterEach, describe, expect, it } from 'vitest'
import channelTelegram from '../src/index.js'
import { startForwardProxy, type ForwardProxy } from './forward-proxy.js'
import { startTelegramGateway, type TelegramGateway } from './start-telegram-gateway.js'

// `proxy`: every Bot API call and file download of the account goes through it (here a forward proxy
// for the fake's plain http; real Telegram is https, through CONNECT or SOCKS). Its credentials are a
// secret: never in a log line, a status or a config error.

let gw: TelegramGateway | undefined
let proxy: ForwardProxy | undefined
afterEach(async () => {
  await gw?.close()
  await proxy?.close()
  gw = undefined
  proxy = undefined
})

const PASSWORD = 'pr0xy-s3cret-pass'

describe('telegram: proxy', () => {
  it('sends the Bot API calls and the file downloads through the proxy, with its credentials, and answers a DM', async () => {
    proxy = await startForwardProxy({ credentials: `claw:${PASSWORD}` })
    const proxyUrl = proxy.url.replace('http://', `http://claw:${PASSWORD}@`)
    gw = await startTelegramGateway({ telegram: { proxy: proxyUrl } })
    gw.model.reply({ text: 'through the proxy' }).reply({ text: 'got the photo' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    gw.tg.sendDm(ada, 'hi')
    const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(reply!.plainText).toBe('through the proxy')
    const paths = proxy.forwarded.map((line) => new URL(line.split(' ')[1]!).pathname)
    expect(paths).toContain(`/bot${gw.tg.token}/getMe`)
    expect(paths).toContain(`/bot${gw.tg.token}/getUpdates`)
    expect(paths).toContain(`/bot${gw.tg.token}/sendMessage`)
    expect(proxy.refused).toBe(0)
    // A photo: getFile and the download both go through the proxy too.
    gw.tg.sendPhoto(ada, { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]), caption: 'look' })
    await gw.tg.waitForMessages(ada.id, 2, { timeoutMs: 15_000 })
    expect(proxy.forwarded.some((line) => line.includes(`/file/bot${gw!.tg.token}/`))).toBe(true)
    expect(JSON.stringify(gw.modelCalls()[1]!.messages)).toContain('look')
    // Every call went through it: the fake saw as many calls as the proxy forwarded to it.
    expect(proxy.forwarded.filter((line) => line.includes(`/bot${gw!.tg.token}/`)).length).toBeGreaterThanOrEqual(gw.tg.calls.length)
    const shown = JSON.stringify([gw.logs, gw.gateway.channels.status(), gw.gateway.plugins])
    expect(shown).not.toContain(PASSWORD)
  })

  it('takes a proxy per account, over the root', async () => {
    proxy = await startForwardProxy()
    gw = await startTelegramGateway({ telegram: { proxy: 'http://127.0.0.1:9', accounts: { default: { proxy: proxy.url } } } })
    gw.model.reply({ text: 'account proxy' })
    const ada = gw.tg.user()
    gw.tg.sendDm(ada, 'hi')
    const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(reply!.plainText).toBe('account proxy')
    expect(proxy.forwarded.some((line) => line.endsWith('/sendMessage'))).toBe(true)
  })

  it('refuses a bad proxy URL as a config error naming the key, without showing the value', async () => {
    const attempt = createGateway({
      stateDir: mkdtempSync(join(tmpdir(), 'openclaw-telegram-proxy-')),
      store: ':memory:',
      logger: createSilentLogger(),
      env: {},
      plugins: [httpServer(), channelTelegram()],
      config: { channels: { telegram: { botToken: '123:abc', proxy: `ftp://claw:${PASSWORD}@proxy.example:21` } } },
    })
    const err = await attempt.then(() => undefined, (e: unknown) => e as Error & { code: string })
    expect(err).toMatchObject({ code: 'CORE_ERR_CONFIG_INVALID' })
    expect(err!.message).toContain('channels.telegram.proxy: expected a proxy URL: http://, https:// or socks5://')
    expect(err!.message).not.toContain(PASSWORD)
  })
})
