import { describe, expect, it } from 'vitest'
import { ftsQuery } from './memory-index-store.js'

describe('ftsQuery', () => {
  it('quotes every distinct word for FTS5, AND or OR', () => {
    expect(ftsQuery('Gateway host, gateway HOST raspberry_pi!')).toBe('"gateway" AND "host" AND "raspberry_pi"')
    expect(ftsQuery('invoice exporter', 'OR')).toBe('"invoice" OR "exporter"')
  })

  it('writes a PostgreSQL tsquery with & and |', () => {
    expect(ftsQuery('Gateway host', 'AND', 'postgres')).toBe("'gateway' & 'host'")
    expect(ftsQuery('invoice exporter', 'OR', 'postgres')).toBe("'invoice' | 'exporter'")
  })

  it('drops quotes, operators and punctuation, so no query syntax gets through; no word, no query', () => {
    expect(ftsQuery(`it's "NEAR" (a OR b)* -c`)).toBe('"it" AND "s" AND "near" AND "a" AND "or" AND "b" AND "c"')
    expect(ftsQuery("o'brien & !x | y:*", 'AND', 'postgres')).toBe("'o' & 'brien' & 'x' & 'y'")
    expect(ftsQuery('  ?! ')).toBeUndefined()
  })

  it('keeps at most 32 words', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')
    expect(ftsQuery(words)!.split(' AND ')).toHaveLength(32)
  })
})
