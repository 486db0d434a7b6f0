// Chat commands (`session.resetTriggers`) and the reset policy (`session.reset`) in the inbox worker,
// on a real gateway (in-memory SQLite) with a channel and a model that record what they see, and a
// clock the test moves (real timers; only the time the core reads moves).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createGateway, type Gateway } from '../gateway.js'
import { createSilentLogger } from '../logging/logger.js'
import type { ChannelMessageEvent } from '../types/channel-events.js'
import type { ModelMessage } from '../types/providers.js'
import { RESET_ACKNOWLEDGEMENT } from './inbox-worker.js'
import { movableClock, recordingPlugin, until } from './recording-test-plugin.js'

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const MIN = 60_000
const SESSION = 'agent:main:test:direct:u1'

/** A gateway with a `test` channel (every event runs) and a model that answers `answer <n>` and keeps each request's messages. */
async function start(config: Record<string, unknown> = {}) {
  const clock = movableClock()
  const { plugin, requests, delivered } = recordingPlugin()
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-session-reset-'))
  const gateway: Gateway = await createGateway({
    stateDir: dir, store: ':memory:', logger: createSilentLogger(), env: {}, clock,
    plugins: [plugin()], config: { agents: { defaults: { model: 'scripted/m' } }, ...config },
  })
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => gateway.stop())
  await gateway.start()
  let n = 0
  const send = async (text: string) => {
    const event: ChannelMessageEvent = { kind: 'message', id: `e${++n}`, channel: 'test', chat: { id: 'U1', kind: 'direct' }, sender: { id: 'U1' }, text }
    return (await gateway.inbound.accept(event)).inboxId
  }
  const done = async (inboxId: string) => until(async () => (await gateway.inbound.list()).find((r) => r.id === inboxId)?.state === 'done', `inbox row ${inboxId} done`)
  const transcript = async () => (await gateway.sessions.history(SESSION)).items.map((e) => `${e.role}: ${e.text}`)
  return { gateway, clock, requests, delivered, send, done, transcript }
}

const texts = (messages: readonly ModelMessage[]) => messages.map((m) => `${m.role}: ${m.content}`)

describe('reset triggers on channel messages', () => {
  it('answers a bare /new without a model turn, and the next turn carries no earlier history', async () => {
    const t = await start()
    await t.done(await t.send('remember 7'))
    await t.done(await t.send('/NEW'))
    await until(() => t.delivered.length === 2, 'acknowledgement delivered')
    expect(t.delivered[1]).toMatchObject({ to: 'U1', text: RESET_ACKNOWLEDGEMENT, deliveryKey: expect.stringMatching(/:reset$/) })
    expect(t.requests).toHaveLength(1)
    expect(await t.transcript()).toEqual([])
    await t.done(await t.send('what did I say?'))
    expect(texts(t.requests[1]!)).toEqual(['user: what did I say?'])
  })

  it('runs the text after the trigger as the fresh session’s first turn, and a redo of the row neither resets again nor runs again', async () => {
    const t = await start()
    await t.done(await t.send('old talk'))
    const inboxId = await t.send('/reset what is 2+2')
    await t.done(inboxId)
    expect(texts(t.requests[1]!)).toEqual(['user: what is 2+2'])
    expect(await t.transcript()).toEqual(['user: what is 2+2', 'assistant: answer 2'])
    await until(() => t.delivered.length === 2, 'answer delivered')
    // The same row again, as after a crash between the run and the row's completion.
    await t.gateway.store.forOwner('core').run("UPDATE core_inbox SET state = 'pending', due_at = ? WHERE id = ?", [t.clock.now(), inboxId])
    await t.done(inboxId)
    await new Promise((r) => setTimeout(r, 300))
    expect(await t.transcript()).toEqual(['user: what is 2+2', 'assistant: answer 2'])
    expect(t.requests).toHaveLength(2)
    expect(t.delivered.map((m) => m.text)).toEqual(['answer 1', 'answer 2'])
  })

  it('treats /newer and text mentioning /new as ordinary messages; resetTriggers [] turns triggers off', async () => {
    const t = await start({ session: { resetTriggers: [] } })
    await t.done(await t.send('hello'))
    await t.done(await t.send('/new'))
    expect(texts(t.requests[1]!)).toEqual(['user: hello', 'assistant: answer 1', 'user: /new'])
    const u = await start()
    await u.done(await u.send('/newer please'))
    await u.done(await u.send('say /new'))
    expect(texts(u.requests[1]!)).toEqual(['user: /newer please', 'assistant: answer 1', 'user: say /new'])
  })
})

describe('session.reset policy', () => {
  it('idle: starts over after idleMinutes without a channel message; other runs on the session do not count', async () => {
    const t = await start({ session: { reset: { mode: 'idle', idleMinutes: 30 } } })
    await t.done(await t.send('one'))
    t.clock.offset += 20 * MIN
    await t.done(await t.send('two'))
    expect(texts(t.requests[1]!)).toEqual(['user: one', 'assistant: answer 1', 'user: two'])
    const interacted = (await t.gateway.sessions.get(SESSION))?.lastInteractionAt
    expect(interacted).toBeGreaterThanOrEqual(t.clock.now() - 1000)
    // 25 minutes later a run that is not a channel message (cron, hooks, HTTP) writes to the session:
    t.clock.offset += 25 * MIN
    await t.gateway.agent.run({ sessionKey: SESSION, message: 'a cron tick' })
    expect((await t.gateway.sessions.get(SESSION))?.lastInteractionAt).toBe(interacted)
    // ... and 6 more minutes (31 since 'two'): stale.
    t.clock.offset += 6 * MIN
    await t.done(await t.send('three'))
    expect(texts(t.requests[3]!)).toEqual(['user: three'])
    expect(await t.transcript()).toEqual(['user: three', 'assistant: answer 4'])
    expect((await t.gateway.sessions.get(SESSION))?.startedAt).toBeGreaterThanOrEqual(t.clock.now() - 1000)
  })

  it('daily: starts over a session that began before the last atHour', async () => {
    const t = await start({ session: { reset: { mode: 'daily', atHour: 4 } } })
    // Today's 03:00 (local time), whatever the real time is.
    const today3 = new Date(t.clock.now())
    today3.setHours(3, 0, 0, 0)
    t.clock.offset = today3.getTime() - Date.now()
    await t.done(await t.send('before four'))
    t.clock.offset += 30 * MIN
    await t.done(await t.send('still before'))
    expect(texts(t.requests[1]!)).toHaveLength(3)
    t.clock.offset += 31 * MIN // 04:01
    await t.done(await t.send('after four'))
    expect(texts(t.requests[2]!)).toEqual(['user: after four'])
  })

  it('refuses idle without idleMinutes, and an hour outside 0-23, naming the path', async () => {
    await expect(start({ session: { reset: { mode: 'idle' } } })).rejects.toThrow(/session\.reset\.idleMinutes/)
    await expect(start({ session: { reset: { mode: 'daily', atHour: 24 } } })).rejects.toThrow(/session\.reset\.atHour/)
  })
})
