import { Kysely, PostgresAdapter, PostgresDialect, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery, type DatabaseConnection, type QueryResult } from 'kysely'
import pg from 'pg'
import { LockClass } from '../cluster/lock-keys.js'
import { quoteIdent } from '../cluster/cluster-connection.js'
import { CORE_ERR_STORE_CLOSED, CORE_ERR_STORE_EXTENSION, CORE_ERR_STORE_OPEN, CORE_ERR_STORE_TX_CLOSED } from '../errors/codes.js'
import { createHeldConnectionKysely, type DialectParts } from './held-connection-kysely.js'
import { numberPlaceholders } from './number-placeholders.js'
import { checkOwner, ScopedOwnerStore } from './owner-store.js'
import type { OwnerStore, RunResult, SqlParams, SqlStore, SqlTransaction, StateStore, StoreExtension } from './state-store.js'

export interface PostgresStateStoreOptions {
  /** `postgres://user:password@host:port/database` */
  readonly url: string
  /** Connections in the pool. Default 10. */
  readonly poolSize?: number
  /** The schema the tables live in (created if missing). Default: the role's search_path (`public`). */
  readonly schema?: string
}

const PG_PARTS: DialectParts = {
  createAdapter: () => new PostgresAdapter(),
  createQueryCompiler: () => new PostgresQueryCompiler(),
  createIntrospector: (db) => new PostgresIntrospector(db),
}

/** Integers come back as numbers on every dialect: BIGINT (epoch ms, counts) within 2^53 is exact. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 && format !== 'binary') return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format)
  }) as typeof pg.types.getTypeParser,
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>

async function runOn(db: Queryable, sql: string, params?: SqlParams): Promise<pg.QueryResult> {
  if (!params || params.length === 0) return db.query(numberPlaceholders(sql).sql)
  return db.query(numberPlaceholders(sql).sql, params as unknown[])
}

/** The connection string without its password, for messages and `location`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres://(unparseable url)'
  }
}

/** A held pool client as Kysely's DatabaseConnection. */
function asKyselyConnection(client: Queryable): DatabaseConnection {
  return {
    async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
      const result = await client.query(compiled.sql, compiled.parameters as unknown[])
      return { rows: result.rows as R[], numAffectedRows: result.rowCount === null ? undefined : BigInt(result.rowCount) }
    },
    // eslint-disable-next-line require-yield
    async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
      throw new Error('streaming queries are not supported by the store')
    },
  }
}

/** A transaction (depth 0) or a savepoint in one; its queries run on the transaction's connection. */
class PostgresTransaction implements SqlTransaction {
  readonly dialect = 'postgres' as const
  #state: 'open' | 'nested' | 'ended' = 'open'
  #kysely: Kysely<unknown> | undefined

  constructor(
    private readonly client: pg.PoolClient,
    private readonly depth: number,
  ) {}

  #usable(): void {
    if (this.#state !== 'open') {
      throw new CORE_ERR_STORE_TX_CLOSED(this.#state === 'ended' ? 'its transaction has ended' : 'a nested transaction of it is running; use the nested tx')
    }
  }

  end(): void {
    this.#state = 'ended'
  }

  async run(sql: string, params?: SqlParams): Promise<RunResult> {
    this.#usable()
    return { changes: (await runOn(this.client, sql, params)).rowCount ?? 0 }
  }

  async get<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined> {
    this.#usable()
    return (await runOn(this.client, sql, params)).rows[0] as T | undefined
  }

  async all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    this.#usable()
    return (await runOn(this.client, sql, params)).rows as T[]
  }

  async exec(sql: string): Promise<void> {
    this.#usable()
    await this.client.query(sql)
  }

  kysely<DB = Record<string, Record<string, unknown>>>(): Kysely<DB> {
    this.#usable()
    this.#kysely ??= createHeldConnectionKysely<unknown>(PG_PARTS, asKyselyConnection(this.client), () => this.#usable())
    return this.#kysely as unknown as Kysely<DB>
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    this.#usable()
    const name = `sp${this.depth + 1}`
    await this.client.query(`SAVEPOINT ${name}`)
    const nested = new PostgresTransaction(this.client, this.depth + 1)
    this.#state = 'nested'
    try {
      const result = await fn(nested)
      nested.end()
      await this.client.query(`RELEASE SAVEPOINT ${name}`)
      return result
    } catch (err) {
      nested.end()
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => {})
      throw err
    } finally {
      if (this.#state === 'nested') this.#state = 'open'
    }
  }
}

/**
 * The state store on PostgreSQL (`pg` Pool + Kysely's PostgresDialect), for several gateway replicas
 * on one database. Raw SQL keeps the port's `?` placeholders (numbered `$1…$n` here); a transaction
 * holds one pooled connection; migrations take the schema's migration advisory lock.
 */
