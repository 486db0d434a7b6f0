import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'

describe('OAI_ERR_* codes', () => {
  const entries = Object.entries(errors) as [string, { code: string }][]

  it('should use each code as its key', () => {
    for (const [key, ctor] of entries) expect(ctor.code).toBe(key)
  })

  it('should document every code in docs/openai-compatible.md, and no other', () => {
    const docs = readFileSync(new URL('../../../docs/openai-compatible.md', import.meta.url), 'utf8')
    const documented = new Set(docs.match(/OAI_ERR_[A-Z_]+/g))
    expect([...documented].sort()).toEqual(entries.map(([key]) => key).sort())
  })
})
