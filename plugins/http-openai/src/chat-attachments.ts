import type { Attachment } from '@openclaw/plugin-sdk'
import type { ChatImagePart } from './chat-completion-request.js'
import type { ChatCompletionsConfig } from './openai-endpoints-config.js'
import { checkMediaUrl } from './check-media-url.js'
import { invalidParam } from './openai-error.js'
import { parseDataUrl } from './parse-data-url.js'

/**
 * The current user turn's `image_url` parts as attachments, within the configured limits: at most
 * `maxParts`, `data:` URLs base64 with an accepted MIME type and a bounded total size, and `https`
 * URLs only when `allowUrl` (they are passed on as URLs; the gateway does not fetch them).
 */
export function toChatAttachments(parts: readonly ChatImagePart[], limits: ChatCompletionsConfig['images']): Attachment[] {
  if (parts.length > limits.maxParts) throw invalidParam(parts[limits.maxParts]!.param, `at most ${limits.maxParts} images per request`)
  let total = 0
  return parts.map((part) => {
    const data = parseDataUrl(part.url)
    if (data === 'not-base64') throw invalidParam(part.param, 'data: URLs must be base64-encoded (data:<mime>;base64,<data>)')
    if (data) {
      if (!limits.mimeTypes.includes(data.mimeType)) throw invalidParam(part.param, `image type '${data.mimeType}' is not accepted (accepted: ${limits.mimeTypes.join(', ')})`)
      total += data.bytes
      if (total > limits.maxTotalBytes) throw invalidParam(part.param, `images exceed ${limits.maxTotalBytes} bytes in total`)
      return { kind: 'image', data: data.data, mimeType: data.mimeType }
    }
    checkMediaUrl(part.url, part.param)
    if (!limits.allowUrl) {
      throw invalidParam(part.param, 'image URLs are not accepted: send the image as a base64 data: URL (or set gateway.http.endpoints.chatCompletions.images.allowUrl)')
    }
    return { kind: 'image', url: part.url }
  })
}
