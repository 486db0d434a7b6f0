// Three `openclaw gateway` processes on one PostgreSQL (issue #11): turns sent in rotation while one
// replica is SIGKILLed twice and restarted. Real processes, real sockets on 127.0.0.1, the `openai`
// SDK and `ws` as clients, scripted model servers (one per replica, so each model call names its replica).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScriptedModelServer, lastUserText, type RecordedRequest, type ScriptedModelServer, type ScriptedStep } from '@openclaw/plugin-sdk/testing'
import { createTestDatabase, type TestDatabase } from '../../../scripts/test-database.js'
import { freePort, spawnGateway, type SpawnedGateway } from './spawn-gateway.js'
// Test support of a sibling package, by path (as the rpc tests' own client).
import { RpcTestClient, type Frame } from '../../../plugins/rpc/test/rpc-test-client.js'

const TOKEN = 'replica-test-token'
const REPLICAS = 3
// 600 turns (the 200 × 5 took 75 s on a loaded 2-core machine; this keeps the test under 90 s in CI).
const CONVERSATIONS = 120
const TURNS = 5
/** Conversations going on at once. */
const PARALLEL = 40
/** A model call lasts at least this long: two calls of one session closer than this overlapped. */
const MODEL_MS = 15
/** Turns answered when the helper kills the second replica (then restarts it). */
const KILL_AT = [150, 380]

interface ModelCall {
  readonly replica: number
  readonly tag: string
  readonly session: string
  readonly at: number
}

interface Replica {
  readonly index: number
  readonly port: number
  readonly model: ScriptedModelServer
  gateway: SpawnedGateway | undefined
  /** What its processes that ended wrote to stderr. */
  log: string
}

let db: TestDatabase
let dir: string
const replicas: Replica[] = []
const calls: ModelCall[] = []
const kills: Array<{ replica: number; at: number }> = []

/** Every replica's model: `[tag] …` answers `reply tag` after MODEL_MS; `slow:` streams slowly; `hang:` never answers. */
function script(replica: number) {
  return (request: RecordedRequest): ScriptedStep => {
    const text = lastUserText(request)
    const tag = /^\[([^\]]+)\]/.exec(text)?.[1] ?? text
    calls.push({ replica, tag, session: tag.replace(/-t\d+$/, '').replace(/-n\d+$/, ''), at: Date.now() })
    if (text.startsWith('hang:')) return { type: 'hang' }
    if (text.startsWith('slow:')) return { text: 'one two three four five six seven eight', chunkDelayMs: 40 }
    return { text: `reply ${tag}`, delayMs: MODEL_MS }
  }
}

async function startReplica(replica: Replica): Promise<void> {
  const configPath = join(dir, `replica-${replica.index}.json`)
  replica.gateway = await spawnGateway({
    stateDir: join(dir, 'state'), configPath, port: replica.port, env: { OPENCLAW_DATABASE_URL: db.url }, timeoutMs: 40_000, name: `replica ${replica.index}`,
  })
}

/** What the replica wrote to stderr, across its restarts. */
const logOf = (replica: Replica) => replica.log + (replica.gateway?.log() ?? '')

async function kill(replica: Replica): Promise<void> {
  const gateway = replica.gateway!
  kills.push({ replica: replica.index, at: Date.now() })
  await gateway.kill('SIGKILL')
  replica.log += gateway.log()
  replica.gateway = undefined
}

beforeAll(async () => {
  db = await createTestDatabase('replicas')
  dir = mkdtempSync(join(tmpdir(), 'openclaw-replicas-'))
  for (let index = 0; index < REPLICAS; index++) {
    const model = await createScriptedModelServer()
    model.replyWith(script(index))
    const replica: Replica = { index, port: await freePort(), model, gateway: undefined, log: '' }
    replicas.push(replica)
    writeFileSync(join(dir, `replica-${index}.json`), JSON.stringify({
      gateway: { auth: { mode: 'token', token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } },
      models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'test-key', maxRetries: 0, models: ['scripted-model'] } } },
      agents: { defaults: { model: 'openai/scripted-model' } },
      logging: { level: 'warn' },
    }))
  }
  // The first one alone migrates nothing faster; all three at once is the case to cover.
  await Promise.all(replicas.map((replica) => startReplica(replica)))
}, 90_000)

