import { startFakeTelegram, type FakeTelegram } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../scripts/test-database.js'
import { startTelegramGateway, until, type TelegramGateway } from './start-telegram-gateway.js'

// Two replicas on one PostgreSQL database and one bot token: the poller is a cluster singleton, so
// Telegram sees one poller (the fake answers a second concurrent getUpdates with 409), and when the
// replica that polls stops, the other takes over.

const open: { gateways: TelegramGateway[]; tg?: FakeTelegram; db?: TestDatabase } = { gateways: [] }
afterEach(async () => {
  for (const g of open.gateways.reverse()) await g.close().catch(() => {})
  open.gateways = []
  await open.tg?.close()
  await open.db?.drop()
  open.tg = undefined
  open.db = undefined
})

describe('telegram: replicas', () => {
  it('polls each bot token from one replica only, and fails over when that replica stops', { timeout: 60_000 }, async () => {
    const db = (open.db = await createTestDatabase('telegram'))
    const tg = (open.tg = await startFakeTelegram())
    const first = await startTelegramGateway({ tg, databaseUrl: db.url })
    open.gateways.push(first)
    await until(() => tg.callsOf('getUpdates').length > 0, 10_000, 'the first replica polling')
    const second = await startTelegramGateway({ tg, databaseUrl: db.url })
    open.gateways.push(second)
    for (const g of [first, second]) g.model.replyWith(() => ({ text: 'one answer' }))
    const users = Array.from({ length: 5 }, () => tg.user())
    for (const u of users) tg.sendDm(u, 'hello')
    for (const u of users) await tg.waitForMessages(u.id, 1, { timeoutMs: 20_000 })
    await new Promise((r) => setTimeout(r, 2500))
    expect(tg.callsOf('getUpdates').filter((c) => c.status === 409)).toEqual([])
    for (const u of users) expect(tg.sentCount(u.id)).toBe(1)
    // The polling replica stops: the other one takes the poller over.
    await first.close()
    open.gateways.shift()
    const late = tg.user()
    tg.sendDm(late, 'still there?')
    await tg.waitForMessages(late.id, 1, { timeoutMs: 20_000 })
    expect(tg.callsOf('getUpdates').filter((c) => c.status === 409)).toEqual([])
    expect(second.status()).toMatchObject({ healthy: true })
  })
})
