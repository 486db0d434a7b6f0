import { describe, expect, it } from 'vitest'
import { chunkMarkdown } from './markdown-chunker.js'

const para = (word: string, n: number) => Array.from({ length: n }, (_, i) => `${word} line ${i} ${'x'.repeat(60)}`).join('\n')

describe('chunkMarkdown', () => {
  it('keeps a small file in one chunk with its line range', () => {
    const chunks = chunkMarkdown('# Title\n\nHello world.\n')
    expect(chunks).toEqual([{ startLine: 1, endLine: 3, text: '# Title\n\nHello world.', headings: '', indexText: '# Title\n\nHello world.' }])
  })

  it('cuts at about 400 tokens (1,600 characters) with overlap', () => {
    const chunks = chunkMarkdown(para('alpha', 60))
    expect(chunks.length).toBeGreaterThan(2)
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(1600)
    // Overlap: each chunk starts before the previous one ended.
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.startLine).toBeLessThanOrEqual(chunks[i - 1]!.endLine)
    expect(chunks.at(-1)!.endLine).toBe(60)
  })

  it('never ends a chunk on a heading, and starts sections on their own chunk', () => {
    const md = `# Doc\n${para('intro', 12)}\n## Second\n${para('body', 5)}\n`
    const chunks = chunkMarkdown(md)
    for (const c of chunks) expect(c.text.trimEnd().split('\n').at(-1)).not.toMatch(/^#/)
    const second = chunks.find((c) => c.text.startsWith('## Second'))
    expect(second).toBeDefined()
    expect(second!.text).toContain('body line 0')
  })

  it('indexes a chunk cut mid-section with its heading trail', () => {
    const md = `# Project\n## Decisions\n${para('decision', 40)}\n`
    const chunks = chunkMarkdown(md)
    expect(chunks.length).toBeGreaterThan(1)
    expect(chunks[1]!.headings).toBe('# Project › ## Decisions')
    expect(chunks[1]!.indexText.startsWith('# Project › ## Decisions\n')).toBe(true)
    expect(chunks[1]!.text).not.toContain('## Decisions')
  })

  it('ignores # lines inside code fences', () => {
    const chunks = chunkMarkdown('# Real\n```sh\n# not a heading\n```\ntext\n')
    expect(chunks).toHaveLength(1)
    expect(chunks[0]!.headings).toBe('')
  })

  it('cuts a line longer than a chunk into pieces', () => {
    const chunks = chunkMarkdown('y'.repeat(5000), { tokens: 100, overlap: 0 })
    expect(chunks.length).toBe(13)
    expect(chunks.every((c) => c.startLine === 1 && c.text.length <= 400)).toBe(true)
  })
})
