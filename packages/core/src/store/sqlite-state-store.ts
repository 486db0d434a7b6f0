import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import {
  Kysely, SqliteAdapter, SqliteDialect, SqliteIntrospector, SqliteQueryCompiler,
  type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult,
} from 'kysely'
import { CORE_ERR_STORE_CLOSED, CORE_ERR_STORE_EXTENSION, CORE_ERR_STORE_OPEN, CORE_ERR_STORE_TX_CLOSED } from '../errors/codes.js'
import { ConnectionLock } from './connection-lock.js'
import { createHeldConnectionKysely, type DialectParts } from './held-connection-kysely.js'
import { checkOwner, ScopedOwnerStore } from './owner-store.js'
import { SqliteStatementCache, type Statement } from './sqlite-statement-cache.js'
import type { OwnerStore, RunResult, SqlParams, SqlStore, SqlTransaction, StateStore, StoreExtension } from './state-store.js'

export interface SqliteStateStoreOptions {
  /** How long a query waits for a transaction that holds the connection before it fails. Default 15 s. */
  readonly lockTimeoutMs?: number
}

const DEFAULT_LOCK_TIMEOUT_MS = 15_000

const SQLITE_PARTS: DialectParts = {
  createAdapter: () => new SqliteAdapter(),
  createQueryCompiler: () => new SqliteQueryCompiler(),
  createIntrospector: (db) => new SqliteIntrospector(db),
}

/** Kysely's SQLite driver, behind the store's connection lock (so its queries never land inside a store transaction). */
class LockedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly lock: ConnectionLock,
  ) {}

  init(): Promise<void> {
    return this.inner.init()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire()
    try {
      return await this.inner.acquireConnection()
    } catch (err) {
      this.lock.release()
      throw err
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: Parameters<Driver['beginTransaction']>[1]): Promise<void> {
    return this.inner.beginTransaction(connection, settings)
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection)
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection)
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.releaseConnection(connection)
    } finally {
      this.lock.release()
    }
  }

  /** The store closes the database, not Kysely. */
  async destroy(): Promise<void> {}
}

function bind(statement: Statement, params: SqlParams | undefined, op: 'run' | 'get' | 'all'): unknown {
  return params === undefined || params.length === 0 ? statement[op]() : statement[op](params)
}

/** Mode 0600 for the database file and any -wal/-shm left from before (not on Windows, which has no modes). */
function restrictToOwner(location: string): void {
  if (process.platform === 'win32') return
  for (const path of [location, `${location}-wal`, `${location}-shm`]) if (existsSync(path)) chmodSync(path, 0o600)
}

/**
 * The embedded state store: one SQLite database in WAL mode, on one connection. Queries run at once
 * (better-sqlite3 is synchronous) unless a transaction holds the connection: then they wait in
 * arrival order. A transaction holds it from `BEGIN` to `COMMIT`, so an async transaction never
 * interleaves with queries of concurrent turns. Every write runs in a transaction (one statement is
 * one), so a process killed mid-write leaves the database as it was before that transaction.
 */
export class SqliteStateStore implements StateStore, SqlStore {
  readonly dialect = 'sqlite' as const
  readonly #db: Database.Database
  readonly #statements: SqliteStatementCache
  readonly #lock: ConnectionLock
  readonly #extensions = new Set<string>()
  #kysely: Kysely<unknown> | undefined
  #closing: Promise<void> | undefined

