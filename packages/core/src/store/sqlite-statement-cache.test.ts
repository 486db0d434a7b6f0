import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { describe, expect, it } from 'vitest'
import { SqliteStatementCache } from './sqlite-statement-cache.js'

const closed = (): never => {
  throw new Error('closed')
}

describe('SqliteStatementCache', () => {
  it('hands out one prepared statement per SQL text, to Kysely as well', async () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)')
    const cache = new SqliteStatementCache(db, closed)
    expect(cache.prepare('SELECT v FROM t WHERE id = ?')).toBe(cache.prepare('SELECT v FROM t WHERE id = ?'))
    const kysely = new Kysely<{ t: { id: number; v: string } }>({ dialect: new SqliteDialect({ database: cache }) })
    await kysely.insertInto('t').values({ id: 1, v: 'a' }).execute()
    const compiled = kysely.selectFrom('t').select('v').where('id', '=', 1).compile()
    const statement = cache.prepare(compiled.sql)
    expect(await kysely.executeQuery(compiled)).toEqual({ rows: [{ v: 'a' }] })
    expect(cache.prepare(compiled.sql)).toBe(statement)
    db.close()
  })

  it('drops the oldest statement past its limit, and refuses new ones once cleared', () => {
    const db = new Database(':memory:')
    const cache = new SqliteStatementCache(db, closed, 2)
    const first = cache.prepare('SELECT 1')
    cache.prepare('SELECT 2')
    cache.prepare('SELECT 3')
    expect(cache.prepare('SELECT 1')).not.toBe(first)
    cache.clear()
    expect(() => cache.prepare('SELECT 4')).toThrow('closed')
    db.close()
  })
})
