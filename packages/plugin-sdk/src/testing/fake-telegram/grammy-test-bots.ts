// Test-only helper for the fake Telegram server's own tests: servers and grammY bots closed after each test.
import { Bot } from 'grammy'
import { afterEach } from 'vitest'
import type { FakeTelegram, FakeTelegramOptions } from './fake-telegram.js'
import { startFakeTelegram } from './start-fake-telegram.js'

/** `start()` a fake server and `botFor()` a grammY bot pointed at it; both are stopped after each test. */
export function useFakeTelegram(): { start: (options?: FakeTelegramOptions) => Promise<FakeTelegram>; botFor: (tg: FakeTelegram, token?: string) => Bot } {
  const servers: FakeTelegram[] = []
  const bots: Bot[] = []
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((bot) => (bot.isRunning() ? bot.stop().catch(() => undefined) : undefined)))
    await Promise.all(servers.splice(0).map((tg) => tg.close()))
  })
  return {
    start: async (options) => {
      const tg = await startFakeTelegram(options)
      servers.push(tg)
      return tg
    },
    botFor: (tg, token = tg.token) => {
      const bot = new Bot(token, { client: { apiRoot: tg.apiRoot } })
      bots.push(bot)
      return bot
    },
  }
}
