import type { Kysely } from 'kysely'
import { CORE_ERR_STORE_OWNER } from '../errors/codes.js'
import { migrationVersion, runMigrations, type MigrationLock } from './run-migrations.js'
import type { Migration, OwnerStore, RunResult, SqlDialect, SqlParams, SqlStore, SqlTransaction, StoreExtension } from './state-store.js'

const OWNER = /^[A-Za-z0-9_:-]{1,64}$/

/** Throw `CORE_ERR_STORE_OWNER` unless `owner` can own tables (a plugin id). */
export function checkOwner(owner: string): string {
  if (!OWNER.test(owner)) throw new CORE_ERR_STORE_OWNER(owner)
  return owner
}

/** What an adapter gives an owner's store besides SQL. */
export interface OwnerStoreBackend {
  readonly store: SqlStore
  loadExtension(extension: StoreExtension): Promise<boolean>
  /** Taken inside each migration's transaction before it checks what ran (PostgreSQL: an advisory lock). */
  readonly migrationLock?: MigrationLock
}

/** An owner's view of a store: the same connection, its own migration line. Shared by every adapter. */
export class ScopedOwnerStore implements OwnerStore {
  readonly dialect: SqlDialect
  readonly #store: SqlStore

  constructor(
    private readonly backend: OwnerStoreBackend,
    readonly owner: string,
  ) {
    this.#store = backend.store
    this.dialect = backend.store.dialect
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.#store.run(sql, params)
  }

  get<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.#store.get<T>(sql, params)
  }

  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.#store.all<T>(sql, params)
  }

  exec(sql: string): Promise<void> {
    return this.#store.exec(sql)
  }

  kysely<DB = Record<string, Record<string, unknown>>>(): Kysely<DB> {
    return this.#store.kysely<DB>()
  }

  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.#store.transaction(fn)
  }

  version(): Promise<number> {
    return migrationVersion(this.#store, this.owner)
  }

  migrate(migrations: readonly Migration[]): Promise<void> {
    return runMigrations(this.#store, this.owner, migrations, this.backend.migrationLock)
  }

  loadExtension(extension: StoreExtension): Promise<boolean> {
    return this.backend.loadExtension(extension)
  }
}
