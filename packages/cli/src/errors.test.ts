import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as codes from './errors.js'

const docs = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8')
const documented = new Set([...docs.matchAll(/^### `?(CLI_ERR_[A-Z_]+)`?/gm)].map((m) => m[1]!))

describe('CLI error codes', () => {
  it('names every error after its code', () => {
    for (const [key, ctor] of Object.entries(codes)) expect(ctor.code).toBe(key)
  })

  it('documents every code in docs/cli.md, and no code that does not exist', () => {
    const defined = new Set(Object.keys(codes))
    expect([...defined].filter((c) => !documented.has(c))).toEqual([])
    expect([...documented].filter((c) => !defined.has(c))).toEqual([])
  })
})
