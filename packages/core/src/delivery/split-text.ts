import type { Tokens } from 'marked'
import type { TextFormat } from '../types/channels.js'
import { formatMarkdown, markdownBlocks } from './format-markdown.js'

export interface SplitOptions {
  /** Longest chunk, in UTF-16 code units of the rendered text. */
  readonly maxLength: number
  readonly format: TextFormat
}

const SENTENCE_END = /(?<=[.!?…。！？])\s+/u
/** Where a long paragraph may break, best first, and what joins the pieces back. */
const BREAKS: readonly (readonly [RegExp, string])[] = [
  [/\n{2,}/, '\n\n'],
  [/\n/, '\n'],
  [SENTENCE_END, ' '],
  [/(?<=\s)(?=\S)/, ''],
]

/** Pieces of a source text broken at `pattern`, each keeping what follows the break. */
function breakAt(source: string, pattern: RegExp): string[] {
  return source.split(pattern).filter((p) => p.length > 0)
}

/** A fenced code block's pieces: whole lines, each piece its own complete block. */
function codePieces(block: Tokens.Code, render: (src: string) => string, maxLength: number): string[] {
  const fence = block.raw.trimStart().startsWith('~') ? '~~~' : '```'
  const longest = Math.max(3, ...[...block.text.matchAll(/`{3,}|~{3,}/g)].map((m) => m[0].length + 1))
  const open = (fence[0] ?? '`').repeat(longest) + (block.lang ?? '')
  const close = (fence[0] ?? '`').repeat(longest)
  const wrap = (lines: string[]) => `${open}\n${lines.join('\n')}\n${close}`
  const pieces: string[] = []
  let current: string[] = []
  for (const line of block.text.split('\n')) {
    if (current.length > 0 && render(wrap([...current, line])).length > maxLength) {
      pieces.push(wrap(current))
      current = []
    }
    if (render(wrap([line])).length > maxLength) {
      // One line longer than the limit: cut it, every piece still a complete block.
      const room = Math.max(1, maxLength - (render(wrap([''])).length + 8))
      for (let i = 0; i < line.length; i += room) pieces.push(wrap([line.slice(i, i + room)]))
      continue
    }
    current.push(line)
  }
  if (current.length > 0) pieces.push(wrap(current))
  return pieces
}

/**
 * Split a markdown source that renders longer than the limit: a code block by lines (each piece a
 * complete block), a list by items, anything else at paragraph, line and sentence breaks, then
 * between words, and a word longer than the limit by characters.
 */
function splitSource(source: string, render: (src: string) => string, maxLength: number): string[] {
  if (render(source).length <= maxLength) return [source]
  const blocks = markdownBlocks(source)
  if (blocks.length > 1) return blocks.flatMap((b) => splitSource(b.raw, render, maxLength))
  const block = blocks[0]
  if (block?.type === 'code') return codePieces(block as Tokens.Code, render, maxLength)
  if (block?.type === 'list' && (block as Tokens.List).items.length > 1) {
    return (block as Tokens.List).items.flatMap((item) => splitSource(item.raw.trim(), render, maxLength))
  }
  for (const [pattern, joiner] of BREAKS) {
    const parts = breakAt(source, pattern)
    if (parts.length > 1) return packSources(parts, render, maxLength, joiner).flatMap((p) => splitSource(p, render, maxLength))
  }
  // One unbreakable run of text: cut it by characters (never inside a surrogate pair).
  const chars = [...source]
  const pieces: string[] = []
  let size = maxLength
  while (size > 1 && render(chars.slice(0, size).join('')).length > maxLength) size = Math.floor(size * 0.9)
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''))
  return pieces
}

/** Join consecutive source pieces while they render within the limit. */
function packSources(parts: string[], render: (src: string) => string, maxLength: number, joiner: string): string[] {
  const out: string[] = []
  let current = ''
  for (const part of parts) {
    const next = current === '' ? part : current + joiner + part
    if (current !== '' && render(next.trim()).length > maxLength) {
      out.push(current.trim())
      current = part
    } else {
      current = next
    }
  }
  if (current.trim() !== '') out.push(current.trim())
  return out
}

/**
 * Render an agent's markdown for a channel and split it into messages no longer than `maxLength`:
 * whole blocks are packed together; a block too long for one message breaks at paragraph or
 * sentence breaks, and a code block breaks between lines into complete blocks, so no message ever
 * opens a code block it does not close.
 */
export function splitText(markdown: string, options: SplitOptions): string[] {
  const { maxLength, format } = options
  if (!Number.isInteger(maxLength) || maxLength < 16) throw new RangeError(`maxLength must be an integer of at least 16, got ${maxLength}`)
  const render = (src: string) => formatMarkdown(src, format)
  const whole = render(markdown)
  if (whole.length <= maxLength) return whole === '' ? [] : [whole]
  const rendered = markdownBlocks(markdown)
    .flatMap((block) => splitSource(block.raw.trim(), render, maxLength))
    .map(render)
    .filter((r) => r !== '')
  const chunks: string[] = []
  let current = ''
  for (const piece of rendered) {
    if (current === '') current = piece
    else if (current.length + 2 + piece.length <= maxLength) current += `\n\n${piece}`
    else {
      chunks.push(current)
      current = piece
    }
  }
  if (current !== '') chunks.push(current)
  return chunks
}
