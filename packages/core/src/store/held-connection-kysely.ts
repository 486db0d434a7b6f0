import { Kysely, type DatabaseConnection, type Dialect, type Driver } from 'kysely'
import { CORE_ERR_STORE_TX_CLOSED } from '../errors/codes.js'

/** What a dialect is made of, apart from its driver. */
export type DialectParts = Pick<Dialect, 'createAdapter' | 'createQueryCompiler' | 'createIntrospector'>

/** A driver that hands out one connection someone else already holds (a transaction's). */
class HeldConnectionDriver implements Driver {
  constructor(
    private readonly connection: DatabaseConnection,
    private readonly assertUsable: () => void,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.assertUsable()
    return this.connection
  }

  async beginTransaction(): Promise<void> {
    throw new CORE_ERR_STORE_TX_CLOSED('it is already a transaction; use tx.transaction(fn) for a nested one')
  }

  async commitTransaction(): Promise<void> {}

  async rollbackTransaction(): Promise<void> {}

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}
}

/**
 * A Kysely instance bound to a connection a transaction holds: its queries run in that transaction,
 * and fail with `CORE_ERR_STORE_TX_CLOSED` once `assertUsable` says the transaction is over.
 */
export function createHeldConnectionKysely<DB>(parts: DialectParts, connection: DatabaseConnection, assertUsable: () => void): Kysely<DB> {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => parts.createAdapter(),
      createQueryCompiler: () => parts.createQueryCompiler(),
      createIntrospector: (db) => parts.createIntrospector(db),
      createDriver: () => new HeldConnectionDriver(connection, assertUsable),
    },
  })
}