  private constructor(db: Database.Database, readonly location: string, options: SqliteStateStoreOptions) {
    this.#db = db
    this.#statements = new SqliteStatementCache(db, () => {
      throw new CORE_ERR_STORE_CLOSED(location)
    })
    this.#lock = new ConnectionLock(options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS)
  }

  /** Open (creating if needed) the database at `location`; `:memory:` for a throwaway one. */
  static open(location: string, options: SqliteStateStoreOptions = {}): SqliteStateStore {
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
      db.exec(`CREATE TABLE IF NOT EXISTS _migrations (
        owner TEXT NOT NULL,
        version INTEGER NOT NULL,
        name TEXT NOT NULL,
        applied_at INTEGER NOT NULL,
        PRIMARY KEY (owner, version)
      )`)
    } catch (err) {
      throw new CORE_ERR_STORE_OPEN(location, { cause: err })
    }
    return new SqliteStateStore(db, location, options)
  }

  forOwner(owner: string): OwnerStore {
    return new ScopedOwnerStore({ store: this, loadExtension: (e) => this.loadExtension(e) }, checkOwner(owner))
  }

  // The four queries below run at once when no transaction holds the connection: no queueing, no
  // closure, one resolved promise. This is the per-turn path.

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    if (this.#lock.held) return this.#lock.run(() => this.runNow(sql, params))
    try {
      return Promise.resolve(this.runNow(sql, params))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  get<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined> {
    if (this.#lock.held) return this.#lock.run(() => this.getNow<T>(sql, params))
    try {
      return Promise.resolve(this.getNow<T>(sql, params))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    if (this.#lock.held) return this.#lock.run(() => this.allNow<T>(sql, params))
    try {
      return Promise.resolve(this.allNow<T>(sql, params))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  exec(sql: string): Promise<void> {
    if (this.#lock.held) return this.#lock.run(() => this.execNow(sql))
    try {
      this.execNow(sql)
      return Promise.resolve()
    } catch (err) {
      return Promise.reject(err)
    }
  }

  kysely<DB = Record<string, Record<string, unknown>>>(): Kysely<DB> {
    if (!this.#kysely) {
      const lock = this.#lock
      const statements = this.#statements
      class LockedSqliteDialect extends SqliteDialect {
        override createDriver(): Driver {
          return new LockedDriver(super.createDriver(), lock)
        }
      }
      this.#kysely = new Kysely<unknown>({ dialect: new LockedSqliteDialect({ database: statements }) })
    }
    return this.#kysely as unknown as Kysely<DB>
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    if (!this.#lock.tryAcquire()) await this.#lock.acquire()
    try {
      this.execStatement('BEGIN')
      const tx = new SqliteTransaction(this, 0)
      let result: T
      try {
        result = await fn(tx)
      } catch (err) {
        tx.end()
        this.rollbackIfOpen('ROLLBACK')
        throw err
      }
      tx.end()
      try {
        this.execStatement('COMMIT')
      } catch (err) {
        this.rollbackIfOpen('ROLLBACK')
        throw err
      }
      return result
    } finally {
      this.#lock.release()
    }
  }

  /** Load a SQLite extension (once per path), holding the connection. */
  async loadExtension(extension: StoreExtension): Promise<boolean> {
    const wanted = extension.sqlite
    if (!wanted) return false
    const key = `${wanted.path}\0${wanted.entryPoint ?? ''}`
    if (this.#extensions.has(key)) return true
    await this.#lock.run(() => {
      if (this.#extensions.has(key)) return
      this.#assertOpen()
      try {
        // better-sqlite3 takes an entry point as a second argument; its types list only the path.
        const load = this.#db.loadExtension as (path: string, entryPoint?: string) => Database.Database
        if (wanted.entryPoint === undefined) load.call(this.#db, wanted.path)
        else load.call(this.#db, wanted.path, wanted.entryPoint)
      } catch (err) {
        throw new CORE_ERR_STORE_EXTENSION(wanted.path, { cause: err })
      }
      this.#extensions.add(key)
    })
    return true
  }

  /** Close once the transaction that holds the connection (and every query waiting) is done. */
  close(): Promise<void> {
    this.#closing ??= this.#lock.run(() => {
      if (!this.#db.open) return
      this.#statements.clear()
      this.#db.close()
    })
    return this.#closing
  }

  get open(): boolean {
    return this.#db.open
  }

  // ── On the connection, now (the caller holds the lock, or nothing else can run) ────────────────

  /** @internal */
  runNow(sql: string, params: SqlParams | undefined): RunResult {
    const info = bind(this.#statements.prepare(sql), params, 'run') as Database.RunResult
    return { changes: info.changes }
  }

  /** @internal */
  getNow<T>(sql: string, params: SqlParams | undefined): T | undefined {
    return bind(this.#statements.prepare(sql), params, 'get') as T | undefined
  }

  /** @internal */
  allNow<T>(sql: string, params: SqlParams | undefined): T[] {
    return bind(this.#statements.prepare(sql), params, 'all') as T[]
  }

  /** @internal */
  execNow(sql: string): void {
    this.#assertOpen()
    this.#db.exec(sql)
  }

  /** @internal One cached parameterless statement (BEGIN, COMMIT, SAVEPOINT sp1, …). */
  execStatement(sql: string): void {
    this.#statements.prepare(sql).run()
  }

  /** @internal Undo the open transaction (or savepoint), unless SQLite already did. */
  rollbackIfOpen(sql: string): void {
    if (this.#db.open && this.#db.inTransaction) this.execStatement(sql)
  }

  /** @internal A Kysely query on the connection, for a transaction's `kysely()`. */
  executeCompiled<R>(query: CompiledQuery): QueryResult<R> {
    const statement = this.#statements.prepare(query.sql)
    if (statement.reader) return { rows: statement.all(query.parameters as unknown[]) as R[] }
    const info = statement.run(query.parameters as unknown[])
    return { rows: [], numAffectedRows: BigInt(info.changes), insertId: BigInt(info.lastInsertRowid) }
  }

  #assertOpen(): void {
    if (!this.#db.open) throw new CORE_ERR_STORE_CLOSED(this.location)
  }
}

/**
 * A transaction (depth 0) or a savepoint in one (depth ≥ 1). Its queries run at once: its
 * transaction holds the connection. Unusable once it ends, and while a nested one of it runs.
 */
class SqliteTransaction implements SqlTransaction {
  readonly dialect = 'sqlite' as const
  #state: 'open' | 'nested' | 'ended' = 'open'
  #kysely: Kysely<unknown> | undefined

  constructor(
    private readonly store: SqliteStateStore,
    private readonly depth: number,
  ) {}

  end(): void {
    this.#state = 'ended'
  }

  #check(): void {
    if (this.#state === 'open') return
    throw new CORE_ERR_STORE_TX_CLOSED(this.#state === 'ended' ? 'its transaction has ended' : 'a nested transaction of it is running; use the nested tx')
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    try {
      this.#check()
      return Promise.resolve(this.store.runNow(sql, params))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  get<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined> {
    try {
      this.#check()
      return Promise.resolve(this.store.getNow<T>(sql, params))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    try {
      this.#check()
      return Promise.resolve(this.store.allNow<T>(sql, params))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  exec(sql: string): Promise<void> {
    try {
      this.#check()
      this.store.execNow(sql)
      return Promise.resolve()
    } catch (err) {
      return Promise.reject(err)
    }
  }

  kysely<DB = Record<string, Record<string, unknown>>>(): Kysely<DB> {
    this.#check()
    this.#kysely ??= createHeldConnectionKysely<unknown>(
      SQLITE_PARTS,
      {
        executeQuery: async <R>(query: CompiledQuery) => this.store.executeCompiled<R>(query),
        streamQuery: <R>(query: CompiledQuery) => (async function* (store) {
          yield store.executeCompiled<R>(query)
        })(this.store),
      },
      () => this.#check(),
    )
    return this.#kysely as unknown as Kysely<DB>
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    this.#check()
    const name = `sp${this.depth + 1}`
    this.store.execStatement(`SAVEPOINT ${name}`)
    const nested = new SqliteTransaction(this.store, this.depth + 1)
    this.#state = 'nested'
    try {
      const result = await fn(nested)
      nested.end()
      this.store.execStatement(`RELEASE ${name}`)
      return result
    } catch (err) {
      nested.end()
      this.store.rollbackIfOpen(`ROLLBACK TO ${name}`)
      this.store.rollbackIfOpen(`RELEASE ${name}`)
      throw err
    } finally {
      if (this.#state === 'nested') this.#state = 'open'
    }
  }
}
