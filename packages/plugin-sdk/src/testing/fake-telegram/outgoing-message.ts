import { badRequest } from './bot-api-error.js'
import type { ChatState, MutableBotMessage } from './chat-store.js'
import type { FakeTelegramState } from './fake-telegram-state.js'
import type { StoredFile } from './file-store.js'
import { parseTelegramHtml, type ParsedText } from './parse-telegram-html.js'
import type { TgInlineKeyboardMarkup, TgLinkPreviewOptions, TgMessage, TgMessageEntity } from './telegram-types.js'

const PARSE_MODES = new Set(['HTML', 'MarkdownV2', 'Markdown'])

/** Text after `parse_mode`, or Telegram's `can't parse entities` error. Only HTML is parsed. */
export function formatText(text: string, parseMode: unknown): ParsedText {
  if (parseMode === undefined || parseMode === '') return { text, entities: [] }
  if (typeof parseMode !== 'string' || !PARSE_MODES.has(parseMode)) throw badRequest(`unsupported parse_mode`)
  return parseMode === 'HTML' ? parseTelegramHtml(text) : { text, entities: [] }
}

/** The inline keyboard of `reply_markup`, checked as Telegram checks it; other keyboards are accepted and not kept. */
export function inlineKeyboard(replyMarkup: unknown): TgInlineKeyboardMarkup | undefined {
  if (replyMarkup === undefined || replyMarkup === null) return undefined
  if (typeof replyMarkup !== 'object') throw badRequest("can't parse reply keyboard markup JSON object")
  const rows = (replyMarkup as { inline_keyboard?: unknown }).inline_keyboard
  if (rows === undefined) return undefined
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) throw badRequest('field "inline_keyboard" must be an Array of Arrays')
  for (const row of rows as unknown[][]) {
    for (const button of row) {
      if (!button || typeof button !== 'object' || typeof (button as { text?: unknown }).text !== 'string') throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
      const data = (button as { callback_data?: unknown }).callback_data
      if (data !== undefined && (typeof data !== 'string' || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64)) throw badRequest('BUTTON_DATA_INVALID')
    }
  }
  return replyMarkup as TgInlineKeyboardMarkup
}

/** Whether `link_preview_options` or `disable_web_page_preview` turn the preview off. */
export function linkPreview(params: Readonly<Record<string, unknown>>): { options?: TgLinkPreviewOptions; disabled: boolean } {
  const options = params.link_preview_options as TgLinkPreviewOptions | undefined
  if (options && typeof options === 'object') return { options, disabled: options.is_disabled === true }
  return params.disable_web_page_preview === true ? { options: { is_disabled: true }, disabled: true } : { disabled: false }
}

interface OutgoingContent {
  readonly kind: MutableBotMessage['kind']
  readonly text: string
  readonly parsed: ParsedText
  readonly parseMode?: string
  readonly file?: StoredFile
  readonly media?: Pick<TgMessage, 'photo' | 'document'>
}

/**
 * Store a message the bot sends to `chat` (reply target, thread, keyboard and link preview read from
 * `params`), and return the Message object Telegram answers with.
 */
export function storeOutgoing(state: FakeTelegramState, chat: ChatState, params: Readonly<Record<string, unknown>>, content: OutgoingContent): TgMessage {
  const replyParameters = params.reply_parameters as { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined
  const replyTo = typeof replyParameters?.message_id === 'number' ? replyParameters.message_id : typeof params.reply_to_message_id === 'number' ? params.reply_to_message_id : undefined
  const allowWithoutReply = replyParameters?.allow_sending_without_reply === true || params.allow_sending_without_reply === true
  const replied = replyTo === undefined ? undefined : state.chats.message(chat.chat.id, replyTo)
  if (replyTo !== undefined && !replied && !allowWithoutReply) throw badRequest('message to be replied not found')
  const threadId = typeof params.message_thread_id === 'number' ? params.message_thread_id : undefined
  const replyMarkup = inlineKeyboard(params.reply_markup)
  const preview = content.kind === 'text' ? linkPreview(params) : { disabled: false }
  const messageId = state.chats.nextMessageId(chat.chat.id)
  const now = Date.now()
  const message: TgMessage = {
    message_id: messageId,
    ...(threadId !== undefined ? { message_thread_id: threadId } : {}),
    from: state.bot,
    chat: chat.chat,
    date: Math.floor(now / 1000),
    ...(threadId !== undefined && chat.chat.is_forum ? { is_topic_message: true as const } : {}),
    ...(replied ? { reply_to_message: withoutReply(replied.sent?.message ?? replied.message) } : {}),
    ...textFields(content.kind, content.parsed),
    ...content.media,
    ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    ...(preview.options ? { link_preview_options: preview.options } : {}),
  }
  const sent: MutableBotMessage = {
    chatId: chat.chat.id,
    messageId,
    ...(threadId !== undefined ? { threadId } : {}),
    kind: content.kind,
    text: content.text,
    plainText: content.parsed.text,
    ...(content.parseMode ? { parseMode: content.parseMode } : {}),
    ...(replyMarkup ? { replyMarkup } : {}),
    ...(replied ? { replyToMessageId: replyTo } : {}),
    linkPreviewDisabled: preview.disabled,
    ...(content.file ? { file: content.file } : {}),
    edits: [],
    originalText: content.text,
    deleted: false,
    sentAt: now,
    message,
  }
  state.chats.store(message, sent)
  return message
}

/** `text`/`entities` for a text message, `caption`/`caption_entities` for media. */
export function textFields(kind: MutableBotMessage['kind'], parsed: ParsedText): Partial<TgMessage> {
  const entities: readonly TgMessageEntity[] | undefined = parsed.entities.length > 0 ? parsed.entities : undefined
  if (kind === 'text') return { text: parsed.text, ...(entities ? { entities } : {}) }
  if (parsed.text === '') return {}
  return { caption: parsed.text, ...(entities ? { caption_entities: entities } : {}) }
}

/** A replied-to message as Telegram nests it: without its own `reply_to_message`. */
export function withoutReply(message: TgMessage): TgMessage {
  const { reply_to_message: _ignored, ...rest } = message
  return rest
}
