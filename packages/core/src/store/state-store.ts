/** Parameters bound to a statement: positional (`?`) or named (`@name`). */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>

export interface RunResult {
  readonly changes: number
  readonly lastInsertRowid: number | bigint
}

/** One schema change of one owner. Versions start at 1 and only grow; a shipped migration never changes. */
export interface Migration {
  readonly version: number
  readonly name: string
  /** SQL to run, or a function given the owner's store. Runs in a transaction with its bookkeeping. */
  readonly up: string | ((store: SqlStore) => void)
}

/** SQL access to the state database. */
export interface SqlStore {
  run(sql: string, params?: SqlParams): RunResult
  get<T = Record<string, unknown>>(sql: string, params?: SqlParams): T | undefined
  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): T[]
  exec(sql: string): void
  /** Run `fn` in a transaction: all of its writes land, or none do. Nested calls use savepoints. */
  transaction<T>(fn: () => T): T
}

/** A plugin's (or the core's) handle on the store: its own migrations, its own tables. */
export interface OwnerStore extends SqlStore {
  readonly owner: string
  /** Apply this owner's migrations that have not run yet, in version order. */
  migrate(migrations: readonly Migration[]): void
  /** The highest migration version applied for this owner (0 when none). */
  version(): number
}

/**
 * The state store port. The embedded default is SQLite ({@link SqliteStateStore}); the port is what
 * an adapter for another database implements.
 */
export interface StateStore {
  /** The database file, or `:memory:`. */
  readonly location: string
  forOwner(owner: string): OwnerStore
  close(): void
}
