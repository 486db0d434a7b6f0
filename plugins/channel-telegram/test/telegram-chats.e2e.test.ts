import { afterEach, describe, expect, it } from 'vitest'
import { startTelegramGateway, until, type TelegramGateway } from './start-telegram-gateway.js'

// The Telegram channel end to end: the fake Bot API server, grammY polling it, the real gateway and
// the scripted model server. Direct messages, pairing, group mention gating and forum topics.

let gw: TelegramGateway | undefined
afterEach(async () => {
  await gw?.close()
  gw = undefined
})

describe('telegram: direct messages', () => {
  it('answers a DM through long polling, in HTML, once', async () => {
    gw = await startTelegramGateway()
    gw.model.reply({ text: 'Hello **Ada** & <friends>' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    gw.tg.sendDm(ada, 'hi there')
    const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(reply!.parseMode).toBe('HTML')
    expect(reply!.text).toBe('Hello <b>Ada</b> &amp; &lt;friends&gt;')
    expect(reply!.plainText).toBe('Hello Ada & <friends>')
    const call = gw.modelCalls()[0]!
    expect(JSON.stringify(call.messages)).toContain('hi there')
    // The session key follows OpenClaw's grammar.
    const sessions = await gw.gateway.sessions.list()
    expect(sessions.items.map((s) => s.key)).toContain(`agent:main:telegram:direct:${ada.id}`)
    // Typing was shown while the run was busy.
    expect(gw.tg.chatActions.some((a) => a.chatId === ada.id && a.action === 'typing')).toBe(true)
    await new Promise((r) => setTimeout(r, 500))
    expect(gw.tg.sentCount(ada.id)).toBe(1)
  })
})

describe('telegram: reply settings and edits', () => {
  it('quotes the answered message with replyToMode first, disables link previews with linkPreview false, and runs an edited message', async () => {
    gw = await startTelegramGateway({ telegram: { replyToMode: 'first', linkPreview: false } })
    gw.model.reply({ text: 'see https://example.com' }).reply({ text: 'noted the edit' })
    const ada = gw.tg.user({ firstName: 'Ada' })
    const asked = gw.tg.sendDm(ada, 'a link please')
    const [reply] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
    expect(reply!.replyToMessageId).toBe(asked.message_id)
    expect(reply!.linkPreviewDisabled).toBe(true)
    gw.tg.pushUpdate({ edited_message: { ...asked, edit_date: asked.date + 1, text: 'a link, please!' } })
    await gw.tg.waitForMessages(ada.id, 2, { timeoutMs: 15_000 })
    expect(JSON.stringify(gw.modelCalls()[1]!.messages.at(-1))).toContain(`(edited message ${asked.message_id}) a link, please!`)
  })
})

describe('telegram: several bots', () => {
  it('runs one poller per account, each answering through its own bot', async () => {
    const { startFakeTelegram } = await import('@openclaw/plugin-sdk/testing')
    const other = await startFakeTelegram({ token: '222222222:SECOND-bot-token', botUsername: 'second_bot' })
    try {
      // An account without a token stays blocked, with its error in status; the others run. With no
      // account able to run, the plugin fails, naming the account.
      gw = await startTelegramGateway({ telegram: { botToken: undefined, accounts: { first: {}, second: { botToken: other.token, apiRoot: other.apiRoot } } } })
      expect(gw.status('first')).toMatchObject({ healthy: false, lastError: { message: expect.stringContaining("Telegram account 'first' has no bot token") } })
      await until(() => gw!.status('second')?.healthy && gw!.status('second')?.lastReceiveAt, 10_000, 'second polling')
      await gw.close()
      // Two accounts on one token: the later one is blocked (one poller per token), the first runs.
      gw = await startTelegramGateway({ telegram: { botToken: undefined, accounts: { one: { botToken: other.token, apiRoot: other.apiRoot }, two: { botToken: other.token, apiRoot: other.apiRoot } } } })
      expect(gw.status('two')).toMatchObject({ healthy: false, lastError: { message: "Telegram account 'two' has the same bot token as account 'one': it is not started" } })
      await until(() => gw!.status('one')?.lastReceiveAt, 10_000, 'one polling')
      await gw.close()
      gw = await startTelegramGateway({ telegram: { botToken: undefined, accounts: { first: {} } } })
      const failed = gw.gateway.plugins.find((p) => p.id === 'channel:telegram')
      expect(failed).toMatchObject({ state: 'failed' })
      expect(JSON.stringify(failed!.error)).toContain("Telegram account 'first' has no bot token")
      await gw.close()
      gw = await startTelegramGateway({
        telegram: { botToken: undefined, accounts: { first: { botToken: '123456789:TEST-fake-telegram-token' }, second: { botToken: other.token, apiRoot: other.apiRoot } }, defaultAccount: 'first' },
      })
      gw.model.replyWith((request) => ({ text: JSON.stringify(request.body).includes('to the second') ? 'second answers' : 'first answers' }))
      const ada = gw.tg.user({ id: 6_000_001 })
      const bo = other.user({ id: 7_000_001 })
      gw.tg.sendDm(ada, 'to the first')
      other.sendDm(bo, 'to the second')
      const [a] = await gw.tg.waitForMessages(ada.id, 1, { timeoutMs: 15_000 })
      const [b] = await other.waitForMessages(bo.id, 1, { timeoutMs: 15_000 })
      expect(a!.plainText).toBe('first answers')
      expect(b!.plainText).toBe('second answers')
      expect(gw.gateway.channels.status().filter((s) => s.channel === 'telegram').map((s) => s.accountId)).toEqual(['first', 'second'])
    } finally {
      await gw?.close()
      gw = undefined
      await other.close()
    }
  })
})

describe('telegram: pairing', () => {
  it('answers an unknown sender with a pairing code through Telegram, runs nothing, and admits them once approved', async () => {
    gw = await startTelegramGateway({ telegram: { dmPolicy: 'pairing', allowFrom: [] } })
    const stranger = gw.tg.user({ firstName: 'Stranger' })
    gw.tg.sendDm(stranger, 'let me in')
    const [pairing] = await gw.tg.waitForMessages(stranger.id, 1, { timeoutMs: 15_000 })
    const code = /Pairing code: ([A-Z2-9]{8})/.exec(pairing!.plainText)?.[1]
    expect(code).toBeDefined()
    expect(pairing!.plainText).toContain(`Your Telegram user id: ${stranger.id}`)
    expect(pairing!.plainText).toContain(`openclaw pairing approve telegram ${code}`)
    expect(gw.modelCalls()).toHaveLength(0)
    // Asking again within the hour: no second message.
    gw.tg.sendDm(stranger, 'hello?')
    await until(async () => (await gw!.gateway.inbound.list({ channel: 'telegram' })).filter((e) => e.state === 'dropped').length === 2, 15_000, 'second request dropped')
    expect(gw.tg.sentCount(stranger.id)).toBe(1)
    // Approved: the next message runs.
    const pending = await gw.gateway.pairing.list('telegram')
    expect(pending.map((p) => p.code)).toContain(code)
    await gw.gateway.pairing.approve('telegram', code!)
    gw.model.reply({ text: 'welcome' })
    gw.tg.sendDm(stranger, 'now?')
    const replies = await gw.tg.waitForMessages(stranger.id, 2, { timeoutMs: 15_000 })
    expect(replies[1]!.plainText).toBe('welcome')
    expect(gw.modelCalls()).toHaveLength(1)
  })
})

describe('telegram: groups', () => {
  it('runs a group message only when it mentions the bot or replies to it (requireMention)', async () => {
    const tg = await (await import('@openclaw/plugin-sdk/testing')).startFakeTelegram()
    const group = tg.group({ title: 'Team' })
    const member = tg.user({ firstName: 'Bo' })
    gw = await startTelegramGateway({ tg, telegram: { groupPolicy: 'allowlist', groupAllowFrom: [String(member.id)], groups: { [String(group.id)]: { requireMention: true } } } })
    try {
      gw.model.replyWith(() => ({ text: 'answered' }))
      tg.sendGroupMessage({ chat: group, from: member, text: 'just chatting' })
      tg.sendGroupMessage({ chat: group, from: member, text: 'what do you think?', mention: true })
      await tg.waitForMessages(group.id, 1, { timeoutMs: 15_000 })
      const [first] = tg.messagesTo(group.id)
      tg.sendGroupMessage({ chat: group, from: member, text: 'and this?', replyToBot: first!.messageId })
      await tg.waitForMessages(group.id, 2, { timeoutMs: 15_000 })
      // A stranger in the group, mentioning the bot: not in groupAllowFrom.
      const stranger = tg.user({ firstName: 'Eve' })
      tg.sendGroupMessage({ chat: group, from: stranger, text: 'me too', mention: true })
      await until(async () => (await gw!.gateway.inbound.list({ channel: 'telegram' })).filter((e) => e.state === 'dropped').length === 2, 15_000, 'two drops')
      const prompts = gw.modelCalls().map((c) => JSON.stringify(c.messages.at(-1)))
      expect(prompts).toHaveLength(2)
      expect(prompts[0]).toContain('what do you think?')
      expect(prompts[1]).toContain('and this?')
      const sessions = await gw.gateway.sessions.list()
      expect(sessions.items.map((s) => s.key)).toContain(`agent:main:telegram:group:${group.id}`)
      expect(tg.sentCount(group.id)).toBe(2)
    } finally {
      await gw.close()
      gw = undefined
      await tg.close()
    }
  })

  it('keys forum topics per topic, replies in the topic, and honours a topic entry over its group', async () => {
    const { startFakeTelegram } = await import('@openclaw/plugin-sdk/testing')
    const tg = await startFakeTelegram()
    const forum = tg.group({ title: 'Forum', forum: true })
    const member = tg.user({ firstName: 'Cy' })
    // Thread 1 is the General topic in Telegram (sent without message_thread_id); the fake numbers
    // topics by message id, so the first one it makes would be 1: make it and leave it.
    tg.topic(forum, { name: 'General', from: member })
    const ideas = tg.topic(forum, { name: 'Ideas', from: member })
    const chat = tg.topic(forum, { name: 'Chat', from: member })
    gw = await startTelegramGateway({
      tg,
      telegram: { groupPolicy: 'open', groups: { [String(forum.id)]: { requireMention: true, topics: { [String(chat)]: { requireMention: false } } } } },
    })
    try {
      gw.model.replyWith(() => ({ text: 'topic answer' }))
      tg.sendGroupMessage({ chat: forum, from: member, text: 'idea one', threadId: ideas, mention: true })
      tg.sendGroupMessage({ chat: forum, from: member, text: 'no mention needed here', threadId: chat })
      tg.sendGroupMessage({ chat: forum, from: member, text: 'ignored: no mention', threadId: ideas })
      await tg.waitForMessages(forum.id, 1, { threadId: ideas, timeoutMs: 15_000 })
      await tg.waitForMessages(forum.id, 1, { threadId: chat, timeoutMs: 15_000 })
      await until(async () => (await gw!.gateway.inbound.list({ channel: 'telegram' })).some((e) => e.state === 'dropped'), 15_000, 'a drop')
      const keys = (await gw.gateway.sessions.list()).items.map((s) => s.key)
      expect(keys).toContain(`agent:main:telegram:group:${forum.id}:topic:${ideas}`)
      expect(keys).toContain(`agent:main:telegram:group:${forum.id}:topic:${chat}`)
      expect(tg.messagesTo(forum.id, { threadId: ideas })).toHaveLength(1)
      expect(tg.messagesTo(forum.id, { threadId: chat })).toHaveLength(1)
      expect(gw.modelCalls()).toHaveLength(2)
    } finally {
      await gw.close()
      gw = undefined
      await tg.close()
    }
  })
})
