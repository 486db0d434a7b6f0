import { describe, expect, it } from 'vitest'
import { formatMarkdown } from './format-markdown.js'
import { splitText } from './split-text.js'

const sentence = (i: number) => `Sentence number ${i} talks about nothing in particular.`
const paragraph = (from: number, n: number) => Array.from({ length: n }, (_, i) => sentence(from + i)).join(' ')

function fencesBalanced(chunk: string): boolean {
  return (chunk.match(/^```/gm) ?? []).length % 2 === 0
}

describe('splitText', () => {
  it('keeps a short text in one message', () => {
    expect(splitText('hello **world**', { maxLength: 100, format: 'plain' })).toEqual(['hello world'])
    expect(splitText('   ', { maxLength: 100, format: 'plain' })).toEqual([])
  })

  it('splits 10,000 characters within the limit, at paragraph and sentence breaks, losing nothing', () => {
    const text = Array.from({ length: 20 }, (_, p) => paragraph(p * 10, 9)).join('\n\n')
    expect(text.length).toBeGreaterThan(9_000)
    const chunks = splitText(text, { maxLength: 1000, format: 'plain' })
    expect(chunks.length).toBeGreaterThanOrEqual(10)
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(1000)
      expect(chunk).toMatch(/^Sentence number \d+/)
      expect(chunk).toMatch(/particular\.$/)
    }
    expect(chunks.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '))
  })

  it('never splits inside a code block: a long block becomes complete blocks, split between lines', () => {
    const code = Array.from({ length: 80 }, (_, i) => `const line${i} = ${i} // padding padding`).join('\n')
    const text = `Intro paragraph.\n\n\`\`\`js\n${code}\n\`\`\`\n\nOutro.`
    const chunks = splitText(text, { maxLength: 500, format: 'markdown' })
    expect(chunks.length).toBeGreaterThan(3)
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(500)
      expect(fencesBalanced(chunk)).toBe(true)
    }
    const lines = chunks.join('\n').split('\n').filter((l) => l.startsWith('const '))
    expect(lines).toEqual(code.split('\n'))
  })

  it('keeps a code block that fits whole, moving it to the next message', () => {
    const block = '```\n' + 'x = 1\n'.repeat(20) + '```'
    const text = `${'a'.repeat(300)}\n\n${block}`
    const chunks = splitText(text, { maxLength: 320, format: 'markdown' })
    expect(chunks).toEqual(['a'.repeat(300), block])
  })

  it('measures the rendered html and keeps tags whole', () => {
    const text = Array.from({ length: 60 }, (_, i) => `Item **${i}** is <fine> & good.`).join('\n\n')
    const chunks = splitText(text, { maxLength: 200, format: 'html' })
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(200)
      expect((chunk.match(/<b>/g) ?? []).length).toBe((chunk.match(/<\/b>/g) ?? []).length)
    }
    expect(chunks.join('\n\n')).toBe(formatMarkdown(text, 'html'))
  })

  it('cuts a word longer than the limit by characters', () => {
    const chunks = splitText('x'.repeat(130), { maxLength: 50, format: 'plain' })
    expect(chunks.join('')).toBe('x'.repeat(130))
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(50)
  })

  it('splits a long list between items', () => {
    const list = Array.from({ length: 30 }, (_, i) => `- item ${i} with some words`).join('\n')
    const chunks = splitText(list, { maxLength: 120, format: 'plain' })
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(120)
      expect(chunk.startsWith('• item')).toBe(true)
    }
  })
})
