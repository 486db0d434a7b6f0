import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { isCodedError } from '../errors/create-error.js'
import { startReplicas, type TestReplica } from './test-replicas.js'

describe('singletons across replicas', () => {
  let db: TestDatabase
  let replicas: TestReplica[]
  beforeAll(async () => {
    db = await createTestDatabase('singletons')
    replicas = await startReplicas(db.url, 3, { singletonRetryMs: 150 })
  })
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()))
    await db.drop()
  })

  it('runs on one replica at a time, fails over when it dies and when it stops', async () => {
    const running = new Set<number>()
    const log: string[] = []
    const handles = replicas.map((replica, i) =>
      replica.cluster.singleton('cron:tick', async (signal) => {
        running.add(i)
        log.push(`start ${i}`)
        signal.addEventListener('abort', () => log.push(`abort ${i}`))
        return () => {
          running.delete(i)
          log.push(`stop ${i}`)
        }
      }))
    await expect.poll(() => running.size).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 400)) // several retry rounds: still one
    expect(running.size).toBe(1)
    const first = [...running][0]!
    expect(handles.map((handle) => handle.isLeader())).toEqual(replicas.map((_, i) => i === first))

    // 1. The leader dies: its lock goes with its connection, another replica takes over.
    await replicas[first]!.die()
    running.delete(first) // a dead process stops nothing
    await expect.poll(() => running.size, { timeout: 3_000 }).toBe(1)
    const second = [...running][0]!
    expect(second).not.toBe(first)

    // 2. The new leader stops cleanly: the last replica takes over at once, by NOTIFY.
    const stoppedAt = performance.now()
    await handles[second]!.stop()
    expect(log).toContain(`stop ${second}`)
    await expect.poll(() => running.size).toBe(1)
    expect(performance.now() - stoppedAt).toBeLessThan(1_000)
    expect([...running][0]).toBe(3 - first - second)
  })

  it('refuses a second singleton of one name on one replica with a coded error', () => {
    replicas[1]!.cluster.singleton('dup', async () => {})
    let error: unknown
    try {
      replicas[1]!.cluster.singleton('dup', async () => {})
    } catch (e) {
      error = e
    }
    expect(isCodedError(error, 'CORE_ERR_CLUSTER_SINGLETON_DUPLICATE')).toBe(true)
  })
})
