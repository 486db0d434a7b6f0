import { randomBytes } from 'node:crypto'
import type { BotMessage } from './chat-store.js'
import type { FakeTelegramState } from './fake-telegram-state.js'
import { withoutReply } from './outgoing-message.js'
import type { TgCallbackQuery, TgChat, TgMessage, TgMessageEntity, TgUpdate, TgUser } from './telegram-types.js'

/** A user to create with `tg.user()`. Every field has a default. */
export interface FakeUserOptions {
  readonly id?: number
  readonly firstName?: string
  readonly lastName?: string
  readonly username?: string
  readonly languageCode?: string
}

/** A group to create with `tg.group()`. Default: a supergroup titled `Test group`. */
export interface FakeGroupOptions {
  readonly id?: number
  readonly title?: string
  readonly type?: 'group' | 'supergroup'
  /** A supergroup with forum topics (`is_forum: true`). */
  readonly forum?: boolean
  readonly username?: string
}

/** What a user types. `replyTo` is the id of the message it replies to (any message of the chat). */
export interface UserMessageInput {
  readonly text: string
  readonly replyTo?: number
}

/** A message a user writes in a group or forum topic. */
export interface GroupMessageInput extends UserMessageInput {
  readonly chat: TgChat
  readonly from: TgUser
  /** Prefix the text with `@<botUsername> ` (a `mention` entity), as a user addressing the bot does. */
  readonly mention?: boolean
  /** Reply to the bot's last message in the chat (or thread), or to the bot's message with this id. */
  readonly replyToBot?: boolean | number
  /** The forum topic (`message_thread_id`). */
  readonly threadId?: number
}

/** Where a user sends media: a user alone means their DM with the bot. */
export type FakeMessageTarget = TgUser | { readonly chat: TgChat; readonly from: TgUser; readonly threadId?: number }

/** A photo a user sends. */
export interface FakePhotoInput {
  readonly bytes: Uint8Array
  /** Default `image/jpeg`. */
  readonly mime?: string
  readonly caption?: string
  readonly width?: number
  readonly height?: number
}

/** A document a user sends. */
export interface FakeDocumentInput {
  readonly bytes: Uint8Array
  /** Default `file.bin`. */
  readonly fileName?: string
  /** Default `application/octet-stream`. */
  readonly mime?: string
  readonly caption?: string
}

/** A button press on a message the bot sent. */
export interface PressButtonInput {
  readonly from: TgUser
  /** The bot's message that carries the inline keyboard. */
  readonly message: BotMessage | { readonly chatId: number; readonly messageId: number }
  /** The button's `callback_data`; the message must have such a button. */
  readonly data: string
}

const MAX_USER_TEXT = 4096

/** What users do: they write to the bot, send media and press buttons; each action queues an update. */
export class UserActions {
  private nextUserId = 5_000_001
  private nextGroupId = 1
  private nextMediaGroupId = 13_800_000_000_001
  private readonly topics = new Map<string, TgMessage>()

  constructor(private readonly state: FakeTelegramState) {}

  user(options: FakeUserOptions = {}): TgUser {
    const id = options.id ?? this.nextUserId++
    const user: TgUser = {
      id,
      is_bot: false,
      first_name: options.firstName ?? `User ${id}`,
      ...(options.lastName ? { last_name: options.lastName } : {}),
      ...(options.username ? { username: options.username } : {}),
      language_code: options.languageCode ?? 'en',
    }
    this.state.chats.add(privateChat(user))
    return user
  }

  group(options: FakeGroupOptions = {}): TgChat {
    const type = options.forum ? 'supergroup' : (options.type ?? 'supergroup')
    const sequence = this.nextGroupId++
    const id = options.id ?? (type === 'supergroup' ? -1_001_000_000_000 - sequence : -4_000_000 - sequence)
    return this.state.chats.add({
      id,
      type,
      title: options.title ?? `Test group ${sequence}`,
      ...(options.username ? { username: options.username } : {}),
      ...(options.forum ? { is_forum: true as const } : {}),
    })
  }

