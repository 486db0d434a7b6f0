import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { startReplicas, type TestReplica } from './test-replicas.js'

describe('PgEventBus (LISTEN/NOTIFY between replicas)', () => {
  let db: TestDatabase
  let replicas: TestReplica[]
  beforeAll(async () => {
    db = await createTestDatabase('bus')
    replicas = await startReplicas(db.url, 3)
  })
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()))
    await db.drop()
  })

  it('delivers every event to every replica in publish order, large ones included', async () => {
    const received: Array<Array<{ data: unknown; from: number }>> = [[], [], []]
    const offs = replicas.map((replica, i) => replica.cluster.bus.subscribe('run.event', (data, from) => received[i]!.push({ data, from })))
    const big = 'x'.repeat(20_000)
    const sent = [{ seq: 1 }, { seq: 2, text: big }, { seq: 3 }]
    for (const event of sent) await replicas[0]!.cluster.bus.publish('run.event', event)
    for (const events of received) {
      await expect.poll(() => events.length).toBe(3)
      expect(events).toEqual(sent.map((data) => ({ data, from: replicas[0]!.cluster.replicaKey })))
    }
    for (const off of offs) off()
  })

  it('keeps topics apart', async () => {
    const heard: unknown[] = []
    const off = replicas[2]!.cluster.bus.subscribe('topic.a', (data) => heard.push(data))
    await replicas[1]!.cluster.bus.publish('topic.b', 'not for a')
    await replicas[1]!.cluster.bus.publish('topic.a', 'for a')
    await expect.poll(() => heard).toEqual(['for a'])
    off()
  })
})
