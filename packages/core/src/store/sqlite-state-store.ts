import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { CORE_ERR_STORE_MIGRATION, CORE_ERR_STORE_OPEN, CORE_ERR_STORE_OWNER } from '../errors/codes.js'
import type { Migration, OwnerStore, RunResult, SqlParams, SqlStore, StateStore } from './state-store.js'

type Statement = Database.Statement<unknown[], unknown>

const OWNER = /^[A-Za-z0-9_:-]{1,64}$/
const STATEMENT_CACHE_LIMIT = 500

/** Mode 0600 for the database file and any -wal/-shm left from before (not on Windows, which has no modes). */
function restrictToOwner(location: string): void {
  if (process.platform === 'win32') return
  for (const path of [location, `${location}-wal`, `${location}-shm`]) if (existsSync(path)) chmodSync(path, 0o600)
}

/**
 * The embedded state store: one SQLite database in WAL mode. Every write runs in a transaction, so
 * a process killed mid-write leaves the database as it was before that transaction.
 */
export class SqliteStateStore implements StateStore, SqlStore {
  readonly #db: Database.Database
  readonly #statements = new Map<string, Statement>()
  /** One transaction wrapper for every call: better-sqlite3 builds a new one per `db.transaction()`. */
  readonly #inTransaction: <T>(fn: () => T) => T

  private constructor(db: Database.Database, readonly location: string) {
    this.#db = db
    this.#inTransaction = db.transaction(<T>(fn: () => T): T => fn()) as <T>(fn: () => T) => T
  }

  /** Open (creating if needed) the database at `location`; `:memory:` for a throwaway one. */
  static open(location: string): SqliteStateStore {
    let db: Database.Database
    try {
      if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true, mode: 0o700 })
      db = new Database(location)
      // Every transcript is in here: owner only. SQLite gives the -wal and -shm files the database's mode.
      if (location !== ':memory:') restrictToOwner(location)
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      db.pragma('foreign_keys = ON')
      db.pragma('busy_timeout = 5000')
    } catch (err) {
      throw new CORE_ERR_STORE_OPEN(location, { cause: err })
    }
    db.exec(`CREATE TABLE IF NOT EXISTS _migrations (
      owner TEXT NOT NULL,
      version INTEGER NOT NULL,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL,
      PRIMARY KEY (owner, version)
    )`)
    return new SqliteStateStore(db, location)
  }

  forOwner(owner: string): OwnerStore {
    if (!OWNER.test(owner)) throw new CORE_ERR_STORE_OWNER(owner)
    return new SqliteOwnerStore(this, owner)
  }

  run(sql: string, params?: SqlParams): RunResult {
    const statement = this.#prepare(sql)
    return (params === undefined ? statement.run() : Array.isArray(params) ? statement.run(...params) : statement.run(params)) as RunResult
  }

  get<T>(sql: string, params?: SqlParams): T | undefined {
    const statement = this.#prepare(sql)
    return (params === undefined ? statement.get() : Array.isArray(params) ? statement.get(...params) : statement.get(params)) as T | undefined
  }

  all<T>(sql: string, params?: SqlParams): T[] {
    const statement = this.#prepare(sql)
    return (params === undefined ? statement.all() : Array.isArray(params) ? statement.all(...params) : statement.all(params)) as T[]
  }

  exec(sql: string): void {
    this.#db.exec(sql)
  }

  transaction<T>(fn: () => T): T {
    return this.#inTransaction(fn)
  }

  close(): void {
    if (!this.#db.open) return
    this.#statements.clear()
    this.#db.close()
  }

  get open(): boolean {
    return this.#db.open
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql)
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.delete(this.#statements.keys().next().value!)
      statement = this.#db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }
}

class SqliteOwnerStore implements OwnerStore {
  readonly #store: SqliteStateStore

  constructor(store: SqliteStateStore, readonly owner: string) {
    this.#store = store
  }

  run(sql: string, params?: SqlParams): RunResult {
    return this.#store.run(sql, params)
  }

  get<T>(sql: string, params?: SqlParams): T | undefined {
    return this.#store.get<T>(sql, params)
  }

  all<T>(sql: string, params?: SqlParams): T[] {
    return this.#store.all<T>(sql, params)
  }

  exec(sql: string): void {
    this.#store.exec(sql)
  }

  transaction<T>(fn: () => T): T {
    return this.#store.transaction(fn)
  }

  version(): number {
    const row = this.#store.get<{ v: number | null }>('SELECT MAX(version) AS v FROM _migrations WHERE owner = ?', [this.owner])
    return row?.v ?? 0
  }

  migrate(migrations: readonly Migration[]): void {
    const applied = this.version()
    const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > applied)
    for (const migration of pending) {
      try {
        this.#store.transaction(() => {
          if (typeof migration.up === 'string') this.#store.exec(migration.up)
          else migration.up(this)
          this.#store.run('INSERT INTO _migrations (owner, version, name, applied_at) VALUES (?, ?, ?, ?)', [
            this.owner, migration.version, migration.name, Date.now(),
          ])
        })
      } catch (err) {
        throw new CORE_ERR_STORE_MIGRATION(this.owner, migration.version, migration.name, { cause: err })
      }
    }
  }
}
