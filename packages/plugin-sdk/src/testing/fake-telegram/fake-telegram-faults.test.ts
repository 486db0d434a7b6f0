import { GrammyError, HttpError } from 'grammy'
import { describe, expect, it } from 'vitest'
import { useFakeTelegram } from './grammy-test-bots.js'

const { start, botFor } = useFakeTelegram()

describe('fake Telegram: fault injection', () => {
  it('failNext answers 429 with retry_after, 403 and 400, for the given number of calls, then runs the method', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    tg.failNext('sendMessage', { status: 429, retryAfter: 3 }, { times: 2 })
    for (let i = 0; i < 2; i++) {
      const error = await api.sendMessage(user.id, 'hi').catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(GrammyError)
      expect(error).toMatchObject({ error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } })
    }
    await api.sendMessage(user.id, 'third time')
    expect(tg.messagesTo(user.id).map((message) => message.text)).toEqual(['third time'])
    expect(tg.callsOf('sendMessage').map((call) => call.status)).toEqual([429, 429, 200])

    tg.failNext('sendmessage', { status: 403 })
    expect(await api.sendMessage(user.id, 'x').catch((error: GrammyError) => [error.error_code, error.description])).toEqual([403, 'Forbidden: bot was blocked by the user'])
    tg.failNext('*', { status: 400, description: 'Bad Request: chat not found' })
    expect(await api.getMe().catch((error: GrammyError) => [error.error_code, error.description])).toEqual([400, 'Bad Request: chat not found'])
    expect(tg.messagesTo(user.id)).toHaveLength(1)

    tg.failNext('sendMessage', { status: 500 }, { times: Infinity })
    expect(await api.sendMessage(user.id, 'x').catch((error: GrammyError) => error.error_code)).toBe(500)
    tg.clearFaults()
    await api.sendMessage(user.id, 'after clear')
  })

  it('delay adds latency to the next calls, then stops', async () => {
    const tg = await start()
    const api = botFor(tg).api
    tg.delay('getMe', 600, { times: 1 })
    let startedAt = Date.now()
    await api.getMe()
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(580)
    startedAt = Date.now()
    await api.getMe()
    expect(Date.now() - startedAt).toBeLessThan(500)

    tg.delay('*', 300)
    startedAt = Date.now()
    await api.getMe()
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(280)
    tg.delay('*', 0)

    // A client that gives up during the delay: the method never runs, the call is `closed`.
    const user = tg.user()
    tg.delay('sendMessage', 60_000)
    const abort = new AbortController()
    const sending = fetch(tg.url('sendMessage'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: user.id, text: 'never' }), signal: abort.signal }).catch(() => 'aborted')
    await tg.waitFor(() => tg.callsOf('sendMessage').length === 1)
    abort.abort()
    expect(await sending).toBe('aborted')
    await tg.waitFor(() => tg.callsOf('sendMessage')[0]!.status === 'closed')
    expect(tg.messagesTo(user.id)).toHaveLength(0)
  })

  it("delay with when: 'after' runs the method and holds only its answer: a client gone meanwhile never hears of the sent message", async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    tg.delay('sendMessage', 60_000, { when: 'after' })
    const abort = new AbortController()
    const sending = fetch(tg.url('sendMessage'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: user.id, text: 'sent, unheard' }), signal: abort.signal }).catch(() => 'aborted')
    await tg.waitFor(() => tg.messagesTo(user.id).length === 1)
    abort.abort()
    expect(await sending).toBe('aborted')
    expect(tg.callsOf('sendMessage')[0]!.status).toBe(200)
    // Cleared with the same `when`; a 'before' delay of 0 leaves it.
    tg.delay('sendMessage', 0)
    tg.delay('sendMessage', 0, { when: 'after' })
    const startedAt = Date.now()
    await api.sendMessage(user.id, 'prompt')
    expect(Date.now() - startedAt).toBeLessThan(500)
    expect(tg.messagesTo(user.id).map((message) => message.text)).toEqual(['sent, unheard', 'prompt'])
  })

  it('dropConnections cuts the connection before the method runs, or after it took effect', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    tg.dropConnections('sendMessage')
    expect(await api.sendMessage(user.id, 'lost').catch((error: unknown) => error)).toBeInstanceOf(HttpError)
    expect(tg.messagesTo(user.id)).toHaveLength(0)

    tg.dropConnections('sendMessage', { when: 'after' })
    expect(await api.sendMessage(user.id, 'sent but unacknowledged').catch((error: unknown) => error)).toBeInstanceOf(HttpError)
    expect(tg.messagesTo(user.id).map((message) => message.text)).toEqual(['sent but unacknowledged'])
    expect(tg.callsOf('sendMessage').map((call) => call.status)).toEqual(['dropped', 'dropped'])

    await api.sendMessage(user.id, 'fine again')
    expect(tg.sentCount(user.id)).toBe(2)
  })

  it('stallGetUpdates holds polls without answering or closing them, and answers again when lifted', async () => {
    const tg = await start()
    const bot = botFor(tg)
    const seen: string[] = []
    bot.on('message:text', (ctx) => void seen.push(ctx.message.text))
    void bot.start({ timeout: 1 })
    await tg.waitFor(() => tg.waitingPolls === 1)
    const user = tg.user()
    tg.sendDm(user, 'before the stall')
    await tg.waitFor(() => seen.length === 1)

    tg.stallGetUpdates(true)
    tg.sendDm(user, 'during the stall')
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    // The long poll (timeout 1 s) would have answered by now: it is held, connection open.
    expect(seen).toEqual(['before the stall'])
    expect(tg.waitingPolls).toBeGreaterThanOrEqual(1)
    const stalledCalls = tg.callsOf('getUpdates').filter((call) => call.status === undefined)
    expect(stalledCalls.length).toBeGreaterThanOrEqual(1)

    tg.stallGetUpdates(false)
    await tg.waitFor(() => seen.length === 2)
    expect(seen).toEqual(['before the stall', 'during the stall'])
  })

  it('onCall sees each call before it is answered, onAnswer after', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const seen: string[] = []
    const stopCalls = tg.onCall((call) => seen.push(`call ${call.method}:${call.status ?? 'pending'}`))
    const stopAnswers = tg.onAnswer((call) => seen.push(`answer ${call.method}:${call.status ?? 'pending'}`))
    await api.getMe()
    stopCalls()
    stopAnswers()
    await api.getMe()
    expect(seen).toEqual(['call getMe:pending', 'answer getMe:200'])
    const call = await tg.waitForCall('getMe')
    expect(call.result).toMatchObject({ is_bot: true })
    await expect(tg.waitForCall('sendMessage', { timeoutMs: 100 })).rejects.toThrow(/timed out after 100 ms waiting for a sendMessage call/)
  })
})

