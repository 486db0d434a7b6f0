import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { startReplicas, type TestReplica } from './test-replicas.js'

describe('PgRunRegistry (runs across replicas)', () => {
  let db: TestDatabase
  let replicas: TestReplica[]
  beforeAll(async () => {
    db = await createTestDatabase('runs')
    replicas = await startReplicas(db.url, 3, { pollMs: 5_000 })
  })
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()))
    await db.drop()
  })

  it('lets one of three replicas given the same idempotency key run it, and all answer with its result', async () => {
    const claims = await Promise.all(replicas.map((replica, i) => replica.cluster.runs.claim(`run-${i}`, 'agent:main:s', 'key-1')))
    const owners = claims.flatMap((claim, i) => (claim.kind === 'owner' ? [i] : []))
    expect(owners).toHaveLength(1)
    const owner = owners[0]!
    const ownerRunId = `run-${owner}`
    for (const claim of claims) if (claim.kind !== 'owner') expect(claim).toEqual({ kind: 'running', runId: ownerRunId })
    const waits = replicas.map((replica) => replica.cluster.runs.wait(ownerRunId, 10_000))
    await replicas[owner]!.cluster.runs.finish(ownerRunId, { text: 'once' })
    for (const found of await Promise.all(waits)) expect(found).toEqual({ state: 'done', result: { text: 'once' } })
    expect(await replicas[(owner + 1) % 3]!.cluster.runs.claim('run-late', 'agent:main:s', 'key-1')).toEqual({ kind: 'done', runId: ownerRunId, result: { text: 'once' } })
  })

  it('wakes a waiter on another replica by NOTIFY, not by polling', async () => {
    await replicas[0]!.cluster.runs.claim('run-notify', 'agent:main:s')
    const waiting = replicas[2]!.cluster.runs.wait('run-notify', 10_000)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const finishedAt = performance.now()
    await replicas[0]!.cluster.runs.finish('run-notify', 'ok')
    expect(await waiting).toEqual({ state: 'done', result: 'ok' })
    expect(performance.now() - finishedAt).toBeLessThan(1_000) // the poll is 5 s
  })

  it('carries an abort to the replica that runs the run', async () => {
    await replicas[1]!.cluster.runs.claim('run-abort', 'agent:main:s')
    const heard: string[] = []
    const off = replicas[1]!.cluster.runs.onAbort((runId) => heard.push(runId))
    try {
      expect(await replicas[0]!.cluster.runs.lookup('run-abort')).toEqual({ state: 'running', local: false })
      expect(await replicas[0]!.cluster.runs.abort('run-abort')).toBe(true)
      await expect.poll(() => heard).toEqual(['run-abort'])
      expect(await replicas[0]!.cluster.runs.abort('no-such-run')).toBe(false)
    } finally {
      off()
    }
  })

  it('reports a run lost with its replica, and lets another replica claim its key again', async () => {
    const [doomed] = await startReplicas(db.url, 1)
    expect(await doomed!.cluster.runs.claim('run-doomed', 'agent:main:s', 'key-doomed')).toEqual({ kind: 'owner' })
    expect(await replicas[0]!.cluster.runs.claim('run-second', 'agent:main:s', 'key-doomed')).toEqual({ kind: 'running', runId: 'run-doomed' })
    await doomed!.die()
    expect(await replicas[0]!.cluster.runs.wait('run-doomed', 10_000)).toEqual({ state: 'lost' })
    expect(await replicas[0]!.cluster.runs.claim('run-third', 'agent:main:s', 'key-doomed')).toEqual({ kind: 'owner' })
    expect(await replicas[1]!.cluster.runs.lookup('run-doomed')).toEqual({ state: 'unknown' }) // the key's row is run-third's now
  })

  it('answers unknown for a run no replica started', async () => {
    expect(await replicas[0]!.cluster.runs.wait('never-started', 1_000)).toEqual({ state: 'unknown' })
  })
})
