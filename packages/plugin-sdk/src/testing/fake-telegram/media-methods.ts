import { badRequest } from './bot-api-error.js'
import type { BotApiMethod, FakeTelegramState, MethodCall } from './fake-telegram-state.js'
import { FileStore, type StoredFile } from './file-store.js'
import { formatText, storeOutgoing } from './outgoing-message.js'
import type { TgDocument, TgPhotoSize } from './telegram-types.js'

const MAX_CAPTION_LENGTH = 1024
/** Telegram lets bots download files up to 20 MB with `getFile`. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
/** Telegram fetches photos by URL up to 5 MB, other files up to 20 MB. */
const MAX_URL_BYTES = { photo: 5 * 1024 * 1024, document: 20 * 1024 * 1024 }
const URL_FETCH_TIMEOUT_MS = 10_000
/** The size reported for photos (the fake server does not decode images). */
const PHOTO_SIZE = { width: 1280, height: 720 }

/** `sendPhoto`: an uploaded file (multipart), an HTTP URL the server fetches, or a known `file_id`. */
export const sendPhoto: BotApiMethod = (call, state) => sendMedia(call, state, 'photo')

/** `sendDocument`: an uploaded file (multipart), an HTTP URL the server fetches, or a known `file_id`. */
export const sendDocument: BotApiMethod = (call, state) => sendMedia(call, state, 'document')

/** `getFile`: the `file_path` to download at `{apiRoot}/file/bot<token>/<file_path>`. */
export const getFile: BotApiMethod = ({ params }, state) => {
  const file = typeof params.file_id === 'string' ? state.files.get(params.file_id) : undefined
  if (!file) throw badRequest('invalid file_id')
  if (file.bytes.length > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big')
  return FileStore.toTgFile(file)
}

async function sendMedia(call: MethodCall, state: FakeTelegramState, field: 'photo' | 'document') {
  const { params } = call
  const chat = state.chats.target(params.chat_id)
  const caption = typeof params.caption === 'string' ? params.caption : ''
  const parsed = formatText(caption, params.parse_mode)
  if (parsed.text.length > MAX_CAPTION_LENGTH) throw badRequest('message caption is too long')
  const file = await resolveInput(call, state, field)
  const media =
    field === 'photo'
      ? { photo: [photoSize(file)] as readonly TgPhotoSize[] }
      : { document: documentOf(file) }
  return storeOutgoing(state, chat, params, {
    kind: field,
    text: caption,
    parsed,
    ...(typeof params.parse_mode === 'string' && params.parse_mode ? { parseMode: params.parse_mode } : {}),
    file,
    media,
  })
}

/** The file a `photo`/`document` parameter names. */
async function resolveInput(call: MethodCall, state: FakeTelegramState, field: 'photo' | 'document'): Promise<StoredFile> {
  const value = call.params[field]
  const folder = field === 'photo' ? 'photos' : 'documents'
  const attached = typeof value === 'string' && value.startsWith('attach://') ? call.files.get(value.slice('attach://'.length)) : call.files.get(field)
  if (attached) {
    return state.files.add(folder, attached.data, {
      fileName: attached.fileName,
      ...(attached.contentType && attached.contentType !== 'application/octet-stream' ? { mimeType: attached.contentType } : {}),
    })
  }
  if (typeof value !== 'string' || value === '') throw badRequest(`there is no ${field} in the request`)
  if (/^https?:\/\//i.test(value)) return fetchUrl(value, state, folder, MAX_URL_BYTES[field], call.closed)
  const known = state.files.get(value)
  if (!known) throw badRequest('wrong file identifier/HTTP URL specified')
  return known
}

async function fetchUrl(url: string, state: FakeTelegramState, folder: string, limit: number, closed: AbortSignal): Promise<StoredFile> {
  try {
    const response = await fetch(url, { signal: AbortSignal.any([closed, AbortSignal.timeout(URL_FETCH_TIMEOUT_MS)]) })
    if (!response.ok) throw new Error(`status ${response.status}`)
    const bytes = Buffer.from(await response.arrayBuffer())
    if (bytes.length > limit) throw new Error('too big')
    const fileName = decodeURIComponent(new URL(url).pathname.split('/').at(-1) ?? '') || undefined
    const mimeType = response.headers.get('content-type')?.split(';')[0]?.trim() || undefined
    return state.files.add(folder, bytes, { ...(fileName ? { fileName } : {}), ...(mimeType ? { mimeType } : {}) })
  } catch {
    throw badRequest('failed to get HTTP URL content')
  }
}

function photoSize(file: StoredFile): TgPhotoSize {
  return { file_id: file.fileId, file_unique_id: file.fileUniqueId, ...PHOTO_SIZE, file_size: file.bytes.length }
}

function documentOf(file: StoredFile): TgDocument {
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    ...(file.fileName ? { file_name: file.fileName } : {}),
    ...(file.mimeType ? { mime_type: file.mimeType } : {}),
    file_size: file.bytes.length,
  }
}
