import type { BotApiMethod } from './fake-telegram-state.js'
import { deleteMyCommands, getMyCommands, setMyCommands } from './command-methods.js'
import { getFile, sendDocument, sendPhoto } from './media-methods.js'
import { answerCallbackQuery, deleteMessage, editMessageCaption, editMessageReplyMarkup, editMessageText, sendChatAction, sendMessage } from './message-methods.js'
import { deleteWebhook, getMe, getUpdates, getWebhookInfo, setWebhook } from './polling-methods.js'

/** The Bot API methods the fake server implements, by name. Telegram matches names case-insensitively. */
const METHODS: Readonly<Record<string, BotApiMethod>> = {
  getMe,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  sendMessage,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  deleteMessage,
  sendChatAction,
  sendPhoto,
  sendDocument,
  getFile,
  answerCallbackQuery,
  // Accepted and forgotten: bots commonly call these at start-up.
  setMyCommands,
  deleteMyCommands,
  getMyCommands,
}

const BY_LOWER_CASE_NAME = new Map(Object.entries(METHODS).map(([name, method]) => [name.toLowerCase(), { name, method }]))

/** The method called `name` (any case), with its canonical name; `undefined` answers `404 Not Found`. */
export function findMethod(name: string): { readonly name: string; readonly method: BotApiMethod } | undefined {
  return BY_LOWER_CASE_NAME.get(name.toLowerCase())
}