afterAll(async () => {
  // What the replicas logged at warn and above (a lost cluster connection, a failed query): the first
  // thing to read when an assertion above failed.
  for (const replica of replicas) if (logOf(replica).trim()) console.warn(`replica ${replica.index} logged:\n${logOf(replica).slice(-4000)}`)
  await Promise.all(replicas.map(async (replica) => {
    await replica.gateway?.kill('SIGTERM')
    await replica.model.close()
  }))
  await db?.drop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function openai(replica: number): OpenAI {
  return new OpenAI({ baseURL: `http://127.0.0.1:${replicas[replica]!.port}/v1`, apiKey: TOKEN, maxRetries: 0, timeout: 30_000 })
}

/** Send one turn to `first`, moving on to the next replica while one is down (same idempotency key). */
async function turn(clients: OpenAI[], user: string, tag: string, first: number): Promise<string | undefined> {
  for (let attempt = 0; attempt < 12; attempt++) {
    const client = clients[(first + attempt) % REPLICAS]!
    try {
      const completion = await client.chat.completions.create(
        { model: 'openclaw', user, messages: [{ role: 'user', content: `[${tag}] hello` }] },
        { headers: { 'idempotency-key': tag } },
      )
      return completion.choices[0]?.message.content ?? ''
    } catch (error) {
      // Down (connection refused or cut), stopping (503) or busy (429): the next replica, a moment later.
      if (error instanceof OpenAI.APIConnectionError || (error instanceof OpenAI.APIError && [429, 500, 502, 503].includes(error.status ?? 0))) {
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt))
        continue
      }
      throw error
    }
  }
  return undefined
}

async function transcripts(): Promise<Map<string, Array<{ role: string; text: string }>>> {
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  try {
    const { rows } = await client.query<{ session_key: string; role: string; data: string }>('SELECT session_key, role, data FROM core_transcript ORDER BY session_key, seq')
    const bySession = new Map<string, Array<{ role: string; text: string }>>()
    for (const row of rows) {
      const data = JSON.parse(row.data) as { content?: unknown; text?: unknown }
      const text = typeof data.content === 'string' ? data.content : typeof data.text === 'string' ? data.text : JSON.stringify(data.content ?? data)
      const list = bySession.get(row.session_key) ?? []
      list.push({ role: row.role, text })
      bySession.set(row.session_key, list)
    }
    return bySession
  } finally {
    await client.end()
  }
}

async function claimedKeys(): Promise<string[]> {
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  try {
    return (await client.query<{ idempotency_key: string }>('SELECT idempotency_key FROM core_runs')).rows.map((row) => row.idempotency_key)
  } finally {
    await client.end()
  }
}