  /** Create a forum topic in `chat`: a `forum_topic_created` service message whose id is the thread id. */
  topic(chat: TgChat, options: { readonly name?: string; readonly from: TgUser }): number {
    if (!chat.is_forum) throw new Error(`fake Telegram: chat ${chat.id} is not a forum`)
    const messageId = this.state.chats.nextMessageId(chat.id)
    const message: TgMessage = {
      message_id: messageId,
      message_thread_id: messageId,
      from: options.from,
      chat,
      date: now(),
      is_topic_message: true,
      forum_topic_created: { name: options.name ?? `Topic ${messageId}`, icon_color: 7322096 },
    }
    this.state.chats.store(message)
    this.topics.set(`${chat.id}:${messageId}`, message)
    this.state.updates.push({ message })
    return messageId
  }

  dm(from: TgUser, input: string | UserMessageInput): TgMessage {
    const { text, replyTo } = typeof input === 'string' ? { text: input, replyTo: undefined } : input
    const chat = this.state.chats.add(privateChat(from))
    return this.pushMessage(chat, from, { ...textWithEntities(text), ...(replyTo === undefined ? {} : { replyTo }) })
  }

  groupMessage(input: GroupMessageInput): TgMessage {
    const chat = this.known(input.chat)
    const mention = `@${this.state.bot.username}`
    const text = input.mention ? `${mention} ${input.text}` : input.text
    let replyTo = input.replyTo
    if (input.replyToBot !== undefined && input.replyToBot !== false) {
      replyTo = typeof input.replyToBot === 'number' ? input.replyToBot : this.lastBotMessage(chat.id, input.threadId)
    }
    return this.pushMessage(chat, input.from, {
      ...textWithEntities(text),
      ...(replyTo === undefined ? {} : { replyTo }),
      ...(input.threadId === undefined ? {} : { threadId: input.threadId }),
    })
  }

  photo(target: FakeMessageTarget, input: FakePhotoInput, mediaGroupId?: string): TgMessage {
    const { chat, from, threadId } = this.resolveTarget(target)
    const file = this.state.files.add('photos', Buffer.from(input.bytes), { mimeType: input.mime ?? 'image/jpeg' })
    const size = { file_id: file.fileId, file_unique_id: file.fileUniqueId, width: input.width ?? 1280, height: input.height ?? 720, file_size: file.bytes.length }
    return this.pushMessage(chat, from, {
      ...captionWithEntities(input.caption),
      extra: { photo: [size], ...(mediaGroupId === undefined ? {} : { media_group_id: mediaGroupId }) },
      ...(threadId === undefined ? {} : { threadId }),
    })
  }

  /** An album: 2 to 10 photos, one update each, sharing a `media_group_id` (a caption goes on the part that has one). */
  album(target: FakeMessageTarget, photos: readonly FakePhotoInput[]): TgMessage[] {
    if (photos.length < 2 || photos.length > 10) throw new Error('fake Telegram: an album has 2 to 10 parts')
    const groupId = String(this.nextMediaGroupId++)
    return photos.map((photo) => this.photo(target, photo, groupId))
  }

  document(target: FakeMessageTarget, input: FakeDocumentInput): TgMessage {
    const { chat, from, threadId } = this.resolveTarget(target)
    const fileName = input.fileName ?? 'file.bin'
    const mimeType = input.mime ?? 'application/octet-stream'
    const file = this.state.files.add('documents', Buffer.from(input.bytes), { fileName, mimeType })
    return this.pushMessage(chat, from, {
      ...captionWithEntities(input.caption),
      extra: { document: { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_name: fileName, mime_type: mimeType, file_size: file.bytes.length } },
      ...(threadId === undefined ? {} : { threadId }),
    })
  }

  pressButton(input: PressButtonInput): TgCallbackQuery {
    const chatId = input.message.chatId
    const stored = this.state.chats.message(chatId, input.message.messageId)
    const sent = stored?.sent
    if (!sent || sent.deleted) throw new Error(`fake Telegram: the bot has no message ${input.message.messageId} in chat ${chatId}`)
    const buttons = sent.replyMarkup?.inline_keyboard.flat() ?? []
    if (!buttons.some((button) => button.callback_data === input.data)) {
      throw new Error(`fake Telegram: message ${sent.messageId} in chat ${chatId} has no button with callback_data ${JSON.stringify(input.data)}`)
    }
    const query: TgCallbackQuery = {
      id: randomBytes(8).readBigUInt64BE().toString(),
      from: input.from,
      message: sent.message,
      chat_instance: String(Math.abs(chatId) * 7919),
      data: input.data,
    }
    this.state.callbackQueries.set(query.id, { answered: false })
    this.state.updates.push({ callback_query: query })
    return query
  }

