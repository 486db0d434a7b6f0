import type { ChannelChat, ChannelEvent, ChannelSender, InboundMediaRef } from '@openclaw/plugin-sdk/channels'
import type { Chat, Message, MessageEntity, Update, User } from 'grammy/types'

export const CHANNEL_ID = 'telegram'
/** The updates the channel asks Telegram for (`allowed_updates`). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const

/** The bot, as `getMe` described it: mentions are recognised by its username and id. */
export interface BotIdentity {
  readonly id: number
  readonly username: string
}

/** Where an account's topics route (`groups.<chat>.topics.<topic>.agentId`, else `topics."*"`). */
export type TopicAgent = (chatId: string, topicId: string) => string | undefined

function senderOf(user: User | undefined, chat: Chat): ChannelSender {
  if (!user) return { id: String(chat.id), ...('title' in chat && chat.title ? { name: chat.title } : {}) }
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ')
  return { id: String(user.id), ...(name ? { name } : {}), ...(user.username ? { username: user.username } : {}), ...(user.is_bot ? { isBot: true } : {}) }
}

/**
 * The chat a message is in: a private chat is `direct` (its id is the user's), a group or supergroup
 * `group`, a forum supergroup's message `topic` (`topicId` is its `message_thread_id`; the General
 * topic, which has none, is `1`). Channels (broadcast) are not served.
 */
export function chatOf(message: Message): ChannelChat | undefined {
  const chat = message.chat
  const title = 'title' in chat && chat.title ? { title: chat.title } : {}
  if (chat.type === 'private') return { id: String(chat.id), kind: 'direct' }
  if (chat.type === 'group') return { id: String(chat.id), kind: 'group', ...title }
  if (chat.type === 'supergroup') {
    if (chat.is_forum) return { id: String(chat.id), kind: 'topic', topicId: String(message.is_topic_message && message.message_thread_id ? message.message_thread_id : 1), ...title }
    return { id: String(chat.id), kind: 'group', ...title }
  }
  return undefined
}

/** Does the message address the bot: an @username mention, a text mention of it, `/cmd@bot`, or a reply to one of its messages? */
export function mentionsBot(message: Message, bot: BotIdentity): boolean {
  if (message.reply_to_message?.from?.id === bot.id) return true
  const text = message.text ?? message.caption ?? ''
  const entities: readonly MessageEntity[] = message.entities ?? message.caption_entities ?? []
  const handle = `@${bot.username}`.toLowerCase()
  for (const entity of entities) {
    const slice = text.slice(entity.offset, entity.offset + entity.length).toLowerCase()
    if (entity.type === 'mention' && slice === handle) return true
    if (entity.type === 'text_mention' && entity.user.id === bot.id) return true
    if (entity.type === 'bot_command' && slice.endsWith(handle)) return true
  }
  return false
}

/**
 * The text of a message that opens with a command addressed to this bot (`/new@my_bot rest`), without
 * the address (`/new rest`): the command the user meant, as the gateway's chat commands (`/new`,
 * `/reset`) read it. A command addressed to another bot keeps its address (it is not for this one).
 */
export function withoutOwnHandle(text: string, entities: readonly MessageEntity[], bot: BotIdentity): string {
  const command = entities.find((e) => e.type === 'bot_command' && e.offset === 0)
  if (!command) return text
  const word = text.slice(0, command.length)
  const at = word.indexOf('@')
  if (at < 0 || word.slice(at + 1).toLowerCase() !== bot.username.toLowerCase()) return text
  return word.slice(0, at) + text.slice(command.length)
}

function mediaKind(mimeType: string | undefined): InboundMediaRef['kind'] {
  const top = mimeType?.split('/')[0]
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'file'
}

