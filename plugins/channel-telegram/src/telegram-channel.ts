import { isCodedError, type ChannelDefinition, type OutboundMessage } from '@openclaw/plugin-sdk'
import type { Attachment } from '@openclaw/plugin-sdk'
import type { ChannelAccessConfig, ChannelCapabilities, ChannelSendContext, FetchedMedia } from '@openclaw/plugin-sdk/channels'
import { InputFile } from 'grammy'
import type { InlineKeyboardButton, LinkPreviewOptions, ReplyParameters } from 'grammy/types'
import type { IncomingMessage } from 'node:http'
import { downloadFile } from './download-file.js'
import { TG_ERR_ACCOUNT_UNKNOWN, TG_ERR_MEDIA_FETCH, TG_ERR_MEDIA_TOO_LARGE } from './errors.js'
import { CHANNEL_ID } from './map-update.js'
import { TELEGRAM_TEXT_LIMIT, type TelegramAccount } from './resolve-accounts.js'
import { callApi, grammySignal, isEntityParseError, isNotModified } from './telegram-api.js'
import type { TelegramAccountRuntime } from './telegram-account.js'

/** Telegram's limit on a media caption. */
const CAPTION_LIMIT = 1024
/** The Bot API's upload limit for bots. */
const UPLOAD_LIMIT = 50 * 1024 * 1024
/** Telegram's quiet window for inbound text batching (OpenClaw's default). */
export const TELEGRAM_DEBOUNCE_MS = 300
/** Telegram's limits: about 30 messages a second per bot, about one a second per chat (bursts pass). */
export const DEFAULT_RATE_LIMIT = { perSecond: 25, burst: 30, perChat: { perSecond: 1, burst: 3 } } as const
/** A send, edit or chat action gives up after this long (the outbox retries it). */
const CALL_TIMEOUT_MS = 30_000

/** HTML as Telegram would show it, for a resend without `parse_mode` when Telegram refuses our HTML. */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&(lt|gt|quot|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[e] ?? _)
}

/** Rows of buttons as an inline keyboard: `data` → callback_data (at most 64 bytes), `url` → a link. */
export function inlineKeyboard(buttons: OutboundMessage['buttons']): { inline_keyboard: InlineKeyboardButton[][] } | undefined {
  if (!buttons || buttons.length === 0) return undefined
  return {
    inline_keyboard: buttons.map((row) =>
      row.map((b): InlineKeyboardButton => (b.url ? { text: b.text, url: b.url } : { text: b.text, callback_data: Buffer.from(b.data ?? b.text).subarray(0, 64).toString() })),
    ),
  }
}

/** A topic's `message_thread_id`; the General topic (1) is sent without one (Telegram refuses it). */
function threadOf(threadId: string | undefined, forTyping = false): { message_thread_id?: number } {
  if (!threadId || !/^\d+$/.test(threadId)) return {}
  if (threadId === '1' && !forTyping) return {}
  return { message_thread_id: Number(threadId) }
}

function signalOf(ctx: ChannelSendContext | undefined) {
  return grammySignal(ctx ? AbortSignal.any([ctx.signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]) : AbortSignal.timeout(CALL_TIMEOUT_MS))
}

function inputFileOf(attachment: Attachment): InputFile | string {
  if (attachment.data !== undefined) return new InputFile(Buffer.from(attachment.data, 'base64'), attachment.name ?? (attachment.kind === 'image' ? 'image.jpg' : 'file'))
  return attachment.url ?? ''
}

export interface TelegramChannelDeps {
  /** The configured accounts (known at register). */
  readonly accounts: readonly TelegramAccount[]
  /** A started account by id (`undefined` before start or for an unknown id). */
  readonly runtime: (accountId: string | undefined) => TelegramAccountRuntime | undefined
  /** The delivery worker's token buckets (`channels.telegram.rateLimit`). */
  readonly rateLimit?: ChannelCapabilities['rateLimit']
  /** Why an account could not start (no token…), if it could not. */
  readonly blocked?: (accountId: string) => { readonly message: string; readonly at: number } | undefined
}

/**
 * The Telegram channel: HTML text (the core renders markdown to Telegram's HTML subset and splits it
 * at `textChunkLimit`), photos and documents with captions, inline keyboards, edits for streaming,
 * typing, replies per `replyToMode`, inbound media through `getFile` + download.
 */
