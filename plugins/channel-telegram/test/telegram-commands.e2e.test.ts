import { afterEach, describe, expect, it } from 'vitest'
import { lastUserText, startFakeTelegram } from '@openclaw/plugin-sdk/testing'
import { startTelegramGateway, until, type TelegramGateway } from './start-telegram-gateway.js'

// Chat commands end to end: the fake Bot API server, grammY polling it, the real gateway and the
// scripted model server. `/new` and `/reset` start the session over (session.resetTriggers).

let gw: TelegramGateway | undefined
afterEach(async () => {
  await gw?.close()
  gw = undefined
})

const ACK = 'New session started.'
/** The model requests' messages, as `role: text` lines. */
const turns = (gw: TelegramGateway) => gw.modelCalls().map((call) => call.messages.filter((m) => m.role !== 'system').map((m) => `${m.role}: ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`))

describe('telegram: /new and /reset', () => {
  it('keeps history until /new, which answers without a model call; the next turn starts fresh; /reset <text> runs the text in a fresh session', async () => {
    gw = await startTelegramGateway()
    gw.model.replyWith((request) => ({ text: `re: ${lastUserText(request)}` }))
    const ada = gw.tg.user({ firstName: 'Ada' })
    // 1. Two turns: the second sees the first.
    gw.tg.sendDm(ada, 'my number is 7')
    await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    gw.tg.sendDm(ada, 'what is my number?')
    await gw.tg.waitForMessages(ada.id, 2, { timeoutMs: 15_000 })
    expect(turns(gw)[1]).toEqual(['user: my number is 7', 'assistant: re: my number is 7', 'user: what is my number?'])
    // 2. /new: an acknowledgement, no model call.
    gw.tg.sendDm(ada, '/new')
    const replies = await gw.tg.waitForMessages(ada.id, 3, { timeoutMs: 15_000 })
    expect(replies[2]!.plainText).toBe(ACK)
    expect(gw.modelCalls()).toHaveLength(2)
    // 3. The next message's model request carries no earlier history.
    gw.tg.sendDm(ada, 'what is my number now?')
    await gw.tg.waitForMessages(ada.id, 4, { timeoutMs: 15_000 })
    expect(turns(gw)[2]).toEqual(['user: what is my number now?'])
    // 4. /reset with text (the bot's own /reset@name form): reset, then the text is the turn.
    gw.tg.sendDm(ada, `/reset@${gw.tg.bot.username} what is 2+2`)
    const after = await gw.tg.waitForMessages(ada.id, 5, { timeoutMs: 15_000 })
    expect(after[4]!.plainText).toBe('re: what is 2+2')
    expect(turns(gw)[3]).toEqual(['user: what is 2+2'])
    const history = await gw.gateway.sessions.history(`agent:main:telegram:direct:${ada.id}`)
    expect(history.items.map((e) => e.text)).toEqual(['what is 2+2', 're: what is 2+2'])
    // Each answered exactly once.
    await new Promise((r) => setTimeout(r, 400))
    expect(gw.tg.sentCount(ada.id)).toBe(5)
  })

  it('answers an unpaired sender’s /new with the pairing code, and resets nothing', async () => {
    gw = await startTelegramGateway({ telegram: { dmPolicy: 'pairing', allowFrom: [] } })
    const stranger = gw.tg.user({ firstName: 'Stranger' })
    gw.tg.sendDm(stranger, '/new')
    const [answer] = await gw.tg.waitForMessages(stranger.id, 1, { timeoutMs: 15_000 })
    expect(answer!.plainText).toContain('Pairing code:')
    expect(answer!.plainText).not.toContain(ACK)
    expect(await gw.gateway.sessions.get(`agent:main:telegram:direct:${stranger.id}`)).toBeUndefined()
    expect(gw.modelCalls()).toHaveLength(0)
  })

  it('in a mention-gated group, takes /new@thisbot, drops a bare /new, and sends /new@otherbot nowhere', async () => {
    const tg = await startFakeTelegram()
    const group = tg.group({ title: 'Team' })
    const member = tg.user({ firstName: 'Bo' })
    gw = await startTelegramGateway({ tg, telegram: { groupPolicy: 'open', groups: { [String(group.id)]: { requireMention: true } } } })
    try {
      gw.model.replyWith((request) => ({ text: `re: ${lastUserText(request)}` }))
      tg.sendGroupMessage({ chat: group, from: member, text: 'remember blue', mention: true })
      await tg.waitForMessages(group.id, 1, { timeoutMs: 15_000 })
      // Bare /new and /new@otherbot: not addressed to this bot, dropped by requireMention (nothing resets).
      tg.sendGroupMessage({ chat: group, from: member, text: '/new' })
      tg.sendGroupMessage({ chat: group, from: member, text: '/new@other_bot' })
      await until(async () => (await gw!.gateway.inbound.list({ channel: 'telegram' })).filter((e) => e.state === 'dropped').length === 2, 15_000, 'two drops')
      const key = `agent:main:telegram:group:${group.id}`
      expect((await gw.gateway.sessions.history(key)).items).toHaveLength(2)
      // /new@thisbot: addressed to it, so it passes the gate and resets.
      tg.sendGroupMessage({ chat: group, from: member, text: `/new@${tg.bot.username}` })
      const replies = await tg.waitForMessages(group.id, 2, { timeoutMs: 15_000 })
      expect(replies[1]!.plainText).toBe(ACK)
      expect((await gw.gateway.sessions.history(key)).items).toHaveLength(0)
      expect(gw.modelCalls()).toHaveLength(1)
    } finally {
      await gw.close()
      gw = undefined
      await tg.close()
    }
  })
})

