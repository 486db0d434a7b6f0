import { CORE_ERR_MEDIA_FETCH, CORE_ERR_MEDIA_TOO_LARGE, CORE_ERR_MEDIA_UNSUPPORTED, CORE_ERR_MEDIA_URL_BLOCKED } from '../errors/codes.js'
import { publicUrlProblem, shownUrl } from '../net/public-address.js'
import type { Attachment, MediaKind } from '../types/messages.js'
import { mediaKindOf, sniffMediaType } from './sniff-media.js'

/** How the delivery worker fetches media given by URL (`delivery.media`). */
export interface RemoteMediaPolicy {
  /** Hosts that may resolve to private addresses (a media server on the LAN, a test server). */
  readonly allowedHostnames: readonly string[]
  /** For the whole fetch, redirects and body included. */
  readonly timeoutMs: number
}

const MAX_REDIRECTS = 3

/** A failure the channel's retries cannot fix (blocked, too large, gone): the row becomes a dead letter at once. */
function permanent<E extends Error>(err: E): E & { permanent: true } {
  return Object.assign(err, { permanent: true as const })
}

/** The last path segment of a URL, as a file name (`photo.png`), if it has one. */
function nameOf(url: URL): string | undefined {
  const last = url.pathname.split('/').pop()
  if (!last) return undefined
  try {
    return decodeURIComponent(last).slice(0, 255) || undefined
  } catch {
    return last.slice(0, 255)
  }
}

/**
 * Fetch media a message gives by URL, so that it is sent as bytes: the URL checked against SSRF
 * (every hop of a redirect), the size held to the channel's `maxBytes` while it streams in (the body
 * is cut off past it), and the content type sniffed from the bytes rather than trusted from the
 * server. A kind the channel does not take goes as a file when it takes files.
 *
 * Errors carry `permanent: true` when retrying cannot help (blocked URL, too large, a 4xx); a
 * network error, a timeout or a 5xx is left to the delivery worker's retries.
 */
export async function fetchRemoteMedia(
  attachment: Attachment & { readonly url: string },
  channel: { readonly id: string; readonly kinds: readonly MediaKind[]; readonly maxBytes: number },
  policy: RemoteMediaPolicy,
  signal?: AbortSignal,
): Promise<Attachment> {
  let url: URL
  try {
    url = new URL(attachment.url)
  } catch {
    throw permanent(new CORE_ERR_MEDIA_URL_BLOCKED('(not a URL)', 'not a URL'))
  }
  const deadline = AbortSignal.timeout(policy.timeoutMs)
  const aborted = signal ? AbortSignal.any([signal, deadline]) : deadline
  const chunks: Buffer[] = []
  let size = 0
  for (let hop = 0; ; hop++) {
    const shown = shownUrl(url)
    const problem = await publicUrlProblem(url, policy.allowedHostnames)
    if (problem) throw permanent(new CORE_ERR_MEDIA_URL_BLOCKED(shown, problem))
    let res: Response
    try {
      res = await fetch(url, { redirect: 'manual', signal: aborted })
    } catch (err) {
      throw new CORE_ERR_MEDIA_FETCH(shown, deadline.aborted ? `no answer within ${policy.timeoutMs} ms` : (err as Error).message)
    }
    const location = res.headers.get('location')
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel()
      if (hop >= MAX_REDIRECTS) throw permanent(new CORE_ERR_MEDIA_FETCH(shown, `more than ${MAX_REDIRECTS} redirects`))
      url = new URL(location, url)
      continue
    }
    if (!res.ok) {
      await res.body?.cancel()
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429
      const err = new CORE_ERR_MEDIA_FETCH(shown, `HTTP ${res.status}`)
      throw retryable ? err : permanent(err)
    }
    const declared = Number(res.headers.get('content-length') ?? NaN)
    if (declared > channel.maxBytes) {
      await res.body?.cancel()
      throw permanent(new CORE_ERR_MEDIA_TOO_LARGE(attachment.name ?? nameOf(url) ?? shown, declared, channel.maxBytes))
    }
    try {
      for await (const chunk of res.body ?? []) {
        size += chunk.byteLength
        if (size > channel.maxBytes) {
          throw permanent(new CORE_ERR_MEDIA_TOO_LARGE(attachment.name ?? nameOf(url) ?? shown, size, channel.maxBytes))
        }
        chunks.push(Buffer.from(chunk))
      }
    } catch (err) {
      await res.body?.cancel().catch(() => undefined)
      if ((err as { permanent?: unknown }).permanent === true) throw err
      throw new CORE_ERR_MEDIA_FETCH(shown, deadline.aborted ? `no answer within ${policy.timeoutMs} ms` : (err as Error).message)
    }
    break
  }
  const bytes = Buffer.concat(chunks, size)
  const mimeType = sniffMediaType(bytes)
  let kind = mediaKindOf(mimeType)
  if (!channel.kinds.includes(kind)) {
    if (!channel.kinds.includes('file')) throw permanent(new CORE_ERR_MEDIA_UNSUPPORTED(channel.id, `'${kind}' (${mimeType}) is not one of ${channel.kinds.join(', ')}`))
    kind = 'file'
  }
  const name = attachment.name ?? nameOf(url)
  return { kind, data: bytes.toString('base64'), mimeType, ...(name ? { name } : {}) }
}
