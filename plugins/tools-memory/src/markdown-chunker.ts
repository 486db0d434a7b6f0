/** OpenClaw's defaults: 400 tokens per chunk, 80 tokens of overlap, about four characters a token. */
export const DEFAULT_CHUNK_TOKENS = 400
export const DEFAULT_CHUNK_OVERLAP = 80
const CHARS_PER_TOKEN = 4

export interface ChunkOptions {
  readonly tokens?: number
  readonly overlap?: number
}

/** One piece of a Markdown file. Lines are 1-based and inclusive. */
export interface MarkdownChunk {
  readonly startLine: number
  readonly endLine: number
  /** The chunk's own lines, as they are in the file. */
  readonly text: string
  /** The headings above the chunk's first line that the chunk does not contain (`# A › ## B`). */
  readonly headings: string
  /** What gets indexed: the heading trail, then the text, so a chunk cut mid-section keeps its heading. */
  readonly indexText: string
}

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/
const FENCE = /^ {0,3}(```|~~~)/

interface Line {
  readonly no: number
  readonly text: string
  /** Heading level, 0 when not a heading. */
  readonly level: number
  /** The heading trail in force after this line. */
  readonly trail: readonly string[]
}

function parseLines(content: string): Line[] {
  const raw = content.split(/\r?\n/)
  if (raw.at(-1) === '') raw.pop()
  const lines: Line[] = []
  const stack: string[] = []
  let fenced = false
  for (let i = 0; i < raw.length; i++) {
    const text = raw[i]!
    let level = 0
    if (FENCE.test(text)) fenced = !fenced
    else if (!fenced) {
      const m = HEADING.exec(text)
      if (m) {
        level = m[1]!.length
        stack.length = Math.min(stack.length, level - 1)
        while (stack.length < level - 1) stack.push('')
        stack.push(text.trim())
      }
    }
    lines.push({ no: i + 1, text, level, trail: stack.filter(Boolean) })
  }
  return lines
}

/**
 * Split Markdown into chunks of about `tokens` tokens that overlap by about `overlap` tokens.
 * Headings stay with their text: a chunk never ends on a heading, a new section starts a new chunk
 * once the current one holds a quarter of its budget, and a chunk that starts inside a section is
 * indexed with that section's heading trail. A line longer than a chunk is cut into pieces.
 */
export function chunkMarkdown(content: string, options: ChunkOptions = {}): MarkdownChunk[] {
  const maxChars = Math.max(64, (options.tokens ?? DEFAULT_CHUNK_TOKENS) * CHARS_PER_TOKEN)
  const overlapChars = Math.max(0, Math.min((options.overlap ?? DEFAULT_CHUNK_OVERLAP) * CHARS_PER_TOKEN, maxChars / 2))
  const lines = parseLines(content)
  const chunks: MarkdownChunk[] = []

  const emit = (part: readonly Line[]): void => {
    if (part.every((l) => l.text.trim() === '')) return
    const first = part[0]!
    const own = new Set(part.filter((l) => l.level > 0).map((l) => l.text.trim()))
    const before = first.level > 0 ? first.trail.slice(0, -1) : first.trail
    const headings = before.filter((h) => !own.has(h)).join(' › ')
    const text = part.map((l) => l.text).join('\n')
    chunks.push({ startLine: first.no, endLine: part.at(-1)!.no, text, headings, indexText: headings ? `${headings}\n${text}` : text })
  }

  let current: Line[] = []
  let size = 0
  const flush = (): void => {
    // A chunk never ends on a heading: trailing headings move to the next chunk.
    let end = current.length
    while (end > 0 && (current[end - 1]!.level > 0 || current[end - 1]!.text.trim() === '')) end--
    if (end === 0) return
    const done = current.slice(0, end)
    const moved = current.slice(end)
    emit(done)
    // Overlap: the last lines of the chunk, up to `overlapChars`, but never back across a heading.
    const carry: Line[] = []
    let carried = 0
    for (let i = done.length - 1; i > 0 && overlapChars > 0; i--) {
      const line = done[i]!
      if (carried + line.text.length + 1 > overlapChars) break
      carry.unshift(line)
      carried += line.text.length + 1
      if (line.level > 0) break
    }
    current = [...carry, ...moved]
    size = current.reduce((n, l) => n + l.text.length + 1, 0)
  }

  for (const line of lines) {
    if (line.text.length + 1 > maxChars) {
      flush()
      current = current.filter((l) => l.level > 0 && l.no > (chunks.at(-1)?.endLine ?? 0))
      for (let at = 0; at < line.text.length; at += maxChars - overlapChars) {
        emit([...current, { ...line, text: line.text.slice(at, at + maxChars) }])
        current = []
      }
      size = 0
      continue
    }
    const startsSection = line.level > 0 && size > maxChars / 4
    if (startsSection || size + line.text.length + 1 > maxChars) {
      flush()
      if (startsSection) {
        // A new section does not carry the previous section's lines as overlap.
        current = current.filter((l) => l.level > 0 && l.no > (chunks.at(-1)?.endLine ?? 0))
        size = current.reduce((n, l) => n + l.text.length + 1, 0)
      }
    }
    current.push(line)
    size += line.text.length + 1
  }
  let end = current.length
  while (end > 0 && current[end - 1]!.text.trim() === '') end--
  const rest = current.slice(0, end)
  const last = chunks.at(-1)
  if (rest.some((l) => l.no > (last?.endLine ?? 0))) emit(rest)
  return chunks
}
