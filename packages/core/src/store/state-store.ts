import type { Kysely } from 'kysely'

/** The SQL a store speaks. Portable SQL runs on both; a migration may give one text per dialect. */
export type SqlDialect = 'sqlite' | 'postgres'

/**
 * Values bound to the `?` placeholders of a statement, in order. Portable values: string, number,
 * bigint, null and Buffer (booleans: store 0/1; dates: epoch milliseconds).
 */
export type SqlParams = readonly unknown[]

export interface RunResult {
  /** Rows the statement inserted, updated or deleted. */
  readonly changes: number
}

/** SQL of a migration, per dialect; a dialect that is left out makes the migration fail there. */
export type DialectSql = { readonly [D in SqlDialect]?: string }

/** One schema change of one owner. Versions start at 1 and only grow; a shipped migration never changes. */
export interface Migration {
  readonly version: number
  readonly name: string
  /**
   * Portable SQL (one or more statements), SQL per dialect, or a function given the migration's
   * transaction and the dialect. Runs in one transaction with its bookkeeping: all of it lands, or none.
   */
  readonly up: string | DialectSql | ((tx: SqlTransaction, dialect: SqlDialect) => Promise<void>)
}

/**
 * Queries on a store or inside one transaction. Every query returns a promise.
 *
 * Raw SQL uses `?` placeholders on every dialect (a PostgreSQL adapter numbers them `$1…$n`; a `?`
 * inside a string literal, quoted identifier or comment is left alone). Integers come back as
 * numbers, on every dialect. Typed queries go through {@link SqlQueries.kysely}.
 */
export interface SqlQueries {
  readonly dialect: SqlDialect
  /** A write (or any statement whose rows are not needed). */
  run(sql: string, params?: SqlParams): Promise<RunResult>
  /** The first row, or `undefined`. */
  get<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined>
  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>
  /** One or more statements without parameters (schema changes). */
  exec(sql: string): Promise<void>
  /**
   * A typed query builder on the same connection: `DB` maps table names to row types. Inside a
   * transaction, it runs in that transaction; it stops working when the transaction ends.
   */
  kysely<DB = Record<string, Record<string, unknown>>>(): Kysely<DB>
}

/**
 * A transaction: the only way to query inside `transaction(fn)` (on PostgreSQL it holds one
 * connection). Querying the store itself from inside `fn` waits for the transaction to end: on
 * SQLite that is a deadlock, reported as `CORE_ERR_STORE_LOCK_TIMEOUT`.
 */
export interface SqlTransaction extends SqlQueries {
  /** A nested transaction (a savepoint): its writes are undone alone if `fn` throws. */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>
}

/** SQL access to the state database. */
export interface SqlStore extends SqlQueries {
  /**
   * Run `fn` in a transaction: all of its writes land, or none do (when `fn` rejects). Query through
   * `tx` only; transactions run one at a time on SQLite, so keep them short and free of network calls.
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>
}

/**
 * A database extension, per dialect: a SQLite loadable extension (`path` of the shared library, as
 * `sqlite-vec`'s `getLoadablePath()` gives it) or a PostgreSQL extension name (`CREATE EXTENSION`).
 */
export interface StoreExtension {
  readonly sqlite?: { readonly path: string; readonly entryPoint?: string }
  readonly postgres?: string
}

/** A plugin's (or the core's) handle on the store: its own migrations, its own tables. */
export interface OwnerStore extends SqlStore {
  readonly owner: string
  /** Apply this owner's migrations that have not run yet, in version order, each once. */
  migrate(migrations: readonly Migration[]): Promise<void>
  /** The highest migration version applied for this owner (0 when none). */
  version(): Promise<number>
  /**
   * Load an extension into the database (once; later calls are no-ops). False when it names nothing
   * for this store's dialect: the caller falls back. Rejects with `CORE_ERR_STORE_EXTENSION` when it fails.
   */
  loadExtension(extension: StoreExtension): Promise<boolean>
}

/**
 * The state store port. The embedded default is SQLite ({@link SqliteStateStore}); a PostgreSQL
 * adapter implements the same port and passes the same contract tests (`state-store-contract.ts`).
 */
export interface StateStore {
  readonly dialect: SqlDialect
  /** Where the data lives: a file, `:memory:`, or a connection string without its password. */
  readonly location: string
  forOwner(owner: string): OwnerStore
  close(): Promise<void>
}