export class PostgresStateStore implements StateStore, SqlStore {
  readonly dialect = 'postgres' as const
  readonly location: string
  readonly pool: pg.Pool
  /** Settings for a dedicated connection like the pool's (the cluster connection). */
  readonly clientConfig: pg.ClientConfig
  readonly schema: string | undefined
  readonly #kysely: Kysely<unknown>
  readonly #extensions = new Set<string>()
  #closed = false

  private constructor(options: PostgresStateStoreOptions) {
    this.location = redactUrl(options.url)
    this.schema = options.schema
    this.clientConfig = {
      connectionString: options.url,
      types,
      ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
    }
    this.pool = new pg.Pool({ ...this.clientConfig, max: options.poolSize ?? 10 })
    this.pool.on('error', () => {}) // an idle client lost (server restart): the pool replaces it on next use
    this.#kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: this.pool }) })
  }

  /** Connect (creating the schema if it is missing) and prepare the migration bookkeeping, once across replicas. */
  static async open(options: PostgresStateStoreOptions): Promise<PostgresStateStore> {
    const store = new PostgresStateStore(options)
    try {
      // Under the migration lock: CREATE SCHEMA IF NOT EXISTS is not safe against replicas running it at
      // the same moment (the loser fails on pg_namespace's unique index).
      const schema = options.schema
      if (schema) {
        await store.transaction(async (tx) => {
          await tx.run('SELECT pg_advisory_xact_lock(?::int, hashtext(?))', [LockClass.MIGRATIONS, schema])
          await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`)
        })
      }
      await store.transaction(async (tx) => {
        await tx.run('SELECT pg_advisory_xact_lock(?::int, hashtext(current_schema()))', [LockClass.MIGRATIONS])
        await tx.exec(`CREATE TABLE IF NOT EXISTS _migrations (
          owner TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (owner, version))`)
      })
    } catch (err) {
      await store.pool.end().catch(() => {})
      throw new CORE_ERR_STORE_OPEN(store.location, { cause: err })
    }
    return store
  }

  #open(): void {
    if (this.#closed) throw new CORE_ERR_STORE_CLOSED(this.location)
  }

  forOwner(owner: string): OwnerStore {
    return new ScopedOwnerStore({
      store: this,
      loadExtension: (extension) => this.loadExtension(extension),
      migrationLock: async (tx) => {
        await tx.run('SELECT pg_advisory_xact_lock(?::int, hashtext(current_schema()))', [LockClass.MIGRATIONS])
      },
    }, checkOwner(owner))
  }

  async run(sql: string, params?: SqlParams): Promise<RunResult> {
    this.#open()
    return { changes: (await runOn(this.pool, sql, params)).rowCount ?? 0 }
  }

  async get<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined> {
    this.#open()
    return (await runOn(this.pool, sql, params)).rows[0] as T | undefined
  }

  async all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    this.#open()
    return (await runOn(this.pool, sql, params)).rows as T[]
  }

  async exec(sql: string): Promise<void> {
    this.#open()
    await this.pool.query(sql)
  }

  kysely<DB = Record<string, Record<string, unknown>>>(): Kysely<DB> {
    return this.#kysely as unknown as Kysely<DB>
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    this.#open()
    const client = await this.pool.connect()
    let broken = false
    try {
      await client.query('BEGIN')
      const tx = new PostgresTransaction(client, 0)
      let result: T
      try {
        result = await fn(tx)
      } catch (err) {
        tx.end()
        await client.query('ROLLBACK').catch(() => {
          broken = true
        })
        throw err
      }
      tx.end()
      await client.query('COMMIT')
      return result
    } catch (err) {
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true))
      throw err
    } finally {
      client.release(broken)
    }
  }

  /**
   * `CREATE EXTENSION IF NOT EXISTS` (once per name). False when the extension names no PostgreSQL one.
   * Replicas starting together create it under an advisory lock: two unlocked `IF NOT EXISTS` race,
   * and the loser fails on pg_extension's unique name. The extension's objects go to the schema it
   * was first created in (the database has one copy); code using them from another schema qualifies them.
   */
  async loadExtension(extension: StoreExtension): Promise<boolean> {
    const name = extension.postgres
    if (!name) return false
    if (this.#extensions.has(name)) return true
    try {
      await this.transaction(async (tx) => {
        await tx.run('SELECT pg_advisory_xact_lock(?::int, hashtext(?))', [LockClass.MIGRATIONS, `extension:${name}`])
        await tx.exec(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)}`)
      })
    } catch (err) {
      throw new CORE_ERR_STORE_EXTENSION(name, { cause: err })
    }
    this.#extensions.add(name)
    return true
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#kysely.destroy() // ends the pool
  }
}