describe('three gateway replicas on one PostgreSQL', () => {
  it('answers 120 conversations of 5 turns in rotation while a replica is killed twice: each answered turn once, in order, never overlapping', async () => {
    const clients = replicas.map((_, index) => openai(index))
    const answered = new Map<number, string[]>()
    let done = 0
    let killing = Promise.resolve()
    const helper = (count: number) => {
      if (!KILL_AT.includes(count)) return
      killing = killing.then(async () => {
        await kill(replicas[1]!)
        await new Promise((resolve) => setTimeout(resolve, 300))
        await startReplica(replicas[1]!)
      })
    }
    let next = 0
    const worker = async () => {
      for (let c = next++; c < CONVERSATIONS; c = next++) {
        const tags: string[] = []
        for (let t = 1; t <= TURNS; t++) {
          const tag = `c${c}-t${t}`
          const reply = await turn(clients, `conv-${c}`, tag, (c + t) % REPLICAS)
          if (reply !== undefined) {
            expect(reply).toBe(`reply ${tag}`)
            tags.push(tag)
          }
          helper(++done)
        }
        answered.set(c, tags)
      }
    }
    await Promise.all(Array.from({ length: PARALLEL }, worker))
    await killing
    expect(kills).toHaveLength(2)

    const all = await transcripts()
    let answeredTurns = 0
    for (const [c, tags] of answered) {
      answeredTurns += tags.length
      const transcript = all.get(`agent:main:openai-user:conv-${c}`) ?? []
      // A turn cut off by a kill and sent again (same idempotency key) replaces what it wrote: its message once too.
      const asked = transcript.filter((m) => m.role === 'user').map((m) => m.text.replace(/ hello$/, '').replace(/^\[|\]$/g, ''))
      expect(asked.filter((tag) => tags.includes(tag))).toEqual(tags)
      const replies = transcript.filter((m) => m.role === 'assistant').map((m) => m.text)
      // Each answered turn's reply exactly once, in the order sent (a turn cut by a kill may add nothing or its own reply once).
      expect(replies.filter((text) => tags.includes(text.replace(/^reply /, '')))).toEqual(tags.map((tag) => `reply ${tag}`))
      expect(new Set(replies).size).toBe(replies.length)
    }
    // The replicas share one state dir, and so one subject key (it scopes idempotency keys to the
    // caller): keys scoped apart would make a retry on another replica a second run of its turn.
    const subjects = new Set((await claimedKeys()).filter((key) => /:c\d+-t\d+$/.test(key)).map((key) => key.split(':')[1]))
    expect(subjects.size).toBe(1)
    // Only turns cut by the kills may have found no replica in time.
    expect(answeredTurns).toBeGreaterThanOrEqual(CONVERSATIONS * TURNS - 2 * PARALLEL)

    // No two model calls of one session overlapped, except a call on a replica killed while it was going on.
    const cut = (call: ModelCall) => kills.some((k) => k.replica === call.replica && call.at <= k.at && k.at - call.at < MODEL_MS + 200)
    const bySession = new Map<string, ModelCall[]>()
    for (const call of calls) if (call.session.startsWith('c')) bySession.set(call.session, [...(bySession.get(call.session) ?? []), call])
    for (const list of bySession.values()) {
      list.sort((a, b) => a.at - b.at)
      for (let i = 1; i < list.length; i++) if (!cut(list[i - 1]!)) expect(list[i]!.at - list[i - 1]!.at).toBeGreaterThanOrEqual(MODEL_MS - 1)
    }
  }, 150_000)

  it('serialises concurrent turns of one session sent to three replicas at once', async () => {
    const clients = replicas.map((_, index) => openai(index))
    const before = calls.length
    await Promise.all(Array.from({ length: 20 }, (_, s) => Promise.all(Array.from({ length: 3 }, async (_, n) => {
      const tag = `b${s}-n${n}`
      expect(await turn(clients, `burst-${s}`, tag, n)).toBe(`reply ${tag}`)
    }))))
    const burst = calls.slice(before).filter((call) => call.session.startsWith('b'))
    expect(burst).toHaveLength(60)
    expect(new Set(burst.map((call) => call.replica)).size).toBe(3)
    const bySession = new Map<string, number[]>()
    for (const call of burst) bySession.set(call.session, [...(bySession.get(call.session) ?? []), call.at])
    for (const times of bySession.values()) {
      times.sort((a, b) => a - b)
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(MODEL_MS - 1)
    }
  }, 60_000)

  it('runs a repeated idempotency key once, whichever replicas receive it', async () => {
    const clients = replicas.map((_, index) => openai(index))
    for (let k = 0; k < 5; k++) {
      const tag = `dup${k}`
      const before = calls.filter((call) => call.tag === tag).length
      const answers = await Promise.all(clients.map((client) => client.chat.completions.create(
        { model: 'openclaw', user: `dup-${k}`, messages: [{ role: 'user', content: `[${tag}] once` }] },
        { headers: { 'idempotency-key': tag } },
      )))
      expect(answers.map((a) => a.choices[0]?.message.content)).toEqual([`reply ${tag}`, `reply ${tag}`, `reply ${tag}`])
      expect(calls.filter((call) => call.tag === tag).length - before).toBe(1)
    }
  }, 60_000)

  it('streams the events of a run on replica A to a WebSocket client on replica C; wait and abort reach it from C', async () => {
    const url = (replica: number) => `ws://127.0.0.1:${replicas[replica]!.port}/`
    const { client: onA } = await RpcTestClient.connect(url(0), TOKEN)
    const { client: onC } = await RpcTestClient.connect(url(2), TOKEN)
    try {
      onA.send({ type: 'req', id: 'a1', method: 'agent', params: { message: 'slow: tell me', idempotencyKey: 'ws-run', sessionKey: 'agent:main:ws' } })
      await onA.waitFor((f) => f.type === 'res' && f.id === 'a1' && f.payload?.status === 'accepted')
      onC.send({ type: 'req', id: 'c1', method: 'agent', params: { message: 'slow: tell me', idempotencyKey: 'ws-run', sessionKey: 'agent:main:ws' } })
      const ack = await onC.waitFor((f) => f.type === 'res' && f.id === 'c1')
      expect(ack.payload).toMatchObject({ runId: 'ws-run', status: 'in_flight' })
      const waited = onC.request('agent.wait', { runId: 'ws-run', timeoutMs: 10_000 })
      const final = await onC.waitFor((f) => f.type === 'res' && f.id === 'c1' && f.payload?.status !== 'in_flight', 15_000)
      expect(final.payload).toMatchObject({ runId: 'ws-run', status: 'ok' })
      const deltas = onC.events('agent').filter((f: Frame) => f.payload?.stream === 'assistant')
      expect(deltas.length).toBeGreaterThan(1)
      expect(deltas.at(-1)!.payload.data.text).toBe('one two three four five six seven eight')
      expect((await waited).payload).toMatchObject({ runId: 'ws-run', status: 'ok' })
      expect(calls.filter((call) => call.tag === 'slow: tell me')).toHaveLength(1)

      // A run that hangs on A, aborted from C.
      onA.send({ type: 'req', id: 'a2', method: 'agent', params: { message: 'hang: forever', idempotencyKey: 'ws-hang', sessionKey: 'agent:main:ws-hang' } })
      await onA.waitFor((f) => f.type === 'res' && f.id === 'a2' && f.payload?.status === 'accepted')
      await expect.poll(() => calls.some((call) => call.tag === 'hang: forever')).toBe(true)
      const aborted = await onC.request('chat.abort', { sessionKey: 'agent:main:ws-hang', runId: 'ws-hang' })
      expect(aborted.payload).toMatchObject({ ok: true, aborted: true, runIds: ['ws-hang'] })
      const ended = await onA.waitFor((f) => f.type === 'res' && f.id === 'a2' && f.payload?.status !== 'accepted', 10_000)
      expect(ended.payload).toMatchObject({ runId: 'ws-hang', summary: 'aborted' })
    } finally {
      onA.ws.terminate()
      onC.ws.terminate()
    }
  }, 60_000)
})