export function createTelegramChannel(deps: TelegramChannelDeps): ChannelDefinition {
  const settings = (accountId: string) => deps.accounts.find((a) => a.id === accountId)
  const runtime = (accountId: string | undefined): TelegramAccountRuntime => {
    const found = deps.runtime(accountId)
    if (!found) throw Object.assign(new TG_ERR_ACCOUNT_UNKNOWN(accountId ?? 'default'), { permanent: false })
    return found
  }
  const capabilities: ChannelCapabilities = {
    text: { maxLength: Math.min(TELEGRAM_TEXT_LIMIT, ...deps.accounts.map((a) => a.textChunkLimit)), format: 'html' },
    // One Bot API call per outbox row: a retried (or in-doubt) row repeats one message, never the photo before it.
    media: { kinds: ['image', 'file', 'audio', 'video'], maxBytes: Math.min(UPLOAD_LIMIT, ...deps.accounts.map((a) => a.mediaMaxBytes)), perMessage: 1, captionMaxLength: CAPTION_LIMIT },
    buttons: true,
    edit: true,
    delete: true,
    typing: true,
    replyTo: true,
    threads: true,
    rateLimit: deps.rateLimit ?? DEFAULT_RATE_LIMIT,
  }

  async function sendText(account: TelegramAccountRuntime, message: OutboundMessage, text: string, extra: Record<string, unknown>, signal: ReturnType<typeof signalOf>): Promise<number> {
    const linkPreview: LinkPreviewOptions = { is_disabled: !account.settings.linkPreview }
    try {
      const sent = await callApi('sendMessage', () => account.api.sendMessage(message.to, text, { parse_mode: 'HTML', link_preview_options: linkPreview, ...extra }, signal))
      return sent.message_id
    } catch (err) {
      if (!isEntityParseError(err)) throw err
      const sent = await callApi('sendMessage', () => account.api.sendMessage(message.to, htmlToPlain(text), { link_preview_options: linkPreview, ...extra }, signal))
      return sent.message_id
    }
  }

  async function sendMedia(account: TelegramAccountRuntime, message: OutboundMessage, attachment: Attachment, caption: string | undefined, extra: Record<string, unknown>, signal: ReturnType<typeof signalOf>): Promise<number> {
    const other = { ...(caption ? { caption, parse_mode: 'HTML' as const } : {}), ...extra }
    const file = inputFileOf(attachment)
    const sent = attachment.kind === 'image'
      ? await callApi('sendPhoto', () => account.api.sendPhoto(message.to, file, other, signal))
      : await callApi('sendDocument', () => account.api.sendDocument(message.to, file, other, signal))
    return sent.message_id
  }

  return {
    id: CHANNEL_ID,
    label: 'Telegram',
    capabilities,
    // OpenClaw's default: quick texts of one sender within 300 ms are one turn (`messages.inbound.*` overrides it).
    inbound: { debounceMs: TELEGRAM_DEBOUNCE_MS },
    async send(message, ctx) {
      const account = runtime(message.accountId)
      const signal = signalOf(ctx)
      const thread = threadOf(message.threadId)
      const reply: { reply_parameters?: ReplyParameters } = message.replyToId && /^\d+$/.test(message.replyToId) ? { reply_parameters: { message_id: Number(message.replyToId), allow_sending_without_reply: true } } : {}
      const keyboard = inlineKeyboard(message.buttons)
      const markup = keyboard ? { reply_markup: keyboard } : {}
      const text = message.text.trim()
      const attachments = message.attachments ?? []
      let first: number | undefined
      // Media first; the text rides as the caption of the first one when it fits.
      const caption = attachments.length > 0 && text !== '' && htmlToPlain(text).length <= CAPTION_LIMIT ? text : undefined
      const textAfter = text !== '' && caption === undefined
      for (const [i, attachment] of attachments.entries()) {
        const last = i === attachments.length - 1
        const id = await sendMedia(account, message, attachment, i === 0 ? caption : undefined, { ...thread, ...(i === 0 ? reply : {}), ...(last && !textAfter ? markup : {}) }, signal)
        first ??= id
      }
      if (textAfter || (attachments.length === 0 && text !== '')) {
        const id = await sendText(account, message, text, { ...thread, ...(first === undefined ? reply : {}), ...markup }, signal)
        first ??= id
      }
      if (first === undefined) return { messageId: '' } // nothing to show (an empty reply)
      return { messageId: String(first) }
    },
    async edit(target, ctx) {
      const account = runtime(target.accountId)
      const signal = signalOf(ctx)
      const linkPreview: LinkPreviewOptions = { is_disabled: !account.settings.linkPreview }
      try {
        await callApi('editMessageText', () => account.api.editMessageText(target.to, Number(target.messageId), target.text, { parse_mode: 'HTML', link_preview_options: linkPreview }, signal))
      } catch (err) {
        if (isNotModified(err)) return
        if (!isEntityParseError(err)) throw err
        await callApi('editMessageText', () => account.api.editMessageText(target.to, Number(target.messageId), htmlToPlain(target.text), { link_preview_options: linkPreview }, signal)).catch((again: unknown) => {
          if (!isNotModified(again)) throw again
        })
      }
    },
    async delete(target, ctx) {
      const account = runtime(target.accountId)
      await callApi('deleteMessage', () => account.api.deleteMessage(target.to, Number(target.messageId), signalOf(ctx)))
    },
    async typing(target) {
      const account = runtime(target.accountId)
      await callApi('sendChatAction', () => account.api.sendChatAction(target.to, 'typing', threadOf(target.threadId, true), signalOf(undefined)))
    },
    async answerButton(press) {
      const account = runtime(press.accountId)
      await callApi('answerCallbackQuery', () => account.api.answerCallbackQuery(press.callbackId, press.text ? { text: press.text } : {}, signalOf(undefined)))
    },
    async fetchMedia(ref, options): Promise<FetchedMedia> {
      const account = runtime(options.accountId)
      const limit = Math.min(options.maxBytes, account.settings.mediaMaxBytes)
      const file = await callApi('getFile', () => account.api.getFile(ref, grammySignal(options.signal)))
      if (file.file_size !== undefined && file.file_size > limit) throw new TG_ERR_MEDIA_TOO_LARGE(file.file_size, limit)
      if (!file.file_path) throw new TG_ERR_MEDIA_FETCH('getFile gave no file_path')
      // The URL carries the token: only a failure's kind is kept. Through the proxy, if there is one.
      const failure = (err: unknown) => new TG_ERR_MEDIA_FETCH((err as { code?: string }).code ?? (err as Error).name)
      let res: IncomingMessage
      try {
        res = await downloadFile(account.fileUrl(file.file_path), { agent: account.agent, signal: options.signal })
      } catch (err) {
        throw failure(err)
      }
      const status = res.statusCode ?? 0
      if (status < 200 || status > 299) {
        res.destroy()
        throw new TG_ERR_MEDIA_FETCH(`the file server answered ${status}`)
      }
      const length = Number(res.headers['content-length'] ?? 0)
      if (length > limit) {
        res.destroy()
        throw new TG_ERR_MEDIA_TOO_LARGE(length, limit)
      }
      const chunks: Uint8Array[] = []
      let total = 0
      try {
        for await (const chunk of res as AsyncIterable<Buffer>) {
          total += chunk.byteLength
          if (total > limit) {
            res.destroy()
            throw new TG_ERR_MEDIA_TOO_LARGE(total, limit)
          }
          chunks.push(chunk)
        }
      } catch (err) {
        if (isCodedError(err)) throw err
        throw failure(err)
      }
      return { data: Buffer.concat(chunks) }
    },
    access(accountId: string): ChannelAccessConfig | undefined {
      return settings(accountId)?.access
    },
    streaming(accountId: string) {
      return settings(accountId)?.streaming ?? 'partial'
    },
    replyToMode(accountId: string) {
      return settings(accountId)?.replyToMode ?? 'off'
    },
    status() {
      return deps.accounts.map((a) => {
        const state = deps.runtime(a.id)?.state
        const blocked = deps.blocked?.(a.id)
        if (blocked) return { accountId: a.id, lastError: blocked }
        return {
          accountId: a.id,
          ...(state?.lastProgressAt !== undefined ? { lastReceiveAt: state.lastProgressAt } : {}),
          ...(state?.polling && state.staleAfterMs !== undefined ? { staleAfterMs: state.staleAfterMs } : {}),
          ...(state?.lastError ? { lastError: state.lastError } : {}),
        }
      })
    },
  }
}
