import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScriptedModelServer, startFakeTelegram, type FakeTelegram, type RecordedCall, type ScriptedModelServer, type TgUser } from '@openclaw/plugin-sdk/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { killGateway, startGatewayProcess, writeGatewayConfig } from './gateway-process.js'
import { freePort } from './start-telegram-gateway.js'

// The restart test (bounded, loopback only): 300 updates across 30 chats reach `openclaw gateway`, a
// child process, by long polling, while it is killed with SIGKILL twice mid-poll and restarted: once
// as a getUpdates arrives (the offset it carries just confirmed the previous batch), once right after
// a batch of updates was answered (the gateway is accepting them). The fake Telegram server counts
// what the bot sends: every update is answered exactly once, and each chat's replies are in order.
//
// Around each kill, Telegram holds sendMessage answers (`delay`): a send that Telegram accepted just
// before the process died, but whose outbox row was not yet marked sent, is sent again after the
// restart (Telegram has no idempotency key; the outbox is at-least-once), and that window (the
// send's answer to the commit, hundreds of ms on a loaded machine) is not what this test measures.
// Sends held at the kill die with the process, unanswered, so Telegram never took them.

const CHATS = 30
const PER_CHAT = 10
const TOTAL = CHATS * PER_CHAT
/** How long sends are held before a kill, for the sends answered before to be committed. */
const QUIET_MS = 3_000
/** What Telegram holds around a kill: the sends and the edits of streamed drafts. */
const HELD = ['sendMessage', 'editMessageText']

let dir: string | undefined
let child: ChildProcess | undefined
let model: ScriptedModelServer | undefined
let tg: FakeTelegram | undefined

afterAll(async () => {
  if (child) await killGateway(child)
  await model?.close()
  await tg?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Resolve at the next getUpdates that arrives (`arrival`), or that was answered with updates (`batch`). */
function nextPoll(server: FakeTelegram, moment: 'arrival' | 'batch'): Promise<void> {
  return new Promise((resolve) => {
    const matches = (call: RecordedCall) => call.method === 'getUpdates' && (moment === 'arrival' || (Array.isArray(call.result) && call.result.length > 0))
    const stop = moment === 'arrival' ? server.onCall((call) => matches(call) && done()) : server.onAnswer((call) => matches(call) && done())
    function done() {
      stop()
      resolve()
    }
  })
}

describe('telegram restart test', () => {
  it(`answers each of ${TOTAL} updates exactly once, in per-chat order, across 2 SIGKILLs mid-poll`, async () => {
    dir = mkdtempSync(join(tmpdir(), 'openclaw-telegram-restart-'))
    tg = await startFakeTelegram()
    const fake = tg
    model = await createScriptedModelServer()
    model.replyWith((request) => {
      const asked = /c\d+-m\d+/.exec(JSON.stringify((request.body as { messages: unknown[] }).messages.at(-1)))
      return { text: `re: ${asked?.[0] ?? '?'}` }
    })
    const port = await freePort()
    const configPath = writeGatewayConfig(dir, {
      token: fake.token,
      apiRoot: fake.apiRoot,
      modelBaseUrl: model.baseUrl,
      telegram: { polling: { timeoutSeconds: 1, stallGraceMs: 2000 }, ...(process.env.TG_STREAMING ? { streaming: process.env.TG_STREAMING } : {}) },
      config: { inbound: { concurrency: 16, leaseMs: 5000 }, delivery: { baseDelayMs: 50, maxDelayMs: 500, leaseMs: 5000 } },
    })
    child = await startGatewayProcess(configPath, dir, port)

    const users: TgUser[] = Array.from({ length: CHATS }, (_, chat) => fake.user({ firstName: `Chat ${chat}` }))
    const answered = () => users.reduce((sum, user) => sum + fake.sentCount(user.id), 0)
    const kills: string[] = []
    const killedAt: number[] = []

    // The users write one message per chat per round; the next round goes out once the gateway has
    // fetched (and confirmed) the last one, after a random pause. Before rounds 3 and 6 the gateway
    // is killed: as the getUpdates after round 3's batch arrives, and as round 6's batch is answered.
    for (let round = 0; round < PER_CHAT; round++) {
      const kill = round === 3 ? 'arrival' : round === 6 ? 'batch' : undefined
      if (kill) {
        for (const method of HELD) fake.delay(method, 600_000)
        // Sends answered before the hold get their outbox rows committed; polling and runs go on.
        await new Promise((resolve) => setTimeout(resolve, QUIET_MS))
      }
      const polled = kill ? nextPoll(fake, kill) : undefined
      for (const [chat, user] of users.entries()) fake.sendDm(user, `c${chat}-m${round}`)
      if (polled && kill) {
        await polled
        killedAt.push(Date.now())
        await killGateway(child)
        kills.push(`${kill} (round ${round}, ${answered()} answered)`)
        for (const method of HELD) fake.delay(method, 0)
        child = await startGatewayProcess(configPath, dir, port)
      }
      await fake.waitFor(() => fake.pendingUpdates.length === 0, { timeoutMs: 60_000, description: `round ${round} fetched` })
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 300))
    }

    // Every update answered; then a grace period in which a duplicate would show.
    await fake.waitFor(() => answered() >= TOTAL, { timeoutMs: 120_000, description: `${TOTAL} answers` })
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    // Diagnostics for a failure: which replies came twice, how often the model was asked, and when.
    const duplicates = users.flatMap((user) => {
      const texts = fake.messagesTo(user.id).map((message) => message.plainText)
      return texts.filter((text, i) => texts.indexOf(text) !== i)
    })
    if (duplicates.length > 0) {
      const asked = (text: string) => model!.requests.filter((request) => JSON.stringify(request.body).includes(`"${text.slice(4)}`)).length
      const sends = (text: string) => fake.callsOf('sendMessage').filter((call) => call.params.text === text).map((call) => `${call.at - killedAt[0]!}ms/${String(call.status)}`)
      console.log(`duplicates: ${duplicates.map((text) => `${text} (model asked ${asked(text)}x; sends at ${sends(text).join(', ')} after kill 1; kill 2 at ${killedAt[1]! - killedAt[0]!}ms)`).join('; ')}`)
    }
    for (const [chat, user] of users.entries()) {
      expect(fake.messagesTo(user.id).map((message) => message.plainText)).toEqual(Array.from({ length: PER_CHAT }, (_, n) => `re: c${chat}-m${n}`))
    }
    expect(answered()).toBe(TOTAL)
    expect(kills).toHaveLength(2)
    const polls = fake.callsOf('getUpdates')
    console.log(
      `restart test: ${TOTAL} updates, ${answered()} answers; kills at ${kills.join(', ')}; ${polls.length} getUpdates, ` +
        `${fake.callsOf('sendMessage').length} sendMessage calls, ${fake.updates.length} updates pushed`,
    )
  }, 300_000)
})
