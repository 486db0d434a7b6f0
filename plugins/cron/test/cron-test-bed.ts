// Test support, not exported: what a cron test file on both stores needs. A scripted model and a
// PostgreSQL database for the file, and gateways running the cron plugin on SQLite or on that database
// (fake clock), stopped after each test.
import providerOpenAi from '@openclaw/plugin-provider-openai'
import type { PluginDefinition } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, createTestGateway, type ScriptedModelServer, type TestGateway } from '@openclaw/plugin-sdk/testing'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../scripts/test-database.js'
import cron from '../src/index.js'

export type Storage = 'sqlite' | 'postgres'

export interface CronTestBed {
  readonly model: ScriptedModelServer
  /** A started gateway with `cron` as its cron config; on PostgreSQL in `schema` of the file's database. */
  startGateway(storage: Storage, options: { readonly schema: string; readonly cron: Record<string, unknown>; readonly plugins?: readonly PluginDefinition<unknown>[] }): Promise<TestGateway>
  /** Run `cleanup` after this test (last registered, first run). */
  afterThisTest(cleanup: () => Promise<unknown>): void
}

export function cronTestBed(database: string): CronTestBed {
  let db: TestDatabase | undefined
  let model: ScriptedModelServer | undefined
  const cleanups: (() => Promise<unknown>)[] = []
  beforeAll(async () => {
    db = await createTestDatabase(database)
    model = await createScriptedModelServer()
  }, 60_000)
  afterAll(async () => {
    await model?.close()
    await db?.drop()
  })
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    model?.reset()
  })
  return {
    get model() {
      if (!model) throw new Error('cronTestBed: the model server starts in beforeAll')
      return model
    },
    async startGateway(storage, options) {
      const gateway = await createTestGateway({
        ...(storage === 'postgres' ? { store: 'config' as const } : {}),
        config: {
          agents: { defaults: { model: 'openai/scripted-model' } },
          models: { providers: { openai: { baseUrl: this.model.baseUrl, apiKey: 'k' } } },
          cron: options.cron,
          ...(storage === 'postgres' ? { storage: { driver: 'postgres', postgres: { url: db!.url, schema: options.schema, poolSize: 3 } } } : {}),
        },
        plugins: [providerOpenAi(), cron(), ...(options.plugins ?? [])],
      })
      cleanups.push(() => gateway.stop())
      return gateway
    },
    afterThisTest(cleanup) {
      cleanups.push(cleanup)
    },
  }
}
