import { badRequest } from './bot-api-error.js'
import type { MutableBotMessage } from './chat-store.js'
import type { BotApiMethod, FakeTelegramState } from './fake-telegram-state.js'
import { formatText, inlineKeyboard, linkPreview, storeOutgoing, textFields } from './outgoing-message.js'
import type { TgInlineKeyboardMarkup, TgMessage } from './telegram-types.js'

const MAX_TEXT_LENGTH = 4096
const MAX_CALLBACK_TEXT_LENGTH = 200
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
])

/** `sendMessage`: text up to 4096 characters after entity parsing. */
export const sendMessage: BotApiMethod = ({ params }, state) => {
  const chat = state.chats.target(params.chat_id)
  const text = typeof params.text === 'string' ? params.text : ''
  const parsed = formatText(text, params.parse_mode)
  if (parsed.text.trim() === '') throw badRequest('message text is empty')
  if (parsed.text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long')
  return storeOutgoing(state, chat, params, { kind: 'text', text, parsed, ...(typeof params.parse_mode === 'string' && params.parse_mode ? { parseMode: params.parse_mode } : {}) })
}

/**
 * `editMessageText`: the keyboard is replaced by `reply_markup` (dropped when it is left out, as
 * Telegram does); the same text, entities and keyboard answer `message is not modified`.
 */
export const editMessageText: BotApiMethod = ({ params }, state) => {
  const sent = editable(state, params, 'text')
  const text = typeof params.text === 'string' ? params.text : ''
  const parsed = formatText(text, params.parse_mode)
  if (parsed.text.trim() === '') throw badRequest('message text is empty')
  if (parsed.text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long')
  const replyMarkup = inlineKeyboard(params.reply_markup)
  const preview = linkPreview(params)
  const fields = textFields('text', parsed)
  if (sameContent(sent.message, fields, replyMarkup)) throw notModified()
  return applyEdit(sent, { text, plainText: parsed.text, parseMode: params.parse_mode, replyMarkup }, {
    ...stripContent(sent.message),
    ...fields,
    ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    ...(preview.options ? { link_preview_options: preview.options } : {}),
  })
}

/** `editMessageCaption`, for a photo or document the bot sent. */
export const editMessageCaption: BotApiMethod = ({ params }, state) => {
  const sent = editable(state, params, 'media')
  const text = typeof params.caption === 'string' ? params.caption : ''
  const parsed = formatText(text, params.parse_mode)
  const replyMarkup = inlineKeyboard(params.reply_markup)
  const fields = textFields(sent.kind, parsed)
  if (sameContent(sent.message, fields, replyMarkup)) throw notModified()
  return applyEdit(sent, { text, plainText: parsed.text, parseMode: params.parse_mode, replyMarkup }, {
    ...stripContent(sent.message),
    ...fields,
    ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
  })
}

/** `editMessageReplyMarkup`: replace (or, without `reply_markup`, remove) the inline keyboard. */
export const editMessageReplyMarkup: BotApiMethod = ({ params }, state) => {
  const sent = editable(state, params, 'any')
  const replyMarkup = inlineKeyboard(params.reply_markup)
  if (JSON.stringify(sent.replyMarkup ?? null) === JSON.stringify(replyMarkup ?? null)) throw notModified()
  const { reply_markup: _old, ...rest } = sent.message
  return applyEdit(sent, { text: sent.text, plainText: sent.plainText, parseMode: sent.parseMode, replyMarkup }, { ...rest, ...(replyMarkup ? { reply_markup: replyMarkup } : {}) })
}

/** `deleteMessage`: the bot's own messages (users' messages too, as a group admin could). */
export const deleteMessage: BotApiMethod = ({ params }, state) => {
  const chat = state.chats.target(params.chat_id)
  const found = typeof params.message_id === 'number' ? state.chats.message(chat.chat.id, params.message_id) : undefined
  if (!found || found.sent?.deleted) throw badRequest('message to delete not found')
  if (found.sent) found.sent.deleted = true
  return true
}

/** `sendChatAction`: recorded in `chatActions`. */
export const sendChatAction: BotApiMethod = ({ params }, state) => {
  const chat = state.chats.target(params.chat_id)
  if (typeof params.action !== 'string' || !CHAT_ACTIONS.has(params.action)) throw badRequest('wrong parameter action in request')
  state.chatActions.push({
    chatId: chat.chat.id,
    action: params.action,
    ...(typeof params.message_thread_id === 'number' ? { threadId: params.message_thread_id } : {}),
    at: Date.now(),
  })
  return true
}

/** `answerCallbackQuery`: once per pushed button press, as Telegram allows. */
export const answerCallbackQuery: BotApiMethod = ({ params }, state) => {
  const id = typeof params.callback_query_id === 'string' ? params.callback_query_id : String(params.callback_query_id ?? '')
  const query = state.callbackQueries.get(id)
  if (!query || query.answered) throw badRequest('query is too old and response timeout expired or query ID is invalid')
  if (typeof params.text === 'string' && params.text.length > MAX_CALLBACK_TEXT_LENGTH) throw badRequest('MESSAGE_TOO_LONG')
  query.answered = true
  state.callbackAnswers.push({
    callbackQueryId: id,
    ...(typeof params.text === 'string' ? { text: params.text } : {}),
    showAlert: params.show_alert === true,
    ...(typeof params.url === 'string' ? { url: params.url } : {}),
    at: Date.now(),
  })
  return true
}

function editable(state: FakeTelegramState, params: Readonly<Record<string, unknown>>, content: 'text' | 'media' | 'any'): MutableBotMessage {
  if (params.inline_message_id !== undefined) throw badRequest('inline messages are not supported by the fake Telegram server')
  const chat = state.chats.target(params.chat_id)
  if (typeof params.message_id !== 'number') throw badRequest('message identifier is not specified')
  const found = state.chats.message(chat.chat.id, params.message_id)
  if (!found || found.sent?.deleted) throw badRequest('message to edit not found')
  if (!found.sent) throw badRequest("message can't be edited")
  if (content === 'text' && found.sent.kind !== 'text') throw badRequest('there is no text in the message to edit')
  if (content === 'media' && found.sent.kind === 'text') throw badRequest('there is no caption in the message to edit')
  return found.sent
}

function sameContent(message: TgMessage, fields: Partial<TgMessage>, replyMarkup: TgInlineKeyboardMarkup | undefined): boolean {
  const current = JSON.stringify([message.text ?? message.caption ?? '', message.entities ?? message.caption_entities ?? [], message.reply_markup ?? null])
  const next = JSON.stringify([fields.text ?? fields.caption ?? '', fields.entities ?? fields.caption_entities ?? [], replyMarkup ?? null])
  return current === next
}

function stripContent(message: TgMessage): TgMessage {
  const { text: _t, entities: _e, caption: _c, caption_entities: _ce, reply_markup: _r, ...rest } = message
  return rest
}

function applyEdit(
  sent: MutableBotMessage,
  edit: { text: string; plainText: string; parseMode: unknown; replyMarkup: TgInlineKeyboardMarkup | undefined },
  message: TgMessage,
): TgMessage {
  const now = Date.now()
  const parseMode = typeof edit.parseMode === 'string' && edit.parseMode ? edit.parseMode : undefined
  const edited: TgMessage = { ...message, edit_date: Math.floor(now / 1000) }
  sent.text = edit.text
  sent.plainText = edit.plainText
  sent.parseMode = parseMode
  sent.replyMarkup = edit.replyMarkup
  sent.message = edited
  sent.edits.push({ text: edit.text, plainText: edit.plainText, ...(parseMode ? { parseMode } : {}), ...(edit.replyMarkup ? { replyMarkup: edit.replyMarkup } : {}), at: now })
  return edited
}

function notModified() {
  return badRequest('message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message')
}