describe('telegram: /new in a forum topic', () => {
  it('resets the topic’s session only, and answers in the topic', async () => {
    const tg = await startFakeTelegram()
    const forum = tg.group({ title: 'Forum', forum: true })
    const member = tg.user({ firstName: 'Cy' })
    // The fake numbers topics by message id: the first would be 1, Telegram's General topic. Make it and leave it.
    tg.topic(forum, { name: 'General', from: member })
    const ideas = tg.topic(forum, { name: 'Ideas', from: member })
    const other = tg.topic(forum, { name: 'Other', from: member })
    gw = await startTelegramGateway({ tg, telegram: { groupPolicy: 'open', groups: { [String(forum.id)]: { requireMention: false } } } })
    try {
      gw.model.replyWith((request) => ({ text: `re: ${lastUserText(request)}` }))
      tg.sendGroupMessage({ chat: forum, from: member, text: 'idea one', threadId: ideas })
      tg.sendGroupMessage({ chat: forum, from: member, text: 'other one', threadId: other })
      await tg.waitForMessages(forum.id, 1, { threadId: ideas, timeoutMs: 15_000 })
      await tg.waitForMessages(forum.id, 1, { threadId: other, timeoutMs: 15_000 })
      tg.sendGroupMessage({ chat: forum, from: member, text: `/new@${tg.bot.username}`, threadId: ideas })
      const inIdeas = await tg.waitForMessages(forum.id, 2, { threadId: ideas, timeoutMs: 15_000 })
      expect(inIdeas.map((m) => m.plainText)).toEqual(['re: idea one', ACK])
      expect(tg.messagesTo(forum.id, { threadId: other })).toHaveLength(1)
      const key = (topic: number) => `agent:main:telegram:group:${forum.id}:topic:${topic}`
      expect((await gw.gateway.sessions.history(key(ideas))).items).toHaveLength(0)
      expect((await gw.gateway.sessions.history(key(other))).items).toHaveLength(2)
    } finally {
      await gw.close()
      gw = undefined
      await tg.close()
    }
  })
})

describe('telegram: the command menu (commands.native)', () => {
  it('sets the menu to the chat commands at start (auto), and leaves it alone with native false', async () => {
    gw = await startTelegramGateway()
    await gw.tg.waitFor(() => gw!.tg.commands.length > 0, { timeoutMs: 15_000 })
    expect(gw.tg.commands).toEqual([{ command: 'new', description: 'Start a new session' }, { command: 'reset', description: 'Reset the current session' }])
    await gw.close()
    gw = await startTelegramGateway({ telegram: { commands: { native: false } }, config: { session: { resetTriggers: ['/new'] } } })
    const ada = gw.tg.user()
    gw.model.reply({ text: 'hi' })
    gw.tg.sendDm(ada, 'hello')
    await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(gw.tg.callsOf('setMyCommands')).toHaveLength(0)
  })

  it('only warns when setMyCommands fails: the account starts and answers', async () => {
    const tg = await startFakeTelegram()
    tg.failNext('setMyCommands', { status: 400, description: 'Bad Request: BOT_COMMANDS_TOO_MUCH' })
    gw = await startTelegramGateway({ tg })
    try {
      await until(() => gw!.logs.some((line) => line.includes('setMyCommands failed')), 15_000, 'warning logged')
      const warning = JSON.parse(gw.logs.find((line) => line.includes('setMyCommands failed'))!) as { level: number; msg: string }
      expect(warning.level).toBe(40)
      expect(warning.msg).toContain('BOT_COMMANDS_TOO_MUCH')
      const ada = tg.user()
      gw.model.reply({ text: 'still here' })
      tg.sendDm(ada, 'hello')
      const [reply] = await tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
      expect(reply!.plainText).toBe('still here')
      expect(gw.status()).toMatchObject({ healthy: true })
    } finally {
      await gw.close()
      gw = undefined
      await tg.close()
    }
  })
})
