import { describe, expect, it } from 'vitest'
import { numberPlaceholders } from './number-placeholders.js'

describe('numberPlaceholders', () => {
  it('numbers ? placeholders in order', () => {
    expect(numberPlaceholders('INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = ? RETURNING a')).toEqual({
      sql: 'INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT (a) DO UPDATE SET b = $3 RETURNING a',
      count: 3,
    })
  })

  it('leaves a ? in string literals, quoted identifiers, comments and dollar quotes alone', () => {
    const sql = `SELECT '?', 'it''s ?', E'\\'?', "we?ird", $$ ? $$, $fn$ ? $fn$ -- why?
      FROM t /* any? */ WHERE a = ? AND b = ?`
    const out = numberPlaceholders(sql)
    expect(out.count).toBe(2)
    expect(out.sql).toBe(sql.replace('a = ?', 'a = $1').replace('b = ?', 'b = $2'))
  })

  it('returns SQL without placeholders unchanged, and keeps $1 already numbered', () => {
    expect(numberPlaceholders('SELECT 1')).toEqual({ sql: 'SELECT 1', count: 0 })
    expect(numberPlaceholders('SELECT $1::bigint')).toEqual({ sql: 'SELECT $1::bigint', count: 0 })
  })
})
