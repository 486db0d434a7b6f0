import type { IncomingHttpHeaders } from 'node:http'
import { badRequest } from './bot-api-error.js'
import { parseMultipart } from './parse-multipart.js'

/** A file uploaded in a `multipart/form-data` request. */
export interface UploadedFile {
  readonly fileName: string
  readonly contentType?: string
  readonly data: Buffer
}

/** The parameters of one Bot API call, whatever the encoding, and its uploaded files by part name. */
export interface CallParams {
  readonly params: Record<string, unknown>
  readonly files: ReadonlyMap<string, UploadedFile>
}

// Telegram reads these as JSON when they arrive as a form field or a query parameter.
const JSON_FIELDS = new Set([
  'reply_markup',
  'reply_parameters',
  'link_preview_options',
  'allowed_updates',
  'entities',
  'caption_entities',
  'commands',
  'scope',
  'media',
])
const NUMBER_FIELDS = new Set([
  'chat_id',
  'message_id',
  'message_thread_id',
  'reply_to_message_id',
  'offset',
  'limit',
  'timeout',
  'max_connections',
  'cache_time',
  'from_chat_id',
  'user_id',
  'width',
  'height',
])
const BOOLEAN_FIELDS = new Set([
  'show_alert',
  'disable_web_page_preview',
  'disable_notification',
  'protect_content',
  'drop_pending_updates',
  'allow_sending_without_reply',
  'has_spoiler',
  'disable_content_type_detection',
  'show_caption_above_media',
])

/**
 * The parameters of a Bot API request: the query string merged with a JSON,
 * `application/x-www-form-urlencoded` or `multipart/form-data` body, as Telegram accepts them.
 * Form and query values are strings on the wire: the JSON, number and boolean fields Telegram knows
 * are converted, so every method sees the same shapes. Throws a `400` on a body it cannot read.
 */
export function parseParams(url: URL, headers: IncomingHttpHeaders, body: Buffer): CallParams {
  const params: Record<string, unknown> = {}
  const files = new Map<string, UploadedFile>()
  for (const [key, value] of url.searchParams) params[key] = value
  const contentType = (headers['content-type'] ?? '').toLowerCase()
  if (body.length > 0 || contentType !== '') {
    if (contentType.startsWith('application/json')) {
      const text = body.toString('utf8').trim()
      if (text !== '') {
        let parsed: unknown
        try {
          parsed = JSON.parse(text)
        } catch {
          throw badRequest("can't parse JSON object")
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest("can't parse JSON object")
        Object.assign(params, parsed)
      }
    } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
      for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = value
    } else if (contentType.startsWith('multipart/form-data')) {
      const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(headers['content-type'] ?? '')
      const value = boundary?.[1] ?? boundary?.[2]
      if (!value) throw badRequest('multipart/form-data without a boundary')
      for (const part of parseMultipart(body, value)) {
        if (part.fileName !== undefined) {
          files.set(part.name, { fileName: part.fileName, ...(part.contentType ? { contentType: part.contentType } : {}), data: part.data })
        } else {
          params[part.name] = part.data.toString('utf8')
        }
      }
    } else if (body.length > 0) {
      throw badRequest(`unsupported Content-Type ${contentType || '(none)'}`)
    }
  }
  return { params: normalize(params), files }
}

function normalize(params: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'string') continue
    if (JSON_FIELDS.has(key)) {
      try {
        params[key] = JSON.parse(value)
      } catch {
        throw badRequest(`can't parse ${key} JSON object`)
      }
    } else if (NUMBER_FIELDS.has(key) && /^-?\d+$/.test(value.trim())) {
      params[key] = Number(value.trim())
    } else if (BOOLEAN_FIELDS.has(key) && (value === 'true' || value === 'false')) {
      params[key] = value === 'true'
    }
  }
  return params
}
