import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Bot, type GrammyError, webhookCallback } from 'grammy'
import { afterEach, describe, expect, it } from 'vitest'
import { useFakeTelegram } from './grammy-test-bots.js'

const { start, botFor } = useFakeTelegram()
const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/** A webhook receiver that records each POST and answers with `status(n)` (n counts from 1). */
async function receiver(status: (n: number) => number = () => 200) {
  const received: { headers: IncomingHttpHeaders; body: { update_id: number; message?: { text?: string } } }[] = []
  let count = 0
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => (text += chunk.toString()))
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) })
      res.writeHead(status(++count)).end()
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`, received }
}

describe('fake Telegram: webhook mode', () => {
  it('posts each update with the secret header, in order, and refuses getUpdates while the webhook is set', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const hook = await receiver()
    await api.setWebhook(hook.url, { secret_token: 's3cret_token-1' })
    const user = tg.user()
    tg.sendDm(user, 'one')
    tg.sendDm(user, 'two')
    await tg.waitFor(() => hook.received.length === 2)
    expect(hook.received.map((request) => request.body.message?.text)).toEqual(['one', 'two'])
    expect(hook.received.every((request) => request.headers['x-telegram-bot-api-secret-token'] === 's3cret_token-1')).toBe(true)
    expect(hook.received[0]!.headers['content-type']).toBe('application/json')
    await tg.waitFor(() => tg.webhookInfo.pending_update_count === 0)
    expect(tg.webhookInfo).toMatchObject({ url: hook.url, pending_update_count: 0, has_custom_certificate: false })
    expect(await api.getWebhookInfo()).toMatchObject({ url: hook.url, pending_update_count: 0 })

    const conflict = await api.getUpdates().catch((error: GrammyError) => error)
    expect(conflict).toMatchObject({ error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" })
    expect(await api.setWebhook(hook.url, { secret_token: 'no spaces allowed' }).catch((error: GrammyError) => error.description)).toBe(
      'Bad Request: bad webhook: secret token contains unallowed characters',
    )
  })

  it('ends a running long poll with 409 when a webhook is set', async () => {
    const tg = await start()
    const polling = botFor(tg).api.getUpdates({ timeout: 30 }).catch((error: GrammyError) => error)
    await tg.waitFor(() => tg.waitingPolls === 1)
    const hook = await receiver()
    await botFor(tg).api.setWebhook(hook.url)
    expect(await polling).toMatchObject({ error_code: 409, description: 'Conflict: terminated by setWebhook request' })
    expect(tg.waitingPolls).toBe(0)
  })

  it('retries a delivery the webhook refused, and shows the error in getWebhookInfo', async () => {
    const tg = await start({ webhookRetryDelayMs: 20 })
    const api = botFor(tg).api
    const hook = await receiver((n) => (n <= 2 ? 401 : 200))
    await api.setWebhook(hook.url)
    const user = tg.user()
    tg.sendDm(user, 'persistent')
    await tg.waitFor(() => tg.webhookInfo.last_error_message)
    expect(tg.webhookInfo.last_error_message).toBe('Wrong response from the webhook: 401 Unauthorized')
    await tg.waitFor(() => tg.webhookDeliveries.some((delivery) => delivery.status === 200))
    expect(tg.webhookDeliveries.map((delivery) => delivery.status)).toEqual([401, 401, 200])
    expect(hook.received.every((request) => request.body.message?.text === 'persistent')).toBe(true)
    expect(hook.received[0]!.headers['x-telegram-bot-api-secret-token']).toBeUndefined()
    await tg.waitFor(() => tg.pendingUpdates.length === 0)
  })

  it('keeps updates across an unreachable webhook, and deleteWebhook can drop them or hand them to getUpdates', async () => {
    const tg = await start({ webhookRetryDelayMs: 20 })
    const api = botFor(tg).api
    await api.setWebhook('http://127.0.0.1:1/unreachable')
    const user = tg.user()
    tg.sendDm(user, 'kept')
    await tg.waitFor(() => tg.webhookDeliveries.length >= 2)
    expect(tg.webhookDeliveries[0]!.error).toBeTruthy()
    expect(tg.webhookInfo.last_error_message).toMatch(/^Connection failed/)
    await api.deleteWebhook()
    expect((await api.getUpdates()).map((update) => update.message?.text)).toEqual(['kept'])

    await api.setWebhook('http://127.0.0.1:1/unreachable')
    await api.deleteWebhook({ drop_pending_updates: true })
    expect(await api.getUpdates()).toEqual([])
    expect(tg.webhookInfo.url).toBe('')
  })

  it('drives a grammY webhookCallback bot, including a reply sent in the webhook response', async () => {
    const tg = await start()
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot, canUseWebhookReply: (method) => method === 'sendChatAction' } })
    bot.on('message:text', async (ctx) => {
      await ctx.replyWithChatAction('typing')
      await ctx.reply(`hook: ${ctx.message.text}`)
    })
    const handler = webhookCallback(bot, 'http', { secretToken: 'right' })
    const server = createServer((req, res) => void handler(req, res))
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    await bot.api.setWebhook(url, { secret_token: 'right' })
    const user = tg.user()
    tg.sendDm(user, 'hi')
    const [reply] = await tg.waitForMessages(user.id, 1)
    expect(reply!.plainText).toBe('hook: hi')
    await tg.waitFor(() => tg.chatActions.length === 1)
    expect(tg.callsOf('sendChatAction')[0]).toMatchObject({ viaWebhookReply: true, status: 200 })

    // A wrong secret: grammY refuses with 401, the server keeps retrying, nothing is handled.
    await bot.api.setWebhook(url, { secret_token: 'wrong' })
    tg.sendDm(user, 'intruder')
    await tg.waitFor(() => tg.webhookDeliveries.some((delivery) => delivery.status === 401))
    expect(tg.messagesTo(user.id)).toHaveLength(1)
  })
})
