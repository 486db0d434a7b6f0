import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as codes from './errors.js'

const docs = readFileSync(new URL('../../../docs/http.md', import.meta.url), 'utf8')
const documented = new Set([...docs.matchAll(/^\| `(HTTP_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]!))

describe('core:http error codes', () => {
  it('should name every error after its code', () => {
    for (const [key, ctor] of Object.entries(codes)) expect(ctor.code).toBe(key)
  })

  it('should document every code in docs/http.md, and no code that does not exist', () => {
    const defined = new Set(Object.keys(codes))
    expect([...defined].filter((c) => !documented.has(c))).toEqual([])
    expect([...documented].filter((c) => !defined.has(c))).toEqual([])
  })

  it('should give the answers their HTTP status', () => {
    expect(new codes.HTTP_ERR_RATE_LIMITED().statusCode).toBe(429)
    expect(new codes.HTTP_ERR_PORT_IN_USE(18789, '127.0.0.1').message).toContain('Port 18789 on 127.0.0.1')
  })
})
