import { type GrammyError } from 'grammy'
import { describe, expect, it } from 'vitest'
import { useFakeTelegram } from './grammy-test-bots.js'

const { start, botFor } = useFakeTelegram()

describe('fake Telegram: messages, edits, groups, topics and buttons', () => {
  it('keeps what the bot sent: HTML parsed, keyboard, thread, link preview, reply', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    const question = tg.sendDm(user, 'question')
    const keyboard = { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }, { text: 'Docs', url: 'https://example.com' }]] }
    const sent = await api.sendMessage(user.id, '<b>Bold</b> &amp; <a href="https://x.test">link</a>', {
      parse_mode: 'HTML',
      reply_markup: keyboard,
      link_preview_options: { is_disabled: true },
      reply_parameters: { message_id: question.message_id },
    })
    expect(sent).toMatchObject({ text: 'Bold & link', chat: { id: user.id }, reply_markup: keyboard, link_preview_options: { is_disabled: true } })
    expect(sent.entities).toEqual([
      { type: 'bold', offset: 0, length: 4 },
      { type: 'text_link', offset: 7, length: 4, url: 'https://x.test' },
    ])
    const [record] = tg.messagesTo(user.id)
    expect(record).toMatchObject({ text: '<b>Bold</b> &amp; <a href="https://x.test">link</a>', plainText: 'Bold & link', parseMode: 'HTML', linkPreviewDisabled: true, replyToMessageId: question.message_id })
    expect(tg.repliesTo(user.id, question.message_id)).toHaveLength(1)

    await api.sendMessage(user.id, 'old style', { disable_web_page_preview: true, reply_to_message_id: question.message_id } as never)
    expect(tg.messagesTo(user.id)[1]).toMatchObject({ linkPreviewDisabled: true, replyToMessageId: question.message_id })
  })

  it("answers Telegram's errors: bad HTML, empty or too long text, unknown chat, missing reply, blocked user, bad button data", async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: GrammyError) => [error.error_code, error.description])
    expect(await failure(api.sendMessage(user.id, '<b>open', { parse_mode: 'HTML' }))).toEqual([400, 'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"'])
    expect(await failure(api.sendMessage(user.id, '1 < 2 <x>', { parse_mode: 'HTML' }))).toEqual([400, expect.stringContaining("can't parse entities: Unsupported start tag")])
    expect(await failure(api.sendMessage(user.id, '<b>a</i>', { parse_mode: 'HTML' }))).toEqual([400, expect.stringContaining('Unmatched end tag')])
    expect(await failure(api.sendMessage(user.id, ''))).toEqual([400, 'Bad Request: message text is empty'])
    expect(await failure(api.sendMessage(user.id, 'x'.repeat(4097)))).toEqual([400, 'Bad Request: message is too long'])
    // 4096 characters after parsing are fine, whatever the markup adds.
    await api.sendMessage(user.id, `<i>${'x'.repeat(4096)}</i>`, { parse_mode: 'HTML' })
    expect(await failure(api.sendMessage(999, 'hi'))).toEqual([400, 'Bad Request: chat not found'])
    expect(await failure(api.sendMessage(user.id, 'hi', { reply_parameters: { message_id: 777 } }))).toEqual([400, 'Bad Request: message to be replied not found'])
    await api.sendMessage(user.id, 'hi', { reply_parameters: { message_id: 777, allow_sending_without_reply: true } })
    expect(await failure(api.sendMessage(user.id, 'hi', { reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'y'.repeat(65) }]] } }))).toEqual([400, 'Bad Request: BUTTON_DATA_INVALID'])
    tg.block(user)
    expect(await failure(api.sendMessage(user.id, 'hi'))).toEqual([403, 'Forbidden: bot was blocked by the user'])
    tg.unblock(user)
    await api.sendMessage(user.id, 'hi again')
    expect(tg.messagesTo(user.id).map((message) => message.plainText.slice(0, 8))).toEqual(['x'.repeat(8), 'hi', 'hi again'])
  })

  it('applies edits with a history, drops the keyboard an edit leaves out, and answers "message is not modified"', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    const keyboard = { inline_keyboard: [[{ text: 'Stop', callback_data: 'stop' }]] }
    const draft = await api.sendMessage(user.id, 'Thinking', { reply_markup: keyboard })
    await api.editMessageText(user.id, draft.message_id, 'Thinking.', { reply_markup: keyboard })
    const edited = await api.editMessageText(user.id, draft.message_id, '<b>Done</b>', { parse_mode: 'HTML' })
    expect(edited).toMatchObject({ message_id: draft.message_id, text: 'Done', edit_date: expect.any(Number) })
    expect(edited).not.toHaveProperty('reply_markup')

    const notModified = await api.editMessageText(user.id, draft.message_id, '<b>Done</b>', { parse_mode: 'HTML' }).then(
      () => undefined,
      (error: GrammyError) => error,
    )
    expect(notModified).toMatchObject({ error_code: 400 })
    expect(notModified?.description).toMatch(/^Bad Request: message is not modified: specified new message content and reply markup are exactly the same/)

    const [record] = tg.messagesTo(user.id)
    expect(record).toMatchObject({ originalText: 'Thinking', text: '<b>Done</b>', plainText: 'Done' })
    expect(record!.replyMarkup).toBeUndefined()
    expect(record!.edits.map((edit) => edit.plainText)).toEqual(['Thinking.', 'Done'])
    expect(tg.sentCount(user.id)).toBe(1)

    const missing = await api.editMessageText(user.id, 999, 'x').catch((error: GrammyError) => error.description)
    expect(missing).toBe('Bad Request: message to edit not found')
    const own = tg.sendDm(user, 'mine')
    expect(await api.editMessageText(user.id, own.message_id, 'x').catch((error: GrammyError) => error.description)).toBe("Bad Request: message can't be edited")

    await api.editMessageReplyMarkup(user.id, draft.message_id, { reply_markup: keyboard })
    expect(tg.messagesTo(user.id)[0]!.replyMarkup).toEqual(keyboard)
    await api.deleteMessage(user.id, draft.message_id)
    expect(tg.messagesTo(user.id)[0]!.deleted).toBe(true)
  })

  it('builds group messages with a mention entity or a reply to the bot, and forum topic messages', async () => {
    const tg = await start({ botUsername: 'claw_bot' })
    const api = botFor(tg).api
    const group = tg.group({ title: 'Team' })
    const carol = tg.user({ username: 'carol' })
    const plain = tg.sendGroupMessage({ chat: group, from: carol, text: 'just chatting' })
    expect(plain.entities).toBeUndefined()
    const mention = tg.sendGroupMessage({ chat: group, from: carol, text: 'what time is it?', mention: true })
    expect(mention.text).toBe('@claw_bot what time is it?')
    expect(mention.entities).toEqual([{ type: 'mention', offset: 0, length: 9 }])
    expect(mention.chat).toMatchObject({ id: group.id, type: 'supergroup', title: 'Team' })

    const answer = await api.sendMessage(group.id, 'noon')
    const reply = tg.sendGroupMessage({ chat: group, from: carol, text: 'thanks', replyToBot: true })
    expect(reply.reply_to_message).toMatchObject({ message_id: answer.message_id, from: { id: tg.bot.id, is_bot: true } })

    const forum = tg.group({ forum: true })
    expect(forum).toMatchObject({ type: 'supergroup', is_forum: true })
    const threadId = tg.topic(forum, { name: 'Ops', from: carol })
    const inTopic = tg.sendGroupMessage({ chat: forum, from: carol, text: '/status@claw_bot now', threadId })
    expect(inTopic).toMatchObject({ message_thread_id: threadId, is_topic_message: true, reply_to_message: { message_id: threadId, forum_topic_created: { name: 'Ops' } } })
    expect(inTopic.entities).toEqual([{ type: 'bot_command', offset: 0, length: 16 }])
    const topicAnswer = await api.sendMessage(forum.id, 'all good', { message_thread_id: threadId })
    expect(topicAnswer).toMatchObject({ message_thread_id: threadId, is_topic_message: true })
    expect(tg.messagesTo(forum.id, { threadId })).toHaveLength(1)
    expect(tg.messagesTo(forum.id, { threadId: threadId + 100 })).toHaveLength(0)

    const updates = await api.getUpdates()
    expect(updates.map((update) => update.message?.text ?? update.message?.forum_topic_created?.name)).toEqual(['just chatting', '@claw_bot what time is it?', 'thanks', 'Ops', '/status@claw_bot now'])
  })

  it('round-trips a button press: callback_query in, answerCallbackQuery once', async () => {
    const tg = await start()
    const bot = botFor(tg)
    bot.command('menu', (ctx) => ctx.reply('Pick', { reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'pick:a' }]] } }))
    bot.on('callback_query:data', async (ctx) => {
      await ctx.answerCallbackQuery({ text: `picked ${ctx.callbackQuery.data}` })
      await ctx.editMessageText(`You picked ${ctx.callbackQuery.data}`)
    })
    void bot.start({ timeout: 30 })
    const dave = tg.user()
    tg.sendDm(dave, '/menu')
    const [menu] = await tg.waitForMessages(dave.id, 1)
    expect(() => tg.pressButton({ from: dave, message: menu!, data: 'pick:zzz' })).toThrow(/no button/)
    const query = tg.pressButton({ from: dave, message: menu!, data: 'pick:a' })
    await tg.waitFor(() => tg.messagesTo(dave.id)[0]!.edits.length === 1)
    expect(tg.callbackAnswers).toEqual([{ callbackQueryId: query.id, text: 'picked pick:a', showAlert: false, at: expect.any(Number) }])
    expect(tg.messagesTo(dave.id)[0]!.plainText).toBe('You picked pick:a')

    const again = await bot.api.answerCallbackQuery(query.id).catch((error: GrammyError) => error.description)
    expect(again).toBe('Bad Request: query is too old and response timeout expired or query ID is invalid')
  })

  it('records chat actions and accepts form-encoded and query-string calls', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    await api.sendChatAction(user.id, 'typing')
    expect(await api.sendChatAction(user.id, 'dancing' as never).catch((error: GrammyError) => error.description)).toBe('Bad Request: wrong parameter action in request')
    expect(tg.chatActions).toEqual([{ chatId: user.id, action: 'typing', at: expect.any(Number) }])

    const form = await fetch(tg.url('sendMessage'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: String(user.id), text: 'form', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'k', callback_data: 'k' }]] }) }),
    })
    expect(await form.json()).toMatchObject({ ok: true, result: { text: 'form', reply_markup: { inline_keyboard: [[{ text: 'k', callback_data: 'k' }]] } } })
    const query = await fetch(`${tg.url('sendMessage')}?chat_id=${user.id}&text=query`)
    expect(await query.json()).toMatchObject({ ok: true, result: { text: 'query' } })
    expect(tg.callsOf('sendMessage').map((call) => call.encoding)).toEqual(['form', 'query'])
  })
})
