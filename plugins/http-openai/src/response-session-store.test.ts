import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { ResponseSessionStore } from './response-session-store.js'

let gateway: TestGateway | undefined
afterEach(async () => {
  await gateway?.stop()
  gateway = undefined
})

async function store(now: () => number, ttlMs = 1000): Promise<ResponseSessionStore> {
  gateway = await createTestGateway()
  const sessions = new ResponseSessionStore(gateway.store.forOwner('http:openai'), { ttlMs, now })
  await sessions.migrate()
  await sessions.migrate() // idempotent
  return sessions
}

describe('ResponseSessionStore', () => {
  it('should map a response id to its session until the TTL passes', async () => {
    let now = 10_000
    const sessions = await store(() => now)
    await sessions.save({ responseId: 'resp_1', sessionKey: 'agent:main:openresponses:x', agentId: 'main', subject: 'abc' })
    expect(await sessions.get('resp_1')).toEqual({ responseId: 'resp_1', sessionKey: 'agent:main:openresponses:x', agentId: 'main', subject: 'abc', createdAt: 10_000 })
    now += 1000
    expect(await sessions.get('resp_1')).toBeUndefined()
    expect(await sessions.prune()).toBe(1)
    expect(await sessions.get('resp_unknown')).toBeUndefined()
  })
})
