import { Bot, GrammyError } from 'grammy'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTelegram, type FakeTelegram } from '../index.js'

const servers: FakeTelegram[] = []
const bots: Bot[] = []

async function start(options?: Parameters<typeof startFakeTelegram>[0]): Promise<FakeTelegram> {
  const tg = await startFakeTelegram(options)
  servers.push(tg)
  return tg
}

function botFor(tg: FakeTelegram, token = tg.token): Bot {
  const bot = new Bot(token, { client: { apiRoot: tg.apiRoot } })
  bots.push(bot)
  return bot
}

afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => (bot.isRunning() ? bot.stop() : undefined)))
  await Promise.all(servers.splice(0).map((tg) => tg.close()))
})

describe('fake Telegram: getMe and polling with grammY', () => {
  it('answers getMe with the bot user, 401 for a wrong token and 404 for an unknown method', async () => {
    const tg = await start({ botUsername: 'claw_bot' })
    const me = await botFor(tg).api.getMe()
    expect(me).toMatchObject({ id: 123456789, is_bot: true, username: 'claw_bot' })

    const wrong = await botFor(tg, '1:wrong').api.getMe().catch((error: unknown) => error)
    expect(wrong).toBeInstanceOf(GrammyError)
    expect(wrong).toMatchObject({ error_code: 401, description: 'Unauthorized' })

    const unknown = await fetch(tg.url('sendTelepathy'), { method: 'POST' })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' })
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
    expect(reply).toMatchObject({ text: 'echo: hello', replyToMessageId: sent.message_id, kind: 'text' })
    expect(reply!.message.reply_to_message?.message_id).toBe(sent.message_id)
    expect(tg.sentCount(alice.id)).toBe(1)
  })
})
