// The subset of the Telegram Bot API wire types the fake server produces, with Telegram's own
// snake_case field names (https://core.telegram.org/bots/api#available-types). Prefixed `Tg` so they
// never clash with a plugin's own names or grammY's.

/** https://core.telegram.org/bots/api#user */
export interface TgUser {
  readonly id: number
  readonly is_bot: boolean
  readonly first_name: string
  readonly last_name?: string
  readonly username?: string
  readonly language_code?: string
}

/** The bot's own user, as `getMe` answers it. */
export interface TgBotUser extends TgUser {
  readonly is_bot: true
  readonly username: string
  readonly can_join_groups: boolean
  readonly can_read_all_group_messages: boolean
  readonly supports_inline_queries: boolean
}

/** https://core.telegram.org/bots/api#chat */
export interface TgChat {
  readonly id: number
  readonly type: 'private' | 'group' | 'supergroup' | 'channel'
  readonly title?: string
  readonly username?: string
  readonly first_name?: string
  readonly last_name?: string
  /** `true` for a supergroup with forum topics. */
  readonly is_forum?: true
}

/** https://core.telegram.org/bots/api#messageentity */
export interface TgMessageEntity {
  readonly type: string
  readonly offset: number
  readonly length: number
  readonly url?: string
  readonly user?: TgUser
  readonly language?: string
}

/** https://core.telegram.org/bots/api#inlinekeyboardbutton */
export interface TgInlineKeyboardButton {
  readonly text: string
  readonly callback_data?: string
  readonly url?: string
  readonly [other: string]: unknown
}

/** https://core.telegram.org/bots/api#inlinekeyboardmarkup */
export interface TgInlineKeyboardMarkup {
  readonly inline_keyboard: readonly (readonly TgInlineKeyboardButton[])[]
}

/** https://core.telegram.org/bots/api#photosize */
export interface TgPhotoSize {
  readonly file_id: string
  readonly file_unique_id: string
  readonly width: number
  readonly height: number
  readonly file_size?: number
}

/** https://core.telegram.org/bots/api#document */
export interface TgDocument {
  readonly file_id: string
  readonly file_unique_id: string
  readonly file_name?: string
  readonly mime_type?: string
  readonly file_size?: number
}

/** https://core.telegram.org/bots/api#file */
export interface TgFile {
  readonly file_id: string
  readonly file_unique_id: string
  readonly file_size?: number
  readonly file_path?: string
}

/** https://core.telegram.org/bots/api#linkpreviewoptions */
export interface TgLinkPreviewOptions {
  readonly is_disabled?: boolean
  readonly url?: string
  readonly prefer_small_media?: boolean
  readonly prefer_large_media?: boolean
  readonly show_above_text?: boolean
}

/** https://core.telegram.org/bots/api#message (the fields the fake server fills). */
export interface TgMessage {
  readonly message_id: number
  readonly message_thread_id?: number
  readonly from?: TgUser
  readonly chat: TgChat
  /** Unix seconds. */
  readonly date: number
  /** Unix seconds, set once the message was edited. */
  readonly edit_date?: number
  readonly is_topic_message?: true
  readonly reply_to_message?: TgMessage
  readonly text?: string
  readonly entities?: readonly TgMessageEntity[]
  readonly caption?: string
  readonly caption_entities?: readonly TgMessageEntity[]
  /** The album this message is a part of (each part arrives as its own update). */
  readonly media_group_id?: string
  readonly photo?: readonly TgPhotoSize[]
  readonly document?: TgDocument
  readonly reply_markup?: TgInlineKeyboardMarkup
  readonly link_preview_options?: TgLinkPreviewOptions
  /** Service message: a forum topic was created (its `message_id` is the topic's thread id). */
  readonly forum_topic_created?: { readonly name: string; readonly icon_color: number }
}

/** https://core.telegram.org/bots/api#callbackquery */
export interface TgCallbackQuery {
  readonly id: string
  readonly from: TgUser
  readonly message?: TgMessage
  readonly chat_instance: string
  readonly data?: string
}

/**
 * https://core.telegram.org/bots/api#update: `update_id` plus exactly one other field, which is the
 * update's type (`message`, `edited_message`, `callback_query`, …).
 */
export interface TgUpdate {
  readonly update_id: number
  readonly message?: TgMessage
  readonly edited_message?: TgMessage
  readonly channel_post?: TgMessage
  readonly callback_query?: TgCallbackQuery
  readonly [type: string]: unknown
}

/** https://core.telegram.org/bots/api#webhookinfo */
export interface TgWebhookInfo {
  readonly url: string
  readonly has_custom_certificate: boolean
  readonly pending_update_count: number
  readonly last_error_date?: number
  readonly last_error_message?: string
  readonly max_connections?: number
  readonly allowed_updates?: readonly string[]
}

/** https://core.telegram.org/bots/api#responseparameters */
export interface TgResponseParameters {
  readonly retry_after?: number
  readonly migrate_to_chat_id?: number
}

/** The body of every Bot API answer. */
export type TgApiResponse<T = unknown> =
  | { readonly ok: true; readonly result: T }
  | { readonly ok: false; readonly error_code: number; readonly description: string; readonly parameters?: TgResponseParameters }
