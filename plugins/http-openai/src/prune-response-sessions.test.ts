import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { definePlugin } from '@openclaw/plugin-sdk'
import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../scripts/test-database.js'
import httpOpenAi from './index.js'
import { PRUNE_RESPONSE_SESSIONS_EVERY_MS } from './prune-response-sessions.js'
import { ResponseSessionStore } from './response-session-store.js'

/** Stands in for the HTTP server: pruning needs no socket. */
const fakeHttp = definePlugin({ id: 'core:http', version: '1.0.0', register() {} })
const HOUR_MS = 3_600_000
const endpoints = { responses: { enabled: true, previousResponseTtlHours: 1 } }

const gateways: TestGateway[] = []
afterEach(async () => {
  for (const gateway of gateways.splice(0).reverse()) await gateway.stop()
})

/** Writes a row as if saved at `at` (on any clock), through the gateway's store. */
async function seed(gateway: TestGateway, responseId: string, at: number): Promise<void> {
  const rows = new ResponseSessionStore(gateway.store.forOwner('http:openai'), { ttlMs: HOUR_MS, now: () => at })
  await rows.migrate()
  await rows.save({ responseId, sessionKey: 'agent:main:openresponses:x', agentId: 'main', subject: 's' })
}

/** The response ids on disk, expired or not. */
async function onDisk(gateway: TestGateway): Promise<string[]> {
  const rows = await gateway.store.forOwner('http:openai').all<{ response_id: string }>('SELECT response_id FROM http_openai_response_sessions ORDER BY response_id')
  return rows.map((row) => row.response_id)
}

describe('pruning of response ids on one gateway (SQLite)', () => {
  it('deletes expired rows at start, then every 10 minutes of the gateway clock', async () => {
    const gateway = await createTestGateway({ config: { gateway: { http: { endpoints } } }, plugins: [fakeHttp, httpOpenAi()], start: false })
    gateways.push(gateway)
    const now = gateway.clock!.now()
    await seed(gateway, 'resp_expired', now - 2 * HOUR_MS)
    await seed(gateway, 'resp_fresh', now)
    await gateway.start()
    await vi.waitFor(async () => expect(await onDisk(gateway)).toEqual(['resp_fresh']))
    gateway.clock!.advance(PRUNE_RESPONSE_SESSIONS_EVERY_MS - 1)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await onDisk(gateway)).toEqual(['resp_fresh']) // not yet due, and not expired
    gateway.clock!.advance(HOUR_MS) // resp_fresh expires; the next round (due 10 minutes after the first) deletes it
    await vi.waitFor(async () => expect(await onDisk(gateway)).toEqual([]))
  })
})

describe('pruning of response ids on two gateways on one PostgreSQL', () => {
  let db: TestDatabase
  let dir: string
  beforeAll(async () => {
    db = await createTestDatabase('openai_prune')
    dir = mkdtempSync(join(tmpdir(), 'openclaw-openai-prune-'))
  })
  afterAll(async () => {
    await db?.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  const replica = async () => {
    const gateway = await createTestGateway({
      config: { storage: { driver: 'postgres', postgres: { url: db.url } }, gateway: { http: { endpoints } } },
      store: 'config',
      stateDir: dir,
      plugins: [fakeHttp, httpOpenAi()],
      start: false,
    })
    gateways.push(gateway)
    return gateway
  }

  it('prunes on the replica that leads http:openai:prune only, and on another one once that one stops', async () => {
    // 1. A starts and leads: it deletes what is expired on its clock.
    const a = await replica()
    const t0 = a.clock!.now()
    await seed(a, 'resp_old', t0 - 2 * HOUR_MS)
    await a.start()
    await vi.waitFor(async () => expect(await onDisk(a)).toEqual([]), { timeout: 10_000 })
    // 2. B's clock is two hours ahead: every row is expired for B, so a B that pruned would delete this one.
    await seed(a, 'resp_new', t0)
    const b = await replica()
    b.clock!.set(t0 + 2 * HOUR_MS)
    await b.start()
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(await onDisk(b)).toEqual(['resp_new'])
    // 3. A stops: B takes the singleton over and prunes.
    await a.stop()
    gateways.splice(gateways.indexOf(a), 1)
    await vi.waitFor(async () => expect(await onDisk(b)).toEqual([]), { timeout: 10_000 })
  })
})
