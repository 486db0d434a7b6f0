import type { Update } from 'grammy/types'
import { describe, expect, it } from 'vitest'
import { mapUpdate } from './map-update.js'

const bot = { id: 777, username: 'my_bot' }
const ada = { id: 42, is_bot: false, first_name: 'Ada', last_name: 'L', username: 'ada' }
const dmChat = { id: 42, type: 'private' as const, first_name: 'Ada' }
const group = { id: -100123, type: 'supergroup' as const, title: 'Team' }
const forum = { ...group, is_forum: true as const }
const map = (update: object) => mapUpdate(update as Update, { accountId: 'default', bot, topicAgent: (chat, topic) => (chat === '-100123' && topic === '9' ? 'coder' : undefined) })

describe('mapUpdate', () => {
  it('maps a DM to a direct event keyed by update_id, with the sender', () => {
    expect(map({ update_id: 10, message: { message_id: 5, date: 1700000000, chat: dmChat, from: ada, text: 'hi' } })).toEqual({
      id: '10', channel: 'telegram', accountId: 'default', kind: 'message', chat: { id: '42', kind: 'direct' },
      sender: { id: '42', name: 'Ada L', username: 'ada' }, receivedAt: 1700000000000, text: 'hi', messageId: '5',
    })
  })

  it('marks a group message mentioned by @username (any case), /cmd@bot, a text mention or a reply to the bot, and not otherwise', () => {
    const msg = (extra: object) => map({ update_id: 1, message: { message_id: 1, date: 1, chat: group, from: ada, text: 'x', ...extra } })
    expect(msg({ text: '@My_Bot hi', entities: [{ type: 'mention', offset: 0, length: 7 }] })).toMatchObject({ mentioned: true, chat: { kind: 'group', id: '-100123', title: 'Team' } })
    expect(msg({ text: '@other hi', entities: [{ type: 'mention', offset: 0, length: 6 }] })).toMatchObject({ mentioned: false })
    expect(msg({ text: '/ask@my_bot now', entities: [{ type: 'bot_command', offset: 0, length: 11 }] })).toMatchObject({ mentioned: true })
    expect(msg({ text: 'hey you', entities: [{ type: 'text_mention', offset: 4, length: 3, user: { id: 777, is_bot: true, first_name: 'B' } }] })).toMatchObject({ mentioned: true })
    expect(msg({ reply_to_message: { message_id: 3, date: 1, chat: group, from: { id: 777, is_bot: true, first_name: 'B' }, text: 'earlier' } })).toMatchObject({ mentioned: true, replyToId: '3' })
    expect(msg({})).toMatchObject({ mentioned: false })
  })

  it('drops this bot’s name from a leading /cmd@bot (the command as meant), keeps another bot’s', () => {
    const msg = (text: string, length: number, chat: object = group) => map({ update_id: 1, message: { message_id: 1, date: 1, chat, from: ada, text, entities: [{ type: 'bot_command', offset: 0, length }] } })
    expect(msg('/new@My_Bot what now', 11)).toMatchObject({ text: '/new what now', mentioned: true })
    expect(msg('/reset@my_bot', 13, dmChat)).toMatchObject({ text: '/reset' })
    expect(msg('/new@other_bot hi', 14)).toMatchObject({ text: '/new@other_bot hi', mentioned: false })
    expect(msg('/new hi', 4)).toMatchObject({ text: '/new hi' })
    // Not at the start: left as written.
    expect(map({ update_id: 1, message: { message_id: 1, date: 1, chat: group, from: ada, text: 'x /new@my_bot', entities: [{ type: 'bot_command', offset: 2, length: 11 }] } })).toMatchObject({ text: 'x /new@my_bot' })
  })

  it('maps a forum message to its topic (General is 1) and routes a topic to its agentId', () => {
    expect(map({ update_id: 2, message: { message_id: 8, date: 1, chat: forum, from: ada, text: 'x', is_topic_message: true, message_thread_id: 9 } })).toMatchObject({ chat: { kind: 'topic', id: '-100123', topicId: '9' }, agentId: 'coder' })
    const general = map({ update_id: 3, message: { message_id: 9, date: 1, chat: forum, from: ada, text: 'x' } })
    expect(general).toMatchObject({ chat: { kind: 'topic', topicId: '1' } })
    expect(general).not.toHaveProperty('agentId')
  })

  it('maps a button press with its callback id and message, and an edit with its message id', () => {
    const press = map({ update_id: 4, callback_query: { id: 'cb1', from: ada, chat_instance: 'i', data: 'ship:yes', message: { message_id: 12, date: 1, chat: dmChat, text: 'Ship it?' } } })
    expect(press).toMatchObject({ kind: 'button', data: 'ship:yes', callbackId: 'cb1', messageId: '12', chat: { id: '42', kind: 'direct' } })
    expect(map({ update_id: 5, edited_message: { message_id: 5, date: 1, edit_date: 2, chat: dmChat, from: ada, text: 'fixed' } })).toMatchObject({ kind: 'edited', messageId: '5', text: 'fixed', receivedAt: 2000 })
  })

  it('keeps media as file_id references (the largest photo), never URLs', () => {
    const event = map({
      update_id: 6,
      message: { message_id: 1, date: 1, chat: dmChat, from: ada, caption: 'look', photo: [{ file_id: 'small', file_unique_id: 's', width: 90, height: 90 }, { file_id: 'big', file_unique_id: 'b', width: 1280, height: 960, file_size: 5000 }] },
    })
    expect(event).toMatchObject({ text: 'look', attachments: [{ ref: 'big', kind: 'image', mimeType: 'image/jpeg', size: 5000 }] })
    const doc = map({ update_id: 7, message: { message_id: 1, date: 1, chat: dmChat, from: ada, document: { file_id: 'd1', file_unique_id: 'd', file_name: 'a.pdf', mime_type: 'application/pdf' } } })
    expect(doc).toMatchObject({ text: '', attachments: [{ ref: 'd1', kind: 'file', name: 'a.pdf' }] })
    const voice = map({ update_id: 8, message: { message_id: 1, date: 1, chat: dmChat, from: ada, voice: { file_id: 'v1', file_unique_id: 'v', duration: 3 } } })
    expect(voice).toMatchObject({ attachments: [{ ref: 'v1', kind: 'audio', mimeType: 'audio/ogg' }] })
  })

  it('maps an album part’s media_group_id to groupId (the core runs the parts as one turn), and a lone photo has none', () => {
    const photo = [{ file_id: 'p', file_unique_id: 'p', width: 90, height: 90 }]
    expect(map({ update_id: 11, message: { message_id: 2, date: 1, chat: dmChat, from: ada, media_group_id: '13800000000001', photo } })).toMatchObject({ kind: 'message', groupId: '13800000000001' })
    expect(map({ update_id: 12, message: { message_id: 3, date: 1, chat: dmChat, from: ada, photo } })).not.toHaveProperty('groupId')
  })

  it('skips what the channel does not serve: channel posts, service messages, other update types', () => {
    expect(map({ update_id: 9, channel_post: { message_id: 1, date: 1, chat: { id: -1, type: 'channel', title: 'News' }, text: 'x' } })).toBeUndefined()
    expect(map({ update_id: 10, message: { message_id: 1, date: 1, chat: group, from: ada, new_chat_members: [ada] } })).toBeUndefined()
    expect(map({ update_id: 11, my_chat_member: {} })).toBeUndefined()
  })
})
