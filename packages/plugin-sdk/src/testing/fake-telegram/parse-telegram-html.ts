import { badRequest } from './bot-api-error.js'
import type { TgMessageEntity } from './telegram-types.js'

const ENTITY_OF_TAG: Readonly<Record<string, string>> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
}
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' }

/** Text with Telegram's HTML formatting applied: what the user sees, and its entities. */
export interface ParsedText {
  readonly text: string
  readonly entities: TgMessageEntity[]
}

/**
 * Parse text sent with `parse_mode: 'HTML'` as Telegram does
 * (https://core.telegram.org/bots/api#html-style): the supported tags become entities, the four named
 * entities and numeric entities are decoded, and anything else (an unknown tag, an unescaped `<`, an
 * unclosed or mismatched tag) is refused with Telegram's `400 Bad Request: can't parse entities: …`.
 */
export function parseTelegramHtml(html: string): ParsedText {
  let text = ''
  const entities: TgMessageEntity[] = []
  const open: { tag: string; offset: number; entity: Omit<TgMessageEntity, 'offset' | 'length'> }[] = []
  let i = 0
  while (i < html.length) {
    const char = html[i]!
    if (char === '<') {
      const end = html.indexOf('>', i)
      const byteOffset = Buffer.byteLength(html.slice(0, i))
      if (end === -1) throw cantParse(`Unclosed start tag at byte offset ${byteOffset}`)
      const inside = html.slice(i + 1, end)
      if (inside.startsWith('/')) {
        const name = inside.slice(1).trim().toLowerCase()
        const top = open.pop()
        if (!top || (name !== '' && top.tag !== name)) {
          throw cantParse(`Unmatched end tag at byte offset ${byteOffset}, expected "</${top?.tag ?? ''}>", found "</${name}>"`)
        }
        const length = text.length - top.offset
        if (length > 0) entities.push({ ...top.entity, offset: top.offset, length })
      } else {
        const match = /^([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*$/.exec(inside)
        const name = match?.[1]?.toLowerCase() ?? ''
        const type = ENTITY_OF_TAG[name]
        if (!match || !type) throw cantParse(`Unsupported start tag "${name}" at byte offset ${byteOffset}`)
        const attributes = parseAttributes(match[2] ?? '')
        if (name === 'span' && attributes.get('class') !== 'tg-spoiler') {
          throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset}`)
        }
        let entity: Omit<TgMessageEntity, 'offset' | 'length'> = name === 'a' ? { type, url: attributes.get('href') ?? '' } : { type }
        const parent = open.at(-1)
        if (name === 'code' && parent?.tag === 'pre') {
          // <pre><code class="language-x"> is one `pre` entity with a language.
          const language = /^language-(.+)$/.exec(attributes.get('class') ?? '')?.[1]
          if (language) parent.entity = { type: 'pre', language }
          entity = { type: '' }
        }
        open.push({ tag: name, offset: text.length, entity })
      }
      i = end + 1
    } else if (char === '&') {
      const match = /^&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(html.slice(i, i + 12))
      if (match) {
        const name = match[1]!
        const decoded = name.startsWith('#x')
          ? safeCodePoint(parseInt(name.slice(2), 16))
          : name.startsWith('#')
            ? safeCodePoint(parseInt(name.slice(1), 10))
            : NAMED_ENTITIES[name]
        if (decoded !== undefined) {
          text += decoded
          i += match[0].length
          continue
        }
      }
      text += char
      i++
    } else {
      text += char
      i++
    }
  }
  const unclosed = open.pop()
  if (unclosed) throw cantParse(`Can't find end tag corresponding to start tag "${unclosed.tag}"`)
  return { text, entities: entities.filter((entity) => entity.type !== '').sort((a, b) => a.offset - b.offset) }
}

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>()
  for (const match of source.matchAll(/([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attributes.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '')
  }
  return attributes
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined
}

function cantParse(reason: string) {
  return badRequest(`can't parse entities: ${reason}`)
}
