import { afterEach, describe, expect, it } from 'vitest'
import { freePort, startTelegramGateway, until, type TelegramGateway } from './start-telegram-gateway.js'

// Failures and transports: 429 storms, blocked users, 409 conflicts, stalled polls, webhook mode.

let gw: TelegramGateway | undefined
afterEach(async () => {
  await gw?.close()
  gw = undefined
})

describe('telegram: send failures', () => {
  it('rides out a 429 storm: every chat answered exactly once, after retry_after', async () => {
    gw = await startTelegramGateway()
    gw.model.replyWith(() => ({ text: 'pong' }))
    gw.tg.failNext('sendMessage', { status: 429, retryAfter: 1 }, { times: 6 })
    const users = [gw.tg.user(), gw.tg.user(), gw.tg.user()]
    for (const u of users) gw.tg.sendDm(u, 'ping')
    for (const u of users) await gw.tg.waitForMessages(u.id, 1, { timeoutMs: 20_000 })
    await new Promise((r) => setTimeout(r, 500))
    expect(gw.tg.callsOf('sendMessage').filter((c) => c.status === 429)).toHaveLength(6)
    for (const u of users) expect(gw.tg.sentCount(u.id)).toBe(1)
    expect(await gw.gateway.delivery.deadLetters({ channel: 'telegram' })).toEqual([])
  })

  it('sends a reply to a user who blocked the bot to the dead letters with a readable reason, and the account stays healthy', async () => {
    gw = await startTelegramGateway()
    gw.model.replyWith(() => ({ text: 'you will not see this' }))
    const quitter = gw.tg.user({ firstName: 'Quitter' })
    gw.tg.block(quitter)
    gw.tg.sendDm(quitter, 'bye')
    const [dead] = await until(async () => {
      const letters = await gw!.gateway.delivery.deadLetters({ channel: 'telegram' })
      return letters.length > 0 ? letters : undefined
    }, 20_000, 'a dead letter')
    expect(dead!.error).toContain('403 Forbidden: bot was blocked by the user')
    expect(gw.tg.callsOf('sendMessage')).toHaveLength(1) // permanent: never retried
    expect(gw.status()).toMatchObject({ healthy: true })
    // 400 chat not found: the same.
    const ghost = gw.tg.user()
    gw.tg.failNext('sendMessage', { status: 400, description: 'Bad Request: chat not found' })
    gw.tg.sendDm(ghost, 'hi')
    await until(async () => (await gw!.gateway.delivery.deadLetters({ channel: 'telegram' })).length === 2, 20_000, 'second dead letter')
    expect(gw.status()).toMatchObject({ healthy: true })
  })
})

describe('telegram: a send whose answer is lost (the message arrived, the connection broke)', () => {
  it('is resent by default (at least once): the chat sees it twice, the log and the status say so', async () => {
    gw = await startTelegramGateway({ telegram: { streaming: 'off' } })
    gw.model.replyWith(() => ({ text: 'maybe twice' }))
    gw.tg.dropConnections('sendMessage', { when: 'after' })
    const user = gw.tg.user()
    gw.tg.sendDm(user, 'hi')
    await gw.tg.waitForMessages(user.id, 2, { timeoutMs: 20_000 })
    expect(gw.tg.messagesTo(user.id).map((m) => m.plainText)).toEqual(['maybe twice', 'maybe twice'])
    // The network failure marked the account; the resend's success clears it.
    await until(() => gw!.status()?.healthy, 10_000, 'healthy again')
    expect(gw.status()).toMatchObject({ inDoubt: { count: 1 } })
    expect(gw.logs.some((line) => line.includes('it may arrive twice'))).toBe(true)
  })

  it("with delivery.inDoubt 'dead-letter' it is never sent twice (at most once): a dead letter says it may have arrived", async () => {
    gw = await startTelegramGateway({ telegram: { streaming: 'off' }, config: { delivery: { baseDelayMs: 100, inDoubt: 'dead-letter' } } })
    gw.model.replyWith(() => ({ text: 'at most once' }))
    gw.tg.dropConnections('sendMessage', { when: 'after' })
    const user = gw.tg.user()
    gw.tg.sendDm(user, 'hi')
    const [dead] = await until(async () => {
      const letters = await gw!.gateway.delivery.deadLetters({ channel: 'telegram' })
      return letters.length > 0 ? letters : undefined
    }, 20_000, 'a dead letter')
    expect(dead!.error).toMatch(/^in doubt: its send began at .* it may have reached \d+/)
    expect(gw.tg.messagesTo(user.id).map((m) => m.plainText)).toEqual(['at most once'])
    expect(gw.tg.callsOf('sendMessage')).toHaveLength(1)
  })
})

