// A turn taken over from a replica counted as dead (issue #11's replica bug): the cut-off run's write
// that was still going on when the other replica took its idempotency key over must not stay in the
// transcript beside the retried turn's. Two gateways in this process on one PostgreSQL; "dead" is a
// cut cluster connection (its presence lock goes) while the replica's last write waits on a row lock.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { createGateway, type Gateway } from '../gateway.js'
import { createLogger } from '../logging/logger.js'
import { PostgresStateStore } from '../store/postgres-state-store.js'
import type { ModelProvider, ModelStreamEvent } from '../types/providers.js'
import { SqlIdempotencyStore } from '../coordination/idempotency-store.js'
import { CORE_MIGRATIONS } from '../sessions/core-migrations.js'
import { LIVE_HOLDERS_SQL, LockClass } from './lock-keys.js'
import { PgCluster } from './pg-cluster.js'
import { postgresCoordination } from './postgres-coordination.js'
import { startReplicas } from './test-replicas.js'

let db: TestDatabase
let dir: string
beforeAll(async () => {
  db = await createTestDatabase('takeover')
  dir = mkdtempSync(join(tmpdir(), 'openclaw-takeover-'))
})
afterAll(async () => {
  await db.drop()
  rmSync(dir, { recursive: true, force: true })
})

/** A model that answers `text` at once, or (text undefined) waits until its run is aborted. */
function model(text: string | undefined): ModelProvider {
  return {
    id: 'scripted',
    models: ['m'],
    stream: (request) => ({
      async *[Symbol.asyncIterator](): AsyncIterator<ModelStreamEvent> {
        if (text === undefined) await new Promise((_, reject) => request.signal?.addEventListener('abort', () => reject(request.signal!.reason), { once: true }))
        yield { type: 'text', delta: text! }
        yield { type: 'finish', reason: 'stop' }
      },
    }),
  } as ModelProvider
}

/** A replica: its own pool and cluster connection (which does not come back once cut, in this test). */
async function replica(answer: string | undefined): Promise<{ gateway: Gateway; cluster: PgCluster; store: PostgresStateStore }> {
  const store = await PostgresStateStore.open({ url: db.url, poolSize: 4 })
  const cluster = new PgCluster({ store, maxWaitingPerSession: 8, pollMs: 100, reconnectMs: 600_000 })
  await cluster.start()
  const plugin = { id: 'model', version: '1.0.0', apiVersion: '^2.0.0', register: (api: { providers: { register(p: ModelProvider): void } }) => api.providers.register(model(answer)) }
  const gateway = await createGateway({
    stateDir: dir, store, cluster, coordination: postgresCoordination(cluster), logger: createLogger({ level: 'silent' }),
    plugins: [plugin as never], config: { agents: { defaults: { model: 'scripted/m' } } },
  })
  await gateway.start()
  return { gateway, cluster, store }
}

describe('a turn taken over from a replica counted as dead', () => {
  it('is in the transcript once, even when the cut-off run was still writing its message', async () => {
    const a = await replica(undefined)
    const b = await replica('from b')
    const admin = new pg.Client({ connectionString: db.url })
    await admin.connect()
    const sessionKey = 'agent:main:takeover'
    const lockWaits = async () => Number((await admin.query("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows[0].n)
    try {
      expect(await b.gateway.agent.run({ message: 'first', sessionKey, idempotencyKey: 'k0' })).toMatchObject({ status: 'ok', text: 'from b' })

      // Replica A's turn: its message's write waits on the session row, held here.
      await admin.query('BEGIN')
      await admin.query('SELECT 1 FROM core_sessions WHERE key = $1 FOR UPDATE', [sessionKey])
      const onA = a.gateway.agent.run({ message: 'second', sessionKey, idempotencyKey: 'k1' })
      await expect.poll(lockWaits, { timeout: 10_000 }).toBe(1)
      // A counts as dead now: its presence lock goes with its cluster connection; its write is still under way.
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = ${LockClass.PRESENCE} AND objid = $1`, [a.cluster.replicaKey])
      await expect.poll(() => a.cluster.connection.open).toBe(false)

      // The client retries the turn on B (same key): B takes it over.
      const onB = b.gateway.agent.run({ message: 'second', sessionKey, idempotencyKey: 'k1' })
      await expect.poll(lockWaits, { timeout: 10_000 }).toBe(2)
      await admin.query('COMMIT')
      const retried = await onB
      expect(retried).toMatchObject({ status: 'ok', text: 'from b' })

      await a.gateway.stop()
      expect((await onA).status).not.toBe('ok')
      const transcript = (await b.gateway.sessions.history(sessionKey)).items.map((entry) => ({ role: entry.role, text: 'text' in entry ? entry.text : undefined, runId: entry.runId }))
      expect(transcript.map(({ role, text }) => [role, text])).toEqual([['user', 'first'], ['assistant', 'from b'], ['user', 'second'], ['assistant', 'from b']])
      expect(transcript.slice(2).map((entry) => entry.runId)).toEqual([retried.runId, retried.runId])
      expect((await b.gateway.sessions.get(sessionKey))?.messageCount).toBe(4)
    } finally {
      await admin.query('ROLLBACK').catch(() => {})
      await admin.end()
      await a.gateway.stop()
      await b.gateway.stop()
      for (const r of [a, b]) {
        await r.cluster.stop()
        await r.store.close()
      }
    }
  }, 60_000)

  it('names the run it cut off exactly, along a chain of dead replicas, and a replica starting meanwhile leaves the claim to the retry', async () => {
    const replicas = await startReplicas(db.url, 4)
    try {
      const clock = { now: () => Date.now() } as never
      await replicas[0]!.store.forOwner('core').migrate(CORE_MIGRATIONS)
      const [r0, r1, r2, r3] = replicas.map((r) => new SqlIdempotencyStore(r.store.forOwner('core'), clock, 60_000, r.cluster.holder, false, LIVE_HOLDERS_SQL))
      const claim = (store: SqlIdempotencyStore, runId: string) => store.claim({ key: 'chain', runId, sessionKey: 'agent:main:chain', leaseMs: 600_000 })
      expect(await claim(r0!, 'run_1')).toEqual({ status: 'claimed' })
      expect(await claim(r1!, 'run_x')).toMatchObject({ status: 'running', runId: 'run_1' })
      await replicas[0]!.die()
      // A replica (re)starting does not drop the dead replica's claim: the retry must learn which run to undo.
      expect(await r3!.recover()).toBe(0)
      expect(await claim(r1!, 'run_2')).toEqual({ status: 'claimed', takenOver: 'run_1' })
      await replicas[1]!.die()
      expect(await claim(r2!, 'run_3')).toEqual({ status: 'claimed', takenOver: 'run_2' })
      expect(await claim(r3!, 'run_4')).toMatchObject({ status: 'running', runId: 'run_3' })
    } finally {
      for (const r of replicas) await r.stop()
    }
  })
})
