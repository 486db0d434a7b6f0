// Inbound batching on PostgreSQL with two replicas sharing one database: events accepted by either
// replica, the batch claimed and recorded by one, run once; a redo of the leading row reads back the
// recorded members. Real timers; the gateway clock (shared by both replicas) moves when told.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../scripts/test-database.js'
import { createGateway, type Gateway } from '../gateway.js'
import { createSilentLogger } from '../logging/logger.js'
import type { ChannelMessageEvent } from '../types/channel-events.js'
import { movableClock, recordingPlugin, until } from '../inbound/recording-test-plugin.js'

let db: TestDatabase
let dir: string
beforeAll(async () => {
  db = await createTestDatabase('inbox_batch')
  dir = mkdtempSync(join(tmpdir(), 'openclaw-pg-inbox-batch-'))
})
afterAll(async () => {
  await db.drop()
  rmSync(dir, { recursive: true, force: true })
})

const WINDOW = 20_000

describe('inbound batching on PostgreSQL, two replicas', () => {
  it('runs quick texts accepted by either replica as one turn, once, and a redo of the leading row re-uses its recorded members', async () => {
    const clock = movableClock()
    const { plugin, requests, delivered } = recordingPlugin()
    const gateways: Gateway[] = []
    try {
      for (let i = 0; i < 2; i++) {
        const gateway = await createGateway({
          stateDir: dir, logger: createSilentLogger(), env: { OPENCLAW_DATABASE_URL: db.url }, clock, plugins: [plugin()],
          config: { agents: { defaults: { model: 'scripted/m' } }, messages: { inbound: { byChannel: { test: WINDOW } } } },
        })
        gateways.push(gateway)
        await gateway.start()
      }
      let n = 0
      const send = async (via: Gateway, text: string) => {
        const event: ChannelMessageEvent = { kind: 'message', id: `e${++n}`, channel: 'test', chat: { id: 'U1', kind: 'direct' }, sender: { id: 'U1' }, text }
        return (await via.inbound.accept(event)).inboxId
      }
      const state = async (id: string) => (await gateways[0]!.inbound.list({ limit: 100 })).find((r) => r.id === id)?.state
      const first = await send(gateways[0]!, 'one')
      const second = await send(gateways[1]!, 'two')
      const third = await send(gateways[0]!, 'three')
      await new Promise((r) => setTimeout(r, 500))
      expect(requests).toHaveLength(0)
      clock.offset += WINDOW + 1000
      await until(async () => (await state(first)) === 'done', 'leading row done', 20_000)
      expect(requests).toHaveLength(1)
      expect(requests[0]!.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['one\ntwo\nthree'])
      expect([await state(second), await state(third)]).toEqual(['batched', 'batched'])
      await until(() => delivered.length === 1, 'reply delivered', 20_000)
      // A redo (the leading row pending again, as after a crash before its completion), with a newer
      // text waiting behind it: the redo runs with the recorded members only, and the model is not called again.
      const four = await send(gateways[1]!, 'four')
      await gateways[0]!.store.forOwner('core').run("UPDATE core_inbox SET state = 'pending', due_at = ? WHERE id = ?", [clock.now(), first])
      await until(async () => (await state(first)) === 'done', 'leading row redone', 20_000)
      expect(requests).toHaveLength(1)
      expect(await state(four)).toBe('pending')
      clock.offset += WINDOW + 1000
      await until(async () => (await state(four)) === 'done', 'the newer text done', 20_000)
      expect(requests.map((r) => r.filter((m) => m.role === 'user').at(-1)!.content)).toEqual(['one\ntwo\nthree', 'four'])
      await until(() => delivered.length === 2, 'second reply delivered', 20_000)
      await new Promise((r) => setTimeout(r, 300))
      expect(delivered.map((m) => m.text)).toEqual(['answer 1', 'answer 2'])
    } finally {
      for (const gateway of gateways) await gateway.stop()
    }
  })
})
