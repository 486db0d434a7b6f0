import { randomBytes } from 'node:crypto'
import type { TgFile } from './telegram-types.js'

/** A file the fake server holds: uploaded by the bot, or sent by a test user. */
export interface StoredFile {
  readonly fileId: string
  readonly fileUniqueId: string
  /** The path under `{apiRoot}/file/bot<token>/` where it is downloaded. */
  readonly filePath: string
  readonly fileName?: string
  readonly mimeType?: string
  readonly bytes: Buffer
}

const EXTENSION_OF_MIME: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'audio/ogg': 'oga',
  'video/mp4': 'mp4',
}

/** Files by `file_id` and by download path, as Telegram's file storage. */
export class FileStore {
  private readonly byId = new Map<string, StoredFile>()
  private readonly byPath = new Map<string, StoredFile>()
  private sequence = 0

  /** Store bytes under a new `file_id`, in `folder` (`photos`, `documents`, …) for the download path. */
  add(folder: string, bytes: Buffer, meta: { readonly fileName?: string; readonly mimeType?: string } = {}): StoredFile {
    this.sequence++
    const extension = extensionOf(meta)
    const file: StoredFile = {
      fileId: `AgAC${randomBytes(18).toString('base64url')}`,
      fileUniqueId: `AQAD${this.sequence.toString(36)}${randomBytes(3).toString('hex')}`,
      filePath: `${folder}/file_${this.sequence}${extension ? `.${extension}` : ''}`,
      ...(meta.fileName === undefined ? {} : { fileName: meta.fileName }),
      ...(meta.mimeType === undefined ? {} : { mimeType: meta.mimeType }),
      bytes,
    }
    this.byId.set(file.fileId, file)
    this.byPath.set(file.filePath, file)
    return file
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId)
  }

  atPath(filePath: string): StoredFile | undefined {
    return this.byPath.get(filePath)
  }

  /** The `File` object `getFile` answers. */
  static toTgFile(file: StoredFile): TgFile {
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, file_path: file.filePath }
  }
}

function extensionOf(meta: { readonly fileName?: string; readonly mimeType?: string }): string | undefined {
  const fromName = /\.([A-Za-z0-9]{1,8})$/.exec(meta.fileName ?? '')?.[1]
  return fromName?.toLowerCase() ?? (meta.mimeType ? EXTENSION_OF_MIME[meta.mimeType] : undefined)
}
