import { randomBytes } from 'node:crypto'
import type { Attachment } from '@openclaw/plugin-sdk'
import type { ResponsesConfig } from './openai-endpoints-config.js'
import { checkMediaUrl } from './check-media-url.js'
import { invalidParam } from './openai-error.js'
import { base64Bytes, isBase64, parseDataUrl } from './parse-data-url.js'
import type { ResponsesMediaPart } from './responses-request.js'

/** File types whose text goes into the prompt; other accepted types (PDF) are passed to the model as files. */
const TEXT_TYPES = new Set(['text/plain', 'text/markdown', 'text/html', 'text/csv', 'application/json'])

const EXTENSION_TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  csv: 'text/csv',
  json: 'application/json',
  pdf: 'application/pdf',
}

/** What the current turn's media turn into. */
export interface ResponsesMedia {
  readonly attachments: Attachment[]
  /** Text files, each wrapped as external, untrusted content, for the run's instructions. */
  readonly fileTexts: string[]
}

function mimeFromName(filename: string | undefined): string | undefined {
  const ext = filename?.split('.').pop()?.toLowerCase()
  return ext ? EXTENSION_TYPES[ext] : undefined
}

/** `data` as base64 + MIME type: from a data: URL, or bare base64 with a type given or guessed from the name. */
function decodeInline(part: ResponsesMediaPart): { data: string; mimeType: string | undefined; bytes: number } {
  const data = part.data!
  if (data.startsWith('data:')) {
    const parsed = parseDataUrl(data)
    if (parsed === undefined || parsed === 'not-base64') throw invalidParam(part.param, 'data: URLs must be base64-encoded (data:<mime>;base64,<data>)')
    const generic = parsed.mimeType === 'application/octet-stream'
    return { data: parsed.data, mimeType: generic ? mimeFromName(part.filename) ?? parsed.mimeType : parsed.mimeType, bytes: parsed.bytes }
  }
  const bare = data.replace(/\s+/g, '')
  if (!isBase64(bare)) throw invalidParam(part.param, 'expected base64 data')
  return { data: bare, mimeType: part.mimeType?.toLowerCase() ?? mimeFromName(part.filename), bytes: base64Bytes(bare) }
}

/** Wrap text the caller supplied so the model treats it as data, not as instructions. */
export function wrapUntrusted(text: string, source: string): string {
  const id = randomBytes(6).toString('hex')
  return [`<<<EXTERNAL_UNTRUSTED_CONTENT id="${id}">>>`, `Source: ${source}`, '---', text, `<<<END_EXTERNAL_UNTRUSTED_CONTENT id="${id}">>>`].join('\n')
}

/**
 * The current turn's `input_image`/`input_file` parts, within the configured limits. Images and PDFs
 * become attachments; text files (plain, markdown, HTML, CSV, JSON) become wrapped text for the
 * instructions, cut at `files.maxChars`. URLs are passed on (never fetched by the gateway), at most
 * `maxUrlParts` of them, and only when the kind's `allowUrl` is set.
 */
export function toResponsesMedia(parts: readonly ResponsesMediaPart[], config: ResponsesConfig): ResponsesMedia {
  const attachments: Attachment[] = []
  const fileTexts: string[] = []
  let urls = 0
  for (const part of parts) {
    const limits = part.kind === 'image' ? config.images : config.files
    if (part.url !== undefined) {
      // The model APIs take files inline only; a file URL would reach no model.
      if (part.kind === 'file') throw invalidParam(part.param, 'input_file by URL is not supported: the gateway does not fetch URLs and model providers take files inline; send file_data (base64)')
      checkMediaUrl(part.url, part.param)
      if (!limits.allowUrl) throw invalidParam(part.param, `${part.kind} URLs are not accepted here; send the ${part.kind} inline as base64`)
      if (++urls > config.maxUrlParts) throw invalidParam(part.param, `at most ${config.maxUrlParts} URL parts per request`)
      attachments.push({ kind: part.kind, url: part.url, ...(part.filename ? { name: part.filename } : {}) })
      continue
    }
    const inline = decodeInline(part)
    const mimeType = inline.mimeType
    if (mimeType === undefined || !limits.mimeTypes.includes(mimeType)) {
      throw invalidParam(part.param, `${part.kind} type '${mimeType ?? 'unknown'}' is not accepted (accepted: ${limits.mimeTypes.join(', ')})`)
    }
    if (inline.bytes > limits.maxBytes) throw invalidParam(part.param, `${part.kind} is larger than ${limits.maxBytes} bytes`)
    if (part.kind === 'file' && TEXT_TYPES.has(mimeType)) {
      let text = Buffer.from(inline.data, 'base64').toString('utf8')
      const max = config.files.maxChars
      if (text.length > max) text = `${text.slice(0, max)}\n[… cut at ${max} characters]`
      fileTexts.push(wrapUntrusted(text, `file ${JSON.stringify(part.filename ?? 'unnamed')} (${mimeType})`))
      continue
    }
    attachments.push({ kind: part.kind, data: inline.data, mimeType, ...(part.filename ? { name: part.filename } : {}) })
  }
  return { attachments, fileTexts }
}
