// Two replicas on PostgreSQL for the webhook channel (issue #12): the crash test's traffic (500 signed
// messages to 50 chats) split across two `openclaw gateway` processes on one database, while one of
// them is SIGKILLed mid-delivery and restarted. Every accepted message gets exactly one reply (by
// delivery key and webhook-id), each chat's replies come in order, and no reply is sent by both
// replicas. Real processes, real sockets on 127.0.0.1, an embedded PostgreSQL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createScriptedModelServer, lastUserText, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../scripts/test-database.js'
import { postSigned, SECRET, startReceiver, type Receiver } from '../test/webhook-kit.js'
import { freePort, spawnGateway, type SpawnedGateway } from './spawn-gateway.js'

const CHATS = 50
const PER_CHAT = 10
/** Replies received when the helper kills replica 1 (then restarts it): mid-delivery. */
const KILL_AT_REPLIES = 150

interface Replica {
  readonly index: number
  readonly port: number
  gateway: SpawnedGateway | undefined
  /** What its processes that ended wrote to stderr. */
  log: string
}

let db: TestDatabase
let dir: string
let model: ScriptedModelServer
let receiver: Receiver
const replicas: Replica[] = []

async function startReplica(replica: Replica): Promise<void> {
  replica.gateway = await spawnGateway({
    stateDir: join(dir, 'state'), configPath: join(dir, 'openclaw.json'), port: replica.port, env: { OPENCLAW_DATABASE_URL: db.url }, timeoutMs: 40_000, name: `replica ${replica.index}`,
  })
}

/** What the replica wrote to stderr, across its restarts. */
const logOf = (replica: Replica) => replica.log + (replica.gateway?.log() ?? '')

beforeAll(async () => {
  db = await createTestDatabase('webhook_replicas')
  dir = mkdtempSync(join(tmpdir(), 'openclaw-webhook-replicas-'))
  model = await createScriptedModelServer()
  model.replyWith((request) => ({ text: `re: ${lastUserText(request)}` }))
  receiver = await startReceiver()
  writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({
    gateway: { auth: { token: 'webhook-replicas-token-0123456789' } },
    models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'test-key', maxRetries: 0 } } },
    agents: { defaults: { model: 'openai/scripted-model' } },
    channels: { webhook: { accounts: { main: { secret: SECRET, url: receiver.url, dmPolicy: 'open', allowFrom: ['*'] } } } },
    inbound: { concurrency: 16, leaseMs: 5000 },
    delivery: { baseDelayMs: 50, maxDelayMs: 500, leaseMs: 5000, concurrency: 16 },
    logging: { level: 'error' },
  }))
  for (let index = 0; index < 2; index++) replicas.push({ index, port: await freePort(), gateway: undefined, log: '' })
  await Promise.all(replicas.map((replica) => startReplica(replica)))
}, 90_000)

afterAll(async () => {
  // What the replicas logged at error: the first thing to read when an assertion above failed.
  for (const replica of replicas) if (logOf(replica).trim()) console.warn(`replica ${replica.index} logged:\n${logOf(replica).slice(-3000)}`)
  await Promise.all(replicas.map(async (replica) => {
    await replica.gateway?.kill('SIGTERM')
  }))
  await model?.close()
  await receiver?.close()
  await db?.drop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the webhook channel on two replicas sharing one PostgreSQL', () => {
  it('replies once to each of 500 messages split across both while one is SIGKILLed mid-delivery, in per-chat order', async () => {
    const total = CHATS * PER_CHAT
    let accepted = 0
    let killing: Promise<void> | undefined
    let killedAt: { accepted: number; replies: number } | undefined
    const watch = setInterval(() => {
      if (killing || receiver.replies.length < KILL_AT_REPLIES) return
      clearInterval(watch)
      killedAt = { accepted, replies: receiver.replies.length }
      const victim = replicas[1]!
      killing = (async () => {
        const gateway = victim.gateway!
        await gateway.kill('SIGKILL')
        victim.log += gateway.log()
        await new Promise((resolve) => setTimeout(resolve, 300))
        await startReplica(victim)
      })()
    }, 10)
    // The sender: each chat's messages in order (the next once the last was accepted), the chats at
    // once, split across the replicas; a refused or failed POST goes to the other replica, same webhook-id.
    const send = async (chat: number, n: number) => {
      const id = `msg_${chat}_${n}`
      for (let attempt = 0; ; attempt++) {
        const replica = replicas[(chat + n + attempt) % 2]!
        const res = await postSigned(`http://127.0.0.1:${replica.port}`, 'main', { from: { id: `chat${chat}` }, text: `c${chat}-m${n}` }, { id }).catch(() => undefined)
        if (res?.status === 202) {
          accepted++
          return
        }
        await new Promise((resolve) => setTimeout(resolve, 20 * Math.min(attempt, 10)))
      }
    }
    await Promise.all(Array.from({ length: CHATS }, async (_, chat) => {
      for (let n = 0; n < PER_CHAT; n++) await send(chat, n)
    }))
    // (A promise returned to expect.poll would be awaited: ask for the kill's stats instead.)
    await expect.poll(() => killedAt !== undefined, { timeout: 60_000 }).toBe(true)
    await killing
    expect(accepted).toBe(total)

    // Every accepted message: exactly one reply, by delivery key, by webhook-id and by text.
    const distinct = () => new Map(receiver.replies.map((r) => [r.body.id, r]))
    const deadline = Date.now() + 60_000
    while (distinct().size < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    const byKey = distinct()
    expect(byKey.size).toBe(total)
    expect(new Set(receiver.replies.map((r) => r.webhookId)).size).toBe(total)
    expect(new Set([...byKey.values()].map((r) => r.body.text)).size).toBe(total)
    // A reply sent twice is one the killed replica had sent (or was sending) when it died, sent again
    // with the same delivery key and webhook-id; never one that the two live replicas both sent.
    const resent = receiver.replies.length - total
    expect(resent).toBeLessThanOrEqual(16) // at most the sends the killed replica had in flight (delivery.concurrency)
    for (let chat = 0; chat < CHATS; chat++) {
      const firstArrivals: string[] = []
      for (const r of receiver.replies) if (r.body.to === `chat${chat}` && !firstArrivals.includes(r.body.text)) firstArrivals.push(r.body.text)
      expect(firstArrivals).toEqual(Array.from({ length: PER_CHAT }, (_, n) => `re: c${chat}-m${n}`))
    }
    expect(receiver.badSignatures).toBe(0)

    // Both replicas did the work, and each session's transcript holds each message once.
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM core_transcript WHERE role = 'user'")
      expect(Number(rows[0]!.n)).toBe(total)
      const { rows: dupes } = await client.query("SELECT session_key, data FROM core_transcript WHERE role = 'user' GROUP BY session_key, data HAVING count(*) > 1")
      expect(dupes).toEqual([])
      const { rows: pending } = await client.query("SELECT count(*)::int AS n FROM core_outbox WHERE state <> 'sent'")
      expect(pending[0].n).toBe(0)
    } finally {
      await client.end()
    }
    console.log(`webhook replicas: ${total} accepted; replica 1 killed with ${killedAt!.replies} replies in and ${killedAt!.accepted} messages accepted; ${receiver.replies.length} reply POSTs, ${byKey.size} distinct`)
  }, 180_000)
})
