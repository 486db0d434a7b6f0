import { GrammyError } from 'grammy'
import { describe, expect, it } from 'vitest'
import { useFakeTelegram } from './grammy-test-bots.js'

const { start, botFor } = useFakeTelegram()

describe('fake Telegram: getMe, routing and polling (grammY client)', () => {
  it('answers getMe with the bot user, 401 for a wrong token and 404 for an unknown method or path', async () => {
    const tg = await start({ botUsername: 'claw_bot', token: '42:secret' })
    const me = await botFor(tg).api.getMe()
    expect(me).toMatchObject({ id: 42, is_bot: true, username: 'claw_bot' })

    const wrong = await botFor(tg, '42:wrong').api.getMe().catch((error: unknown) => error)
    expect(wrong).toBeInstanceOf(GrammyError)
    expect(wrong).toMatchObject({ error_code: 401, description: 'Unauthorized' })

    const unknown = await fetch(tg.url('sendTelepathy'), { method: 'POST' })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' })
    expect((await fetch(`${tg.apiRoot}/nothing/here`)).status).toBe(404)
    expect((await fetch(`${tg.apiRoot}/bot%E0%A4%A/getMe`)).status).toBe(401)
    expect((await fetch(`${tg.apiRoot}/file/bot${tg.token}/%E0%A4%A`)).status).toBe(404)
    // Method names are case-insensitive, and GET with a query string works, as on Telegram.
    expect(await (await fetch(tg.url('GETME'))).json()).toMatchObject({ ok: true, result: { username: 'claw_bot' } })
    expect(tg.callsOf('getMe').map((call) => call.status)).toEqual([200, 200])
  })

  it('runs a grammY bot end to end: a DM comes in by long poll, the reply goes out', async () => {
    const tg = await start()
    const bot = botFor(tg)
    bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`, { reply_parameters: { message_id: ctx.message.message_id } }))
    void bot.start({ timeout: 30 })
    await tg.waitFor(() => tg.waitingPolls === 1, { description: 'the bot to poll' })

    const alice = tg.user({ firstName: 'Alice' })
    const sent = tg.sendDm(alice, 'hello')
    const [reply] = await tg.waitForMessages(alice.id, 1)
    expect(reply).toMatchObject({ text: 'echo: hello', replyToMessageId: sent.message_id, kind: 'text', chatId: alice.id })
    expect(reply!.message.reply_to_message?.message_id).toBe(sent.message_id)
    expect(reply!.message.from?.id).toBe(tg.bot.id)
    expect(reply!.messageId).toBe(sent.message_id + 1)
    expect(tg.sentCount(alice.id)).toBe(1)
  })

  it('holds a long poll until an update is pushed, and answers [] when the timeout passes', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const startedAt = Date.now()
    const empty = await api.getUpdates({ timeout: 1 })
    expect(empty).toEqual([])
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900)

    const poll = api.getUpdates({ timeout: 30 })
    await tg.waitFor(() => tg.waitingPolls === 1)
    const pushedAt = Date.now()
    const bob = tg.user()
    const message = tg.sendDm(bob, 'wake up')
    const updates = await poll
    expect(Date.now() - pushedAt).toBeLessThan(2_000)
    expect(updates).toHaveLength(1)
    expect(updates[0]!.message).toMatchObject({ message_id: message.message_id, text: 'wake up', chat: { id: bob.id, type: 'private' } })

    // A short poll (timeout 0) answers at once.
    expect(await api.getUpdates({ timeout: 0 })).toHaveLength(1)
  })

  it('keeps updates until an offset confirms them; limit and negative offsets work as on Telegram', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    for (let i = 1; i <= 5; i++) tg.sendDm(user, `m${i}`)

    const firstTwo = await api.getUpdates({ limit: 2 })
    expect(firstTwo.map((update) => update.message?.text)).toEqual(['m1', 'm2'])
    // Not confirmed: the same updates again.
    expect((await api.getUpdates({ limit: 2 })).map((update) => update.update_id)).toEqual(firstTwo.map((update) => update.update_id))

    const rest = await api.getUpdates({ offset: firstTwo[1]!.update_id + 1 })
    expect(rest.map((update) => update.message?.text)).toEqual(['m3', 'm4', 'm5'])
    expect(tg.pendingUpdates).toHaveLength(3)

    expect((await api.getUpdates({ offset: -1 })).map((update) => update.message?.text)).toEqual(['m5'])
    expect(tg.pendingUpdates).toHaveLength(1)
    expect(await api.getUpdates({ offset: rest[2]!.update_id + 1 })).toEqual([])
    expect(tg.pendingUpdates).toHaveLength(0)
    expect(tg.updates).toHaveLength(5)
    // Update ids increase by one, and are not small numbers a client could confuse with "unset".
    expect(rest[2]!.update_id - firstTwo[0]!.update_id).toBe(4)
    expect(firstTwo[0]!.update_id).toBeGreaterThan(1_000_000)
  })

  it('filters the updates created after allowed_updates was set, and remembers the setting', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    await api.getUpdates({ allowed_updates: ['callback_query'] })
    tg.sendDm(user, 'ignored')
    expect(await api.getUpdates()).toEqual([])
    await api.getUpdates({ allowed_updates: [] })
    tg.sendDm(user, 'seen')
    expect((await api.getUpdates()).map((update) => update.message?.text)).toEqual(['seen'])
    expect(tg.updates).toHaveLength(2)
  })

  it('terminates a running long poll with 409 when a second getUpdates arrives', async () => {
    const tg = await start()
    const first = botFor(tg).api.getUpdates({ timeout: 30 }).catch((error: unknown) => error)
    await tg.waitFor(() => tg.waitingPolls === 1)
    const second = botFor(tg).api.getUpdates({ timeout: 1 })
    const conflict = await first
    expect(conflict).toBeInstanceOf(GrammyError)
    expect(conflict).toMatchObject({ error_code: 409 })
    expect((conflict as GrammyError).description).toMatch(/^Conflict: terminated by other getUpdates request/)
    expect(await second).toEqual([])
  })

  it('makes grammY bot.start() fail with 409 when another bot instance polls the same token', async () => {
    const tg = await start()
    const first = botFor(tg)
    const firstRun = first.start({ timeout: 30 }).catch((error: unknown) => error)
    await tg.waitFor(() => tg.waitingPolls === 1)
    const second = botFor(tg)
    void second.start({ timeout: 30 }).catch(() => undefined)
    expect(await firstRun).toMatchObject({ error_code: 409 })
  })

  it('survives bad input: malformed JSON, a bad multipart body, a wrong content type', async () => {
    const tg = await start()
    const bad = await fetch(tg.url('sendMessage'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"chat_id":' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ ok: false, error_code: 400, description: expect.stringMatching(/^Bad Request: /) })
    const multipart = await fetch(tg.url('sendMessage'), { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: 'garbage' })
    expect(multipart.status).toBe(400)
    const xml = await fetch(tg.url('getMe'), { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<x/>' })
    expect(xml.status).toBe(400)
    const array = await fetch(tg.url('getMe'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1]' })
    expect(array.status).toBe(400)
    // Still serving.
    expect((await fetch(tg.url('getMe'))).status).toBe(200)
  })

  it('refuses a body over the limit with 413', async () => {
    const tg = await start({ bodyLimitBytes: 1024 })
    const response = await fetch(tg.url('sendMessage'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: 1, text: 'x'.repeat(4096) }),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ ok: false, error_code: 413, description: 'Request Entity Too Large' })
    expect((await fetch(tg.url('getMe'))).status).toBe(200)
  })

  it('keeps each server instance separate', async () => {
    const a = await start({ botUsername: 'a_bot' })
    const b = await start({ botUsername: 'b_bot' })
    a.sendDm(a.user(), 'only in a')
    expect(await botFor(b).api.getUpdates()).toEqual([])
    expect(await botFor(a).api.getUpdates()).toHaveLength(1)
    expect((await botFor(b).api.getMe()).username).toBe('b_bot')
  })
})
