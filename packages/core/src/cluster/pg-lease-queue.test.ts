import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { PgLeaseQueue, type PgLeaseQueueOptions } from './pg-lease-queue.js'
import { startReplicas, type TestReplica } from './test-replicas.js'

const OPTIONS: PgLeaseQueueOptions = {
  table: 'work', key: 'id', due: 'due_at', order: 'created_at', pending: "state = 'pending'", groupBy: ['chat'], leaseMs: 30_000,
}

describe('PgLeaseQueue (outbox and inbox claims)', () => {
  let db: TestDatabase
  let replicas: TestReplica[]
  const queue = (replica: TestReplica, options: Partial<PgLeaseQueueOptions> = {}) =>
    new PgLeaseQueue<{ id: string; chat: string }>(replica.store, replica.cluster.connection, { ...OPTIONS, ...options })

  beforeAll(async () => {
    db = await createTestDatabase('lease_queue')
    replicas = await startReplicas(db.url, 3)
    await replicas[0]!.store.pool.query(`CREATE TABLE work (id TEXT PRIMARY KEY, chat TEXT NOT NULL, state TEXT NOT NULL, due_at BIGINT NOT NULL,
      created_at BIGINT NOT NULL, sent_by BIGINT, sends INTEGER NOT NULL DEFAULT 0, lease_owner BIGINT, lease_until BIGINT)`)
  })
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()))
    await db.drop()
  })

  async function insert(rows: Array<{ id: string; chat: string; at: number }>): Promise<void> {
    for (const row of rows) {
      await replicas[0]!.store.pool.query("INSERT INTO work (id, chat, state, due_at, created_at) VALUES ($1, $2, 'pending', $3, $3)", [row.id, row.chat, row.at])
    }
  }

  it('hands each row to one replica: 120 rows drained by three replicas, each sent once, each chat in order', async () => {
    await replicas[0]!.store.pool.query('DELETE FROM work')
    await insert(Array.from({ length: 120 }, (_, i) => ({ id: `m${String(i).padStart(3, '0')}`, chat: `c${i % 6}`, at: 1000 + i })))
    const sentOrder = new Map<string, string[]>()
    await Promise.all(replicas.map(async (replica) => {
      const q = queue(replica)
      for (;;) {
        const rows = await q.claim(4, 10_000)
        if (rows.length === 0) {
          const { rows: left } = await replica.store.pool.query("SELECT count(*)::int AS n FROM work WHERE state = 'pending'")
          if (left[0].n === 0) return
          await new Promise((resolve) => setTimeout(resolve, 5))
          continue
        }
        for (const row of rows) {
          sentOrder.set(row.chat, [...(sentOrder.get(row.chat) ?? []), row.id])
          expect(await q.complete(row.id, { state: 'sent', sends: 1, sent_by: replica.cluster.replicaKey })).toBe(true)
        }
      }
    }))
    const { rows } = await replicas[0]!.store.pool.query<{ sends: number; n: number }>('SELECT sends, count(*)::int AS n FROM work GROUP BY sends')
    expect(rows).toEqual([{ sends: 1, n: 120 }])
    // Each row handed out once, whichever replica claimed it.
    expect(new Set([...sentOrder.values()].flat()).size).toBe(120)
    expect([...sentOrder.values()].flat()).toHaveLength(120)
    for (const ids of sentOrder.values()) expect(ids).toEqual([...ids].sort())
    const { rows: byReplica } = await replicas[0]!.store.pool.query('SELECT DISTINCT sent_by FROM work')
    expect(byReplica.length).toBeGreaterThan(1)
  })

  it('hands the claims of a replica that died to another one at once, and its late completion fails', async () => {
    await replicas[0]!.store.pool.query('DELETE FROM work')
    await insert([{ id: 'x1', chat: 'a', at: 1 }, { id: 'x2', chat: 'b', at: 2 }])
    const [doomed] = await startReplicas(db.url, 1)
    const doomedQueue = queue(doomed!)
    expect((await doomedQueue.claim(10, 10)).map((row) => row.id)).toEqual(['x1', 'x2'])
    expect(await queue(replicas[1]!).claim(10, 10)).toEqual([])
    await doomed!.die()
    expect((await queue(replicas[1]!).claim(10, 10)).map((row) => row.id)).toEqual(['x1', 'x2'])
  })

  it('hands out a row again when its lease ran out, and the old holder can no longer complete it', async () => {
    await replicas[0]!.store.pool.query('DELETE FROM work')
    await insert([{ id: 'y1', chat: 'a', at: 1 }])
    const a = queue(replicas[0]!, { leaseMs: 1_000 })
    const b = queue(replicas[1]!, { leaseMs: 1_000 })
    expect((await a.claim(1, 100)).map((row) => row.id)).toEqual(['y1'])
    expect(await b.claim(1, 900)).toEqual([])
    expect(await a.renew(['y1'], 900)).toEqual(['y1']) // now held until 1900
    expect(await b.claim(1, 1500)).toEqual([])
    expect((await b.claim(1, 2000)).map((row) => row.id)).toEqual(['y1'])
    // update() keeps the claim (a marker before a send); the old holder can no longer write either.
    expect(await a.update('y1', { sends: 7 })).toBe(false)
    expect(await b.update('y1', { sends: 1 })).toBe(true)
    expect(await a.claim(1, 2500)).toEqual([])
    expect(await a.complete('y1', { state: 'sent' })).toBe(false)
    expect(await b.complete('y1', { state: 'sent' })).toBe(true)
    const { rows } = await replicas[0]!.store.pool.query("SELECT sends, lease_owner FROM work WHERE id = 'y1'")
    expect(rows).toEqual([{ sends: 1, lease_owner: null }])
  })

  it('announces new rows to the other replicas (not to itself); a burst is a few NOTIFYs, not one each', async () => {
    const withBus = (replica: TestReplica) => new PgLeaseQueue(replica.store, replica.cluster.connection, OPTIONS, replica.cluster.bus)
    const heard = [0, 0, 0]
    const stops = replicas.map((replica, i) => withBus(replica).onAnnounce(() => heard[i]!++))
    const sent: number[] = []
    const stopCount = replicas[2]!.cluster.bus.subscribe('work:work', () => sent.push(1))
    try {
      const a = withBus(replicas[0]!)
      a.announce()
      await expect.poll(() => heard[1] === 1 && heard[2] === 1).toBe(true)
      expect(heard[0]).toBe(0)
      for (let i = 0; i < 50; i++) a.announce()
      await expect.poll(() => heard[1]! >= 2 && heard[2]! >= 2).toBe(true)
      await new Promise((resolve) => setTimeout(resolve, 200))
      // The first NOTIFY, then one or two for the burst (each announce during a NOTIFY adds at most one more).
      expect(sent.length).toBeLessThanOrEqual(4)
      // Without a bus (one gateway), nothing to tell.
      expect(() => queue(replicas[0]!).announce()).not.toThrow()
    } finally {
      for (const stop of stops) stop()
      stopCount()
    }
  })
})
