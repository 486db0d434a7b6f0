import type { GatewayConfig } from '../config/config-schema.js'
import { CORE_ERR_CONFIG_INVALID } from '../errors/codes.js'
import type { PostgresStateStoreOptions } from './postgres-state-store.js'

/** Which database a gateway opens, from `storage` and `OPENCLAW_DATABASE_URL`. */
export type StorageChoice = { readonly driver: 'sqlite' } | { readonly driver: 'postgres'; readonly options: PostgresStateStoreOptions }

/**
 * `storage.driver`, else `postgres` when `OPENCLAW_DATABASE_URL` is set, else `sqlite`. PostgreSQL's
 * URL is `storage.postgres.url`, else `OPENCLAW_DATABASE_URL`; neither set is a config error.
 */
export function resolveStorage(config: GatewayConfig, env: NodeJS.ProcessEnv): StorageChoice {
  const fromEnv = env.OPENCLAW_DATABASE_URL?.trim() || undefined
  const driver = config.storage.driver ?? (fromEnv ? 'postgres' : 'sqlite')
  if (driver === 'sqlite') return { driver }
  const pg = config.storage.postgres ?? {}
  const url = pg.url ?? fromEnv
  if (!url) throw new CORE_ERR_CONFIG_INVALID('storage.postgres.url: required with storage.driver "postgres" (or set OPENCLAW_DATABASE_URL)')
  if (!/^postgres(ql)?:\/\//.test(url)) throw new CORE_ERR_CONFIG_INVALID('storage.postgres.url: a postgres:// or postgresql:// URL')
  return {
    driver,
    options: { url, ...(pg.poolSize !== undefined ? { poolSize: pg.poolSize } : {}), ...(pg.schema !== undefined ? { schema: pg.schema } : {}) },
  }
}