/** A message's media as references the channel resolves (`getFile`): the ref is the `file_id`, never a URL. */
export function attachmentsOf(message: Message): InboundMediaRef[] {
  const out: InboundMediaRef[] = []
  const size = (n: number | undefined) => (n !== undefined ? { size: n } : {})
  if (message.photo && message.photo.length > 0) {
    const largest = message.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a))
    out.push({ ref: largest.file_id, kind: 'image', mimeType: 'image/jpeg', ...size(largest.file_size) })
  }
  if (message.document) {
    const d = message.document
    out.push({ ref: d.file_id, kind: mediaKind(d.mime_type), ...(d.mime_type ? { mimeType: d.mime_type } : {}), ...(d.file_name ? { name: d.file_name } : {}), ...size(d.file_size) })
  }
  if (message.voice) out.push({ ref: message.voice.file_id, kind: 'audio', mimeType: message.voice.mime_type ?? 'audio/ogg', ...size(message.voice.file_size) })
  if (message.audio) {
    const a = message.audio
    out.push({ ref: a.file_id, kind: 'audio', mimeType: a.mime_type ?? 'audio/mpeg', ...(a.file_name ? { name: a.file_name } : {}), ...size(a.file_size) })
  }
  if (message.video) out.push({ ref: message.video.file_id, kind: 'video', mimeType: message.video.mime_type ?? 'video/mp4', ...size(message.video.file_size) })
  if (message.video_note) out.push({ ref: message.video_note.file_id, kind: 'video', mimeType: 'video/mp4', ...size(message.video_note.file_size) })
  return out
}

/**
 * A Telegram update as a channel event, or `undefined` for what the channel does not serve
 * (channel posts, service messages, other update types). The event id is the `update_id`, so a
 * redelivered update is a duplicate in the inbox.
 */
export function mapUpdate(update: Update, context: { readonly accountId: string; readonly bot: BotIdentity; readonly topicAgent?: TopicAgent }): ChannelEvent | undefined {
  const base = { id: String(update.update_id), channel: CHANNEL_ID, accountId: context.accountId }
  const routed = (chat: ChannelChat) => {
    const agentId = chat.kind === 'topic' && chat.topicId ? context.topicAgent?.(chat.id, chat.topicId) : undefined
    return agentId ? { agentId } : {}
  }
  if (update.callback_query) {
    const press = update.callback_query
    const message = press.message && 'chat' in press.message && press.message.date !== 0 ? (press.message as Message) : undefined
    const chat: ChannelChat = (message ? chatOf(message) : undefined) ?? { id: String(press.from.id), kind: 'direct' }
    return {
      ...base,
      kind: 'button',
      chat,
      sender: senderOf(press.from, message?.chat ?? ({ id: press.from.id, type: 'private', first_name: press.from.first_name } as Chat)),
      data: press.data ?? press.game_short_name ?? '',
      callbackId: press.id,
      ...(press.message ? { messageId: String(press.message.message_id) } : {}),
      ...routed(chat),
    }
  }
  const edited = update.edited_message
  const message = update.message ?? edited
  if (!message) return undefined
  const chat = chatOf(message)
  if (!chat) return undefined
  const text = withoutOwnHandle(message.text ?? message.caption ?? '', message.entities ?? message.caption_entities ?? [], context.bot)
  const attachments = attachmentsOf(message)
  if (text === '' && attachments.length === 0) return undefined // service messages, stickers, polls, …
  const common = {
    ...base,
    chat,
    sender: senderOf(message.from, message.chat),
    receivedAt: (edited?.edit_date ?? message.date) * 1000,
    text,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(chat.kind === 'direct' ? {} : { mentioned: mentionsBot(message, context.bot) }),
    ...routed(chat),
  }
  if (edited) return { ...common, kind: 'edited', messageId: String(message.message_id) }
  return {
    ...common,
    kind: 'message',
    messageId: String(message.message_id),
    ...(message.reply_to_message ? { replyToId: String(message.reply_to_message.message_id) } : {}),
    // An album's parts (one update each) share it: the core runs them as one turn.
    ...(message.media_group_id ? { groupId: message.media_group_id } : {}),
  }
}
