/** A `data:` URL's parts. */
export interface DataUrl {
  readonly mimeType: string
  /** Base64 payload, without whitespace. */
  readonly data: string
  /** Decoded size. */
  readonly bytes: number
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),/i
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Decoded size of a base64 string. */
export function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding)
}

/** True when `data` is plain (padded or unpadded) base64. */
export function isBase64(data: string): boolean {
  return BASE64.test(data)
}

/**
 * Parse a `data:<mime>;base64,<data>` URL. `undefined` when `url` is not a data URL; `'not-base64'`
 * when it is one, but not base64-encoded (or the payload is not valid base64).
 */
export function parseDataUrl(url: string): DataUrl | 'not-base64' | undefined {
  const match = DATA_URL.exec(url)
  if (!match) return undefined
  const params = match[2]!.toLowerCase().split(';')
  if (!params.includes('base64')) return 'not-base64'
  const data = url.slice(match[0].length).replace(/\s+/g, '')
  if (!isBase64(data)) return 'not-base64'
  return { mimeType: (match[1] || 'application/octet-stream').toLowerCase(), data, bytes: base64Bytes(data) }
}
