import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as codes from './codes.js'
import { isCodedError } from './create-error.js'

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8')
const documented = new Set([...docs.matchAll(/^### `?(CORE_ERR_[A-Z_]+)`?/gm)].map((m) => m[1]!))

describe('core error codes', () => {
  it('names every error after its code', () => {
    for (const [key, ctor] of Object.entries(codes)) expect(ctor.code).toBe(key)
  })

  it('documents every code in docs/errors.md, and no code that does not exist', () => {
    const defined = new Set(Object.keys(codes))
    expect([...defined].filter((c) => !documented.has(c))).toEqual([])
    expect([...documented].filter((c) => !defined.has(c))).toEqual([])
  })

  it('formats arguments, keeps the cause and is an Error', () => {
    const cause = new Error('disk full')
    const err = new codes.CORE_ERR_STORE_OPEN('/x/state.db', { cause })
    expect(err).toBeInstanceOf(Error)
    expect(err).toBeInstanceOf(codes.CORE_ERR_STORE_OPEN)
    expect(isCodedError(err, 'CORE_ERR_STORE_OPEN')).toBe(true)
    expect(err.message).toBe("Cannot open the state database '/x/state.db'")
    expect(err.cause).toBe(cause)
    expect(String(err)).toBe("OpenClawError [CORE_ERR_STORE_OPEN]: Cannot open the state database '/x/state.db'")
    expect(codes.CORE_ERR_SESSION_BUSY('k', 3).statusCode).toBe(429)
  })
})