describe('telegram: polling health', () => {
  it('reports a token Telegram rejects (401 on getMe) in status, with no trace of the token', async () => {
    gw = await startTelegramGateway({ telegram: { botToken: '123456789:WRONG-token-value' } })
    const status = await until(() => (gw!.status()?.lastError ? gw!.status() : undefined), 10_000, 'an error in status')
    expect(status!.healthy).toBe(false)
    expect(status!.lastError!.message).toContain("Telegram rejected the bot token of account 'default' (401 Unauthorized)")
    expect(gw.logs.some((l) => l.includes('TG_ERR_TOKEN_REJECTED'))).toBe(true)
    expect(gw.logs.filter((l) => l.includes('WRONG-token-value'))).toEqual([])
    expect(gw.tg.callsOf('getUpdates')).toHaveLength(0)
  })

  it('shows a 409 conflict in status with its cause, then recovers by itself', async () => {
    gw = await startTelegramGateway()
    await until(() => gw!.tg.callsOf('getUpdates').length > 0, 10_000, 'first poll')
    gw.tg.failNext('getUpdates', { status: 409 }, { times: 2 })
    const conflicted = await until(() => {
      const s = gw!.status()
      return s?.lastError?.message.includes('409') ? s : undefined
    }, 10_000, '409 in status')
    expect(conflicted.healthy).toBe(false)
    expect(conflicted.lastError!.message).toContain('another poller or a webhook uses this bot token')
    expect(conflicted.lastError!.message).toMatch(/retrying in/)
    await until(() => gw!.status()?.healthy, 15_000, 'healthy again')
    const ada = gw.tg.user()
    gw.model.reply({ text: 'still here' })
    gw.tg.sendDm(ada, 'hello')
    await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
  })

  it('backs off after dropped getUpdates connections, shows it in status, and loses or repeats nothing', async () => {
    // One turn per update (no inbound batching): the subject is the transport, each message answered once.
    gw = await startTelegramGateway({ config: { messages: { inbound: { byChannel: { telegram: 0 } } } } })
    await until(() => gw!.tg.callsOf('getUpdates').length > 0, 10_000, 'first poll')
    gw.tg.dropConnections('getUpdates', { times: 2, when: 'after' })
    gw.model.replyWith(() => ({ text: 'once' }))
    const ada = gw.tg.user()
    gw.tg.sendDm(ada, 'first')
    gw.tg.sendDm(ada, 'second')
    await until(() => gw!.status()?.lastError?.message.includes('getUpdates failed: network'), 10_000, 'the network error in status')
    expect(gw.status()!.lastError!.message).toMatch(/retrying in \d/)
    await gw.tg.waitForMessages(ada.id, 2, { timeoutMs: 20_000 })
    await new Promise((r) => setTimeout(r, 1500))
    expect(gw.tg.sentCount(ada.id)).toBe(2)
    expect(gw.modelCalls()).toHaveLength(2)
    expect(gw.status()).toMatchObject({ healthy: true })
  })

  it('detects a stalled getUpdates (connection open, no answer) within timeout + grace, and recovers when the server answers again', async () => {
    gw = await startTelegramGateway()
    await until(() => gw!.status()?.lastReceiveAt, 10_000, 'a first completed poll')
    gw.tg.stallGetUpdates(true)
    const stalledAt = Date.now()
    const stalled = await until(() => (gw!.status()?.healthy === false ? gw!.status() : undefined), 10_000, 'unhealthy')
    // timeoutSeconds 1 + stallGraceMs 1000 in these tests: detected in about 2 s.
    expect(Date.now() - stalledAt).toBeLessThan(6000)
    expect(['stale', 'error']).toContain(stalled!.state)
    await until(() => gw!.status()?.lastError?.message.includes('stalled'), 10_000, 'the stall named in status')
    const degraded = await fetch(`${gw.url}/readyz?deep=1`)
    expect(degraded.status).toBe(503)
    gw.tg.stallGetUpdates(false)
    await until(() => gw!.status()?.healthy, 15_000, 'healthy again')
    expect((await fetch(`${gw.url}/readyz?deep=1`)).status).toBe(200)
    const ada = gw.tg.user()
    gw.model.reply({ text: 'back' })
    gw.tg.sendDm(ada, 'there?')
    await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
  })
})

describe('telegram: webhook mode', () => {
  it('calls setWebhook with the secret, takes updates on webhookPath, and refuses a wrong or missing secret with 401', async () => {
    const port = await freePort()
    gw = await startTelegramGateway({ port, telegram: { webhookUrl: `http://127.0.0.1:${port}/tg/hook`, webhookSecret: 'the_right_secret-42' } })
    const set = await gw.tg.waitForCall('setWebhook', { timeoutMs: 10_000 })
    expect(set.params).toMatchObject({ url: `http://127.0.0.1:${port}/tg/hook`, secret_token: 'the_right_secret-42' })
    expect(gw.tg.callsOf('getUpdates')).toHaveLength(0)
    // A user's message arrives by webhook and is answered.
    gw.model.reply({ text: 'via webhook' })
    const ada = gw.tg.user()
    gw.tg.sendDm(ada, 'hook me')
    const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(reply!.plainText).toBe('via webhook')
    expect(gw.tg.webhookDeliveries.every((d) => d.withSecret && d.status === 200)).toBe(true)
    // Forged updates: wrong secret, no secret.
    const update = { update_id: 999_001, message: { message_id: 1, date: 1, chat: { id: 42, type: 'private', first_name: 'Mallory' }, from: { id: 42, is_bot: false, first_name: 'Mallory' }, text: 'forged' } }
    for (const headers of [{ 'x-telegram-bot-api-secret-token': 'wrong' }, {}] as Record<string, string>[]) {
      const res = await fetch(`${gw.url}/tg/hook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) })
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: 'TG_ERR_WEBHOOK_SECRET' } })
    }
    const inbox = await gw.gateway.inbound.list({ channel: 'telegram' })
    expect(inbox.map((e) => e.eventId)).not.toContain('999001')
    expect(gw.modelCalls()).toHaveLength(1)
  })
})
