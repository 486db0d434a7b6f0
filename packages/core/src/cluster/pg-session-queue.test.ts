import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { isCodedError } from '../errors/create-error.js'
import { startReplicas, type TestReplica } from './test-replicas.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}

describe('PgSessionQueue (turns of one session across replicas)', () => {
  let db: TestDatabase
  let replicas: TestReplica[]
  beforeAll(async () => {
    db = await createTestDatabase('session_queue')
    replicas = await startReplicas(db.url, 3, { maxWaitingPerSession: 40 })
  })
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()))
    await db.drop()
  })

  it('never overlaps two turns of one session, whichever replica takes them', async () => {
    const spans: Array<{ n: number; start: number; end: number }> = []
    let running = 0
    let maxRunning = 0
    const turns = Array.from({ length: 30 }, (_, n) =>
      replicas[n % 3]!.cluster.sessions.run('agent:main:one', async () => {
        running++
        maxRunning = Math.max(maxRunning, running)
        const start = performance.now()
        await sleep(2)
        spans.push({ n, start, end: performance.now() })
        running--
        return n
      }))
    expect(await Promise.all(turns)).toEqual(Array.from({ length: 30 }, (_, n) => n))
    expect(maxRunning).toBe(1)
    const byStart = [...spans].sort((a, b) => a.start - b.start)
    for (let i = 1; i < byStart.length; i++) expect(byStart[i]!.start).toBeGreaterThanOrEqual(byStart[i - 1]!.end)
  })

  it('runs different sessions at the same time', async () => {
    const both = gate()
    let started = 0
    const task = async () => {
      if (++started === 2) both.open()
      await both.opened
    }
    await Promise.all([replicas[0]!.cluster.sessions.run('agent:main:a', task), replicas[1]!.cluster.sessions.run('agent:main:b', task)])
    expect(started).toBe(2)
  })

  it('counts the busy limit across replicas', async () => {
    const small = await startReplicas(db.url, 3, { maxWaitingPerSession: 2 })
    try {
      const hold = gate()
      const running = gate()
      const first = small[0]!.cluster.sessions.run('agent:main:busy', async () => {
        running.open()
        await hold.opened
      })
      await running.opened
      const waiting = [small[1]!.cluster.sessions.run('agent:main:busy', async () => 'b'), small[2]!.cluster.sessions.run('agent:main:busy', async () => 'c')]
      await expect.poll(() => small[0]!.cluster.sessions.clusterDepth('agent:main:busy')).toBe(3)
      const refused = await small[0]!.cluster.sessions.run('agent:main:busy', async () => 'd').catch((e: unknown) => e)
      expect(isCodedError(refused, 'CORE_ERR_SESSION_BUSY')).toBe(true)
      hold.open()
      await first
      expect(await Promise.all(waiting)).toEqual(['b', 'c'])
      expect(await small[1]!.cluster.sessions.clusterDepth('agent:main:busy')).toBe(0)
    } finally {
      await Promise.all(small.map((replica) => replica.stop()))
    }
  })

  it('frees a session held by a replica that died, and stops counting its waiting turns', async () => {
    const [doomed, survivor] = await startReplicas(db.url, 2, { maxWaitingPerSession: 1 })
    try {
      const running = gate()
      void doomed!.cluster.sessions.run('agent:main:dies', async () => {
        running.open()
        await new Promise(() => {}) // never finishes: its replica dies
      }).catch(() => {})
      await running.opened
      void doomed!.cluster.sessions.run('agent:main:dies', async () => 'never').catch(() => {})
      await expect.poll(() => survivor!.cluster.sessions.clusterDepth('agent:main:dies')).toBe(2)
      await doomed!.die()
      const started = performance.now()
      expect(await survivor!.cluster.sessions.run('agent:main:dies', async () => 'ran')).toBe('ran')
      expect(performance.now() - started).toBeLessThan(2000)
      expect(await survivor!.cluster.sessions.clusterDepth('agent:main:dies')).toBe(0)
    } finally {
      await survivor!.stop()
      await doomed!.stop()
    }
  })
})