describe('fake Telegram: flood limits', () => {
  it('answers 429 with retry_after beyond the per-chat and global limits, and lets sends through again after it', async () => {
    const tg = await start({ floodLimits: { perChatPerSecond: 2, perSecond: 3 } })
    const api = botFor(tg).api
    const [a, b] = [tg.user(), tg.user()]
    const outcome = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: GrammyError) => `${error.error_code} ${error.parameters.retry_after ?? ''}`)
    expect(await outcome(api.sendMessage(a.id, '1'))).toBe('ok')
    expect(await outcome(api.sendMessage(a.id, '2'))).toBe('ok')
    expect(await outcome(api.sendMessage(a.id, '3'))).toBe('429 1')
    expect(await outcome(api.sendMessage(b.id, '1'))).toBe('ok')
    expect(await outcome(api.sendMessage(b.id, '2'))).toBe('429 1') // the global limit: 3 a second
    expect(await outcome(api.getMe())).toBe('ok') // not a send
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    expect(await outcome(api.sendMessage(a.id, '3 again'))).toBe('ok')
    expect(tg.messagesTo(a.id).map((message) => message.text)).toEqual(['1', '2', '3 again'])

    tg.setFloodLimits({ perGroupPerMinute: 1 })
    const group = tg.group()
    await api.sendMessage(group.id, 'one')
    expect(await outcome(api.sendMessage(group.id, 'two'))).toMatch(/^429 (59|60)$/)
    tg.setFloodLimits(undefined)
    await api.sendMessage(group.id, 'two')
  })
})
