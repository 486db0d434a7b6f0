import type Database from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

export type Statement = Database.Statement<unknown[], unknown>

const DEFAULT_LIMIT = 500

/**
 * Prepared statements by SQL text, the oldest dropped past `limit`. It is also the database Kysely's
 * `SqliteDialect` is handed: its driver prepares every query anew, so a query it compiled once (or
 * one its builder compiles to the same text) reuses the statement instead. `close()` does nothing:
 * the store owns the connection.
 */
export class SqliteStatementCache implements SqliteDatabase {
  readonly #statements = new Map<string, Statement>()
  #closed = false

  constructor(
    private readonly db: Database.Database,
    private readonly onClosed: () => never,
    private readonly limit = DEFAULT_LIMIT,
  ) {}

  prepare(sql: string): Statement & SqliteStatement {
    let statement = this.#statements.get(sql)
    if (statement === undefined) {
      if (this.#closed) this.onClosed()
      if (this.#statements.size >= this.limit) this.#statements.delete(this.#statements.keys().next().value!)
      statement = this.db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement as Statement & SqliteStatement
  }

  close(): void {}

  /** Forget every statement (the connection is closing). */
  clear(): void {
    this.#closed = true
    this.#statements.clear()
  }
}