  /** Queue a raw update; `update_id` is assigned unless given. */
  raw(update: Omit<TgUpdate, 'update_id'> & { readonly update_id?: number }): TgUpdate {
    for (const value of Object.values(update)) {
      const chat = (value as { chat?: TgChat } | null)?.chat
      if (chat && typeof chat.id === 'number') this.state.chats.add(chat)
    }
    return this.state.updates.push(update)
  }

  private pushMessage(
    chat: TgChat,
    from: TgUser,
    content: { text?: string; entities?: TgMessageEntity[]; caption?: string; caption_entities?: TgMessageEntity[]; extra?: Partial<TgMessage>; replyTo?: number; threadId?: number },
  ): TgMessage {
    if ((content.text ?? content.caption ?? '').length > MAX_USER_TEXT) throw new Error('fake Telegram: a user message is at most 4096 characters')
    const replied = content.replyTo === undefined ? undefined : this.state.chats.message(chat.id, content.replyTo)
    if (content.replyTo !== undefined && !replied) throw new Error(`fake Telegram: no message ${content.replyTo} in chat ${chat.id} to reply to`)
    const topicRoot = content.threadId === undefined ? undefined : this.topics.get(`${chat.id}:${content.threadId}`)
    // In a forum topic, a message that replies to nothing replies to the topic's service message.
    const replyTarget = replied ? (replied.sent?.message ?? replied.message) : topicRoot
    const message: TgMessage = {
      message_id: this.state.chats.nextMessageId(chat.id),
      ...(content.threadId === undefined ? {} : { message_thread_id: content.threadId }),
      from,
      chat,
      date: now(),
      ...(content.threadId !== undefined && chat.is_forum ? { is_topic_message: true as const } : {}),
      ...(replyTarget ? { reply_to_message: withoutReply(replyTarget) } : {}),
      ...(content.text === undefined ? {} : { text: content.text }),
      ...(content.entities?.length ? { entities: content.entities } : {}),
      ...content.extra,
      ...(content.caption === undefined ? {} : { caption: content.caption }),
      ...(content.caption_entities?.length ? { caption_entities: content.caption_entities } : {}),
    }
    this.state.chats.store(message)
    this.state.updates.push({ message })
    return message
  }

  private resolveTarget(target: FakeMessageTarget): { chat: TgChat; from: TgUser; threadId?: number } {
    if ('chat' in target) return { chat: this.known(target.chat), from: target.from, ...(target.threadId === undefined ? {} : { threadId: target.threadId }) }
    return { chat: this.state.chats.add(privateChat(target)), from: target }
  }

  private known(chat: TgChat): TgChat {
    return this.state.chats.chat(chat.id) ?? this.state.chats.add(chat)
  }

  private lastBotMessage(chatId: number, threadId: number | undefined): number {
    const sent = this.state.chats.sentTo(chatId).filter((message) => !message.deleted && (threadId === undefined || message.threadId === threadId))
    const last = sent.at(-1)
    if (!last) throw new Error(`fake Telegram: the bot sent nothing to chat ${chatId}${threadId === undefined ? '' : ` thread ${threadId}`} to reply to`)
    return last.messageId
  }
}

/** The private chat between a user and the bot: its id is the user's id. */
export function privateChat(user: TgUser): TgChat {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name ? { last_name: user.last_name } : {}),
    ...(user.username ? { username: user.username } : {}),
  }
}

/** A user's text with the entities Telegram detects in it: `@mentions`, `/commands` and URLs. */
function textWithEntities(text: string): { text: string; entities: TgMessageEntity[] } {
  return { text, entities: detectEntities(text) }
}

function captionWithEntities(caption: string | undefined): { caption?: string; caption_entities?: TgMessageEntity[] } {
  return caption === undefined ? {} : { caption, caption_entities: detectEntities(caption) }
}

function detectEntities(text: string): TgMessageEntity[] {
  const entities: TgMessageEntity[] = []
  const patterns: [RegExp, string][] = [
    [/(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b/g, 'mention'],
    [/(?<![\w/])\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z][A-Za-z0-9_]{3,31})?\b/g, 'bot_command'],
    [/\bhttps?:\/\/[^\s<>"]+/g, 'url'],
  ]
  for (const [pattern, type] of patterns) {
    for (const match of text.matchAll(pattern)) entities.push({ type, offset: match.index, length: match[0].length })
  }
  return entities.sort((a, b) => a.offset - b.offset)
}

function now(): number {
  return Math.floor(Date.now() / 1000)
}
