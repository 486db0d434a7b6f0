import { afterEach, describe, expect, it } from 'vitest'
import { startTelegramGateway, until, type TelegramGateway } from './start-telegram-gateway.js'

// TELEGRAM_BOT_TOKEN: the default account's token when the config sets none (OpenClaw's fallback).
// The plugin declares the variable (`env: ['TELEGRAM_BOT_TOKEN']`) and the core hands it over from
// the gateway's environment; config always wins, and named accounts never take it.

let gw: TelegramGateway | undefined
afterEach(async () => {
  await gw?.close()
  gw = undefined
})

/** The secret half of a token: what must never show in a log line or a status. */
const secretOf = (token: string) => token.split(':')[1]!

describe('telegram: TELEGRAM_BOT_TOKEN', () => {
  it('answers a DM with the token from the environment and no botToken in the config, never showing it', async () => {
    const { startFakeTelegram } = await import('@openclaw/plugin-sdk/testing')
    const tg = await startFakeTelegram()
    try {
      gw = await startTelegramGateway({ tg, env: { TELEGRAM_BOT_TOKEN: tg.token }, telegram: { botToken: undefined } })
      gw.model.reply({ text: 'hello from env' })
      const ada = gw.tg.user({ firstName: 'Ada' })
      gw.tg.sendDm(ada, 'hi')
      const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
      expect(reply!.plainText).toBe('hello from env')
      expect(gw.logs.some((l) => l.includes('bot token from TELEGRAM_BOT_TOKEN'))).toBe(true)
      const shown = JSON.stringify([gw.logs, gw.gateway.channels.status(), gw.gateway.plugins, await gw.gateway.inbound.list()])
      expect(shown).not.toContain(secretOf(tg.token))
    } finally {
      await gw?.close()
      gw = undefined
      await tg.close()
    }
  })

  it('lets the config token win over the environment', async () => {
    gw = await startTelegramGateway({ env: { TELEGRAM_BOT_TOKEN: '999999:WRONG-token-from-env' } })
    gw.model.reply({ text: 'config wins' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    gw.tg.sendDm(ada, 'hi')
    const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(reply!.plainText).toBe('config wins')
    // Every call used the config's token: the fake answers a wrong one with 401.
    expect(gw.tg.calls.filter((c) => c.status === 401)).toEqual([])
    expect(gw.status()).toMatchObject({ healthy: true })
  })

  it('gives the environment token to the default account only: a named account without a token stays blocked', async () => {
    const { startFakeTelegram } = await import('@openclaw/plugin-sdk/testing')
    const tg = await startFakeTelegram()
    try {
      gw = await startTelegramGateway({ tg, env: { TELEGRAM_BOT_TOKEN: tg.token }, telegram: { botToken: undefined, accounts: { work: {} } } })
      expect(gw.status('work')).toMatchObject({ healthy: false, lastError: { message: expect.stringContaining("Telegram account 'work' has no bot token") } })
      await until(() => gw!.status('default')?.healthy && gw!.status('default')?.lastReceiveAt, 10_000, 'default polling')
      gw.model.reply({ text: 'default answers' })
      const ada = gw.tg.user({ firstName: 'Ada' })
      gw.tg.sendDm(ada, 'hi')
      const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
      expect(reply!.plainText).toBe('default answers')
    } finally {
      await gw?.close()
      gw = undefined
      await tg.close()
    }
  })

  it('leaves Telegram off with neither a token nor the variable', async () => {
    gw = await startTelegramGateway({ telegram: { botToken: undefined } })
    expect(gw.gateway.registry.channels.has('telegram')).toBe(false)
    expect(gw.logs.some((l) => l.includes('has no account with a bot token'))).toBe(true)
  })
})
