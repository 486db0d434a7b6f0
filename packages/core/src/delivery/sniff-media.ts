import type { MediaKind } from '../types/messages.js'

/** Magic numbers of the media chat apps take, checked in order. */
const SIGNATURES: readonly { readonly mime: string; readonly at?: number; readonly bytes: readonly number[]; readonly also?: { at: number; bytes: readonly number[] } }[] = [
  { mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { mime: 'image/webp', bytes: [0x52, 0x49, 0x46, 0x46], also: { at: 8, bytes: [0x57, 0x45, 0x42, 0x50] } },
  { mime: 'audio/wav', bytes: [0x52, 0x49, 0x46, 0x46], also: { at: 8, bytes: [0x57, 0x41, 0x56, 0x45] } },
  { mime: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mime: 'audio/ogg', bytes: [0x4f, 0x67, 0x67, 0x53] },
  { mime: 'audio/mpeg', bytes: [0x49, 0x44, 0x33] },
  { mime: 'video/mp4', at: 4, bytes: [0x66, 0x74, 0x79, 0x70] },
  { mime: 'video/webm', bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { mime: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
]

function matches(data: Uint8Array, at: number, bytes: readonly number[]): boolean {
  if (data.length < at + bytes.length) return false
  return bytes.every((b, i) => data[at + i] === b)
}

/**
 * The content type of a file from its first bytes (never from its name or a claimed type): the
 * media the channels send, else `text/plain` for valid UTF-8 without control bytes, else
 * `application/octet-stream`.
 */
export function sniffMediaType(data: Uint8Array): string {
  for (const sig of SIGNATURES) {
    if (matches(data, sig.at ?? 0, sig.bytes) && (!sig.also || matches(data, sig.also.at, sig.also.bytes))) return sig.mime
  }
  const head = data.subarray(0, 4096)
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(head)
    // eslint-disable-next-line no-control-regex -- control bytes are what marks a binary file
    if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) return 'text/plain'
  } catch {
    // not UTF-8
  }
  return 'application/octet-stream'
}

/** The kind a content type sends as. */
export function mediaKindOf(mimeType: string): MediaKind {
  const top = mimeType.split('/')[0]
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'file'
}
