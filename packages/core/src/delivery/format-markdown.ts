import { Marked, type RendererObject, type Token, type Tokens } from 'marked'
import type { TextFormat } from '../types/channels.js'

// Agents write markdown. A channel declares `plain`, `markdown` or `html`; this renders the agent's
// markdown in that format with `marked` (its lexer and a renderer per format), never with regexes.
// The html subset is the one chat apps take (Telegram's): b, i, s, u, code, pre, a, blockquote.

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Marked escapes text for HTML in the lexer; plain text wants it back. */
const unescapeEntities = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _)

function listPrefix(list: Tokens.List, index: number): string {
  if (!list.ordered) return '• '
  const start = typeof list.start === 'number' ? list.start : 1
  return `${start + index}. `
}

function indent(text: string, by: string): string {
  return text.split('\n').map((line, i) => (i === 0 ? line : by + line)).join('\n')
}

/** A list as lines (`• ` or `1. `, a task's box from `boxes`: checked, unchecked), items' later lines indented under their text. */
function listBlock(parser: { parse(tokens: Token[]): string }, list: Tokens.List, boxes: readonly [string, string]): string {
  const lines = list.items.map((item, i) => {
    const prefix = listPrefix(list, i)
    const body = parser.parse(item.tokens).trim()
    const box = item.task ? (item.checked ? boxes[0] : boxes[1]) : ''
    return prefix + box + indent(body, ' '.repeat(prefix.length))
  })
  return `${lines.join('\n')}\n\n`
}

/** Blocks end with a blank line; the caller trims the last one. */
const plainRenderer: RendererObject<string, string> = {
  space: () => '',
  code: ({ text }) => `${text}\n\n`,
  blockquote({ tokens }) {
    const inner = this.parser.parse(tokens).trim()
    return `${inner.split('\n').map((l) => `> ${l}`).join('\n')}\n\n`
  },
  html: ({ text }) => text,
  def: () => '',
  heading({ tokens }) {
    return `${this.parser.parseInline(tokens)}\n\n`
  },
  hr: () => '———\n\n',
  list(token) {
    return listBlock(this.parser, token, ['[x] ', '[ ] '])
  },
  listitem: (item) => item.text,
  checkbox: () => '',
  paragraph({ tokens }) {
    return `${this.parser.parseInline(tokens)}\n\n`
  },
  table(token) {
    const row = (cells: Tokens.TableCell[]) => cells.map((c) => this.parser.parseInline(c.tokens)).join(' | ')
    return `${[row(token.header), ...token.rows.map(row)].join('\n')}\n\n`
  },
  tablerow: ({ text }) => text,
  tablecell(token) {
    return this.parser.parseInline(token.tokens)
  },
  strong({ tokens }) {
    return this.parser.parseInline(tokens)
  },
  em({ tokens }) {
    return this.parser.parseInline(tokens)
  },
  codespan: ({ text }) => unescapeEntities(text),
  br: () => '\n',
  del({ tokens }) {
    return this.parser.parseInline(tokens)
  },
  link({ href, tokens }) {
    const text = this.parser.parseInline(tokens)
    return text === href || `mailto:${text}` === href ? text : `${text} (${href})`
  },
  image: ({ href, text }) => (text ? `${text} (${href})` : href),
  text(token) {
    return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : unescapeEntities(token.text)
  },
}

const htmlRenderer: RendererObject<string, string> = {
  space: () => '',
  code({ text, lang }) {
    const language = lang?.match(/^\S+/)?.[0]
    return language
      ? `<pre><code class="language-${escapeHtml(language)}">${escapeHtml(text)}</code></pre>\n\n`
      : `<pre>${escapeHtml(text)}</pre>\n\n`
  },
  blockquote({ tokens }) {
    return `<blockquote>${this.parser.parse(tokens).trim()}</blockquote>\n\n`
  },
  html: ({ text }) => escapeHtml(text),
  def: () => '',
  heading({ tokens }) {
    return `<b>${this.parser.parseInline(tokens)}</b>\n\n`
  },
  hr: () => '———\n\n',
  list(token) {
    return listBlock(this.parser, token, ['☑ ', '☐ '])
  },
  listitem: (item) => item.text,
  checkbox: () => '',
  paragraph({ tokens }) {
    return `${this.parser.parseInline(tokens)}\n\n`
  },
  table(token) {
    const row = (cells: Tokens.TableCell[]) => cells.map((c) => unescapeEntities(this.parser.parseInline(c.tokens, this.parser.textRenderer))).join(' | ')
    return `<pre>${escapeHtml([row(token.header), ...token.rows.map(row)].join('\n'))}</pre>\n\n`
  },
  tablerow: ({ text }) => text,
  tablecell(token) {
    return this.parser.parseInline(token.tokens)
  },
  strong({ tokens }) {
    return `<b>${this.parser.parseInline(tokens)}</b>`
  },
  em({ tokens }) {
    return `<i>${this.parser.parseInline(tokens)}</i>`
  },
  codespan: ({ text }) => `<code>${escapeHtml(unescapeEntities(text))}</code>`,
  br: () => '\n',
  del({ tokens }) {
    return `<s>${this.parser.parseInline(tokens)}</s>`
  },
  link({ href, tokens }) {
    return `<a href="${escapeHtml(href)}">${this.parser.parseInline(tokens)}</a>`
  },
  image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
  text(token) {
    return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : escapeHtml(unescapeEntities(token.text))
  },
}

const plain = new Marked<string, string>({ gfm: true, renderer: plainRenderer })
const html = new Marked<string, string>({ gfm: true, renderer: htmlRenderer })

/** Markdown blocks (paragraphs, code blocks, lists, …) of a text, each with its source. */
export function markdownBlocks(markdown: string): Tokens.Generic[] {
  return plain.lexer(markdown).filter((t) => t.type !== 'space') as Tokens.Generic[]
}

/** Render the agent's markdown in a channel's format. `markdown` returns it as written (trimmed). */
export function formatMarkdown(markdown: string, format: TextFormat): string {
  if (format === 'markdown') return markdown.trim()
  const engine = format === 'html' ? html : plain
  return (engine.parse(markdown, { async: false }) as string).trim()
}
