import { badRequest } from './bot-api-error.js'

/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  readonly name: string
  /** Set when the part is a file upload. */
  readonly fileName?: string
  readonly contentType?: string
  readonly data: Buffer
}

/**
 * Split a `multipart/form-data` body into its parts (RFC 7578). Accepts what grammY sends (lower-case
 * headers without a space, an unquoted `filename=`) as well as what browsers and `FormData` send.
 * Throws a `400` {@link BotApiError} on a body that does not follow the boundary.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: MultipartPart[] = []
  let position = body.indexOf(delimiter)
  if (position === -1) throw badRequest('invalid multipart/form-data body')
  for (;;) {
    position += delimiter.length
    // `--` after a delimiter closes the body.
    if (body[position] === 0x2d && body[position + 1] === 0x2d) return parts
    if (body[position] === 0x0d && body[position + 1] === 0x0a) position += 2
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), position)
    if (next === -1) throw badRequest('invalid multipart/form-data body: no closing boundary')
    parts.push(parsePart(body.subarray(position, next)))
    position = next + 2
  }
}

function parsePart(raw: Buffer): MultipartPart {
  const headerEnd = raw.indexOf('\r\n\r\n')
  if (headerEnd === -1) throw badRequest('invalid multipart/form-data part: no header')
  const headers = new Map<string, string>()
  for (const line of raw.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const disposition = headers.get('content-disposition') ?? ''
  const name = dispositionParameter(disposition, 'name')
  if (name === undefined) throw badRequest('invalid multipart/form-data part: no name')
  const fileName = dispositionParameter(disposition, 'filename')
  const contentType = headers.get('content-type')
  return {
    name,
    ...(fileName === undefined ? {} : { fileName }),
    ...(contentType === undefined ? {} : { contentType }),
    data: raw.subarray(headerEnd + 4),
  }
}

/** `name="x"`, `name=x` in a Content-Disposition header. */
function dispositionParameter(disposition: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i').exec(disposition)
  if (!match) return undefined
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? '').trim()
}
