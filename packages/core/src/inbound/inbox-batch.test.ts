// Inbound batching (`messages.inbound.*`, albums) in the inbox worker, on a real gateway (in-memory
// SQLite) with a channel and a model that record what they see, and a clock the test moves (real
// timers; only the time the core reads moves), so the quiet window ends when the test says so.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createGateway, type Gateway } from '../gateway.js'
import { createSilentLogger } from '../logging/logger.js'
import type { ChannelMessageEvent } from '../types/channel-events.js'
import type { InboundMessage } from '../types/messages.js'
import type { ModelMessage } from '../types/providers.js'
import { movableClock, recordingPlugin, until } from './recording-test-plugin.js'

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

/**
 * A quiet window far longer than any pause of a loaded machine: it ends when the test moves the clock
 * (by less than `inbound.leaseMs`, 60 s, so no claim in flight expires).
 */
const WINDOW = 20_000
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])

async function start(config: Record<string, unknown> = { messages: { inbound: { debounceMs: WINDOW } } }) {
  const clock = movableClock()
  let tapper: ((message: InboundMessage) => InboundMessage | null) | undefined
  const { plugin, requests, delivered } = recordingPlugin({
    register: (api) => api.hooks.inboundMessage.tap({ name: 'test-parts' }, (message) => (tapper && message ? tapper(message) : message)),
    channel: { capabilities: { replyTo: true }, replyToMode: () => 'first', fetchMedia: async () => ({ data: PNG, mimeType: 'image/png' }) },
  })
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-inbox-batch-'))
  const gateway: Gateway = await createGateway({
    stateDir: dir, store: ':memory:', logger: createSilentLogger(), env: {}, clock,
    plugins: [plugin()], config: { agents: { defaults: { model: 'scripted/m' } }, ...config },
  })
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => gateway.stop())
  await gateway.start()
  let n = 0
  const send = async (text: string, extra: Partial<ChannelMessageEvent> = {}) => {
    const id = `e${++n}`
    const event: ChannelMessageEvent = { kind: 'message', id, messageId: `m${n}`, channel: 'test', chat: { id: 'U1', kind: 'direct' }, sender: { id: 'U1' }, text, ...extra }
    return (await gateway.inbound.accept(event)).inboxId
  }
  const rows = async () => new Map((await gateway.inbound.list({ limit: 1000 })).map((r) => [r.id, r]))
  const state = async (inboxId: string) => (await rows()).get(inboxId)?.state
  const done = async (inboxId: string) => until(async () => (await state(inboxId)) === 'done', `inbox row ${inboxId} done`)
  /** Move the gateway's clock past the quiet window. */
  const quiet = () => {
    clock.offset += WINDOW + 1000
  }
  const tap = (fn: (message: InboundMessage) => InboundMessage | null) => {
    tapper = fn
  }
  return { gateway, clock, requests, delivered, send, rows, state, done, quiet, tap }
}

const lastUser = (messages: readonly ModelMessage[]) => messages.filter((m) => m.role === 'user').at(-1)!
const userTexts = (messages: readonly ModelMessage[]) => messages.filter((m) => m.role === 'user').map((m) => m.content)

describe('inbound batching', () => {
  it('runs three quick texts as one turn (the lines joined in order), with one reply answering the last message', async () => {
    const t = await start()
    const first = await t.send('one')
    const second = await t.send('two')
    const third = await t.send('three')
    // Inside the quiet window nothing runs; the leading row waits with a due time (never dropped).
    await new Promise((r) => setTimeout(r, 500))
    expect(t.requests).toHaveLength(0)
    expect(await t.state(first)).toBe('pending')
    t.quiet()
    await t.done(first)
    expect(t.requests).toHaveLength(1)
    expect(lastUser(t.requests[0]!).content).toBe('one\ntwo\nthree')
    await until(() => t.delivered.length === 1, 'reply delivered')
    expect(t.delivered[0]).toMatchObject({ text: 'answer 1', replyToId: 'm3' })
    expect(await t.state(second)).toBe('batched')
    expect((await t.rows()).get(third)).toMatchObject({ state: 'batched', reason: `batched into ${first}` })
    await new Promise((r) => setTimeout(r, 300))
    expect(t.delivered).toHaveLength(1)
  })

  it('runs a text and a following photo as two turns: media flush at once and never join a text batch', async () => {
    const t = await start()
    const text = await t.send('here is a picture')
    const photo = await t.send('', { attachments: [{ ref: 'photo-1', kind: 'image' }] })
    // The photo closes the text's batch: no quiet window to wait for.
    await t.done(text)
    await t.done(photo)
    expect(t.requests).toHaveLength(2)
    expect(lastUser(t.requests[0]!)).toEqual({ role: 'user', content: 'here is a picture' })
    expect(lastUser(t.requests[1]!)).toMatchObject({ attachments: [expect.objectContaining({ kind: 'image' })] })
  })

  it('never batches a reset trigger: text before /new runs alone, /new resets, text after it runs in the fresh session', async () => {
    const t = await start()
    const one = await t.send('one')
    const reset = await t.send('/new')
    const two = await t.send('two')
    await t.done(one)
    await t.done(reset)
    expect(lastUser(t.requests[0]!).content).toBe('one')
    t.quiet()
    await t.done(two)
    expect(t.requests).toHaveLength(2)
    expect(userTexts(t.requests[1]!)).toEqual(['two'])
  })

  it('keeps two senders of one group apart: each sender’s consecutive texts are a turn of their own', async () => {
    const t = await start()
    const group = { chat: { id: 'G1', kind: 'group' as const } }
    const a1 = await t.send('a1', { ...group, sender: { id: 'A' } })
    await t.send('a2', { ...group, sender: { id: 'A' } })
    const b1 = await t.send('b1', { ...group, sender: { id: 'B' } })
    await t.send('b2', { ...group, sender: { id: 'B' } })
    await t.done(a1) // closed by B's message: runs without waiting
    t.quiet()
    await t.done(b1)
    expect(t.requests.map((r) => lastUser(r).content)).toEqual(['a1\na2', 'b1\nb2'])
  })

  it('bounds a batch at 12 messages; the rest make the next turn', async () => {
    const t = await start()
    const ids: string[] = []
    for (let i = 1; i <= 14; i++) ids.push(await t.send(`line ${i}`))
    await t.done(ids[0]!) // 12 messages: full, runs without waiting
    t.quiet()
    await t.done(ids[12]!)
    expect(t.requests.map((r) => lastUser(r).content.split('\n').length)).toEqual([12, 2])
    expect(lastUser(t.requests[1]!).content).toBe('line 13\nline 14')
    expect(await t.state(ids[11]!)).toBe('batched')
  })

  it('re-runs a leading row after a crash with exactly the members it recorded (never a fresh scan), and the model runs once', async () => {
    const t = await start()
    const first = await t.send('one')
    await t.send('two')
    t.quiet()
    await t.done(first)
    await until(() => t.delivered.length === 1, 'reply delivered')
    // A later text waits in its own quiet window; then the leading row is pending again, as after a crash
    // between the run and the row's completion. It is the session's first row now: a fresh scan would absorb 'four'.
    const four = await t.send('four')
    await t.gateway.store.forOwner('core').run("UPDATE core_inbox SET state = 'pending', due_at = ? WHERE id = ?", [t.clock.now(), first])
    await t.done(first)
    expect(t.requests).toHaveLength(1)
    expect(await t.state(four)).toBe('pending')
    t.quiet()
    await t.done(four)
    expect(t.requests).toHaveLength(2)
    expect(lastUser(t.requests[1]!).content).toBe('four')
    expect(userTexts(t.requests[1]!)).toEqual(['one\ntwo', 'four'])
    await until(() => t.delivered.length === 2, 'second reply delivered')
    await new Promise((r) => setTimeout(r, 300))
    expect(t.delivered.map((m) => m.text)).toEqual(['answer 1', 'answer 2'])
  })

  it('runs an album’s parts as one turn with every photo and the caption, even with text batching off', async () => {
    const t = await start({})
    const album = { groupId: 'album-1' }
    const first = await t.send('', { ...album, attachments: [{ ref: 'p1', kind: 'image' }] })
    await t.send('our trip', { ...album, attachments: [{ ref: 'p2', kind: 'image' }] })
    await t.send('', { ...album, attachments: [{ ref: 'p3', kind: 'image' }] })
    t.quiet()
    await t.done(first)
    expect(t.requests).toHaveLength(1)
    const message = lastUser(t.requests[0]!) as { content: string; attachments?: readonly unknown[] }
    expect(message.content).toBe('our trip')
    expect(message.attachments).toHaveLength(3)
  })

  it('shows every event to the inbound hooks: a tap that drops one leaves it out of the turn, one that drops them all drops the batch', async () => {
    const t = await start()
    const seen: string[] = []
    t.tap((message) => (seen.push(message.text), message.text.includes('secret') ? null : message))
    const first = await t.send('one')
    await t.send('secret two')
    await t.send('three')
    t.quiet()
    await t.done(first)
    expect(seen).toEqual(['one', 'secret two', 'three'])
    expect(lastUser(t.requests[0]!).content).toBe('one\nthree')
    const lead = await t.send('secret a')
    const member = await t.send('secret b')
    t.quiet()
    await until(async () => (await t.state(lead)) === 'dropped', 'leading row dropped')
    expect((await t.rows()).get(member)).toMatchObject({ state: 'dropped', reason: expect.stringContaining(`batched into ${lead}`) })
    expect(t.requests).toHaveLength(1)
  })

  it('costs nothing when off: with debounce 0 each text is its own turn at once', async () => {
    const t = await start({ messages: { inbound: { debounceMs: WINDOW, byChannel: { test: 0 } } } })
    const one = await t.send('one')
    const two = await t.send('two')
    await t.done(one)
    await t.done(two)
    expect(t.requests.map((r) => lastUser(r).content)).toEqual(['one', 'two'])
  })

  it('refuses OpenClaw messages.* keys it does not implement, naming the path', async () => {
    await expect(start({ messages: { queue: { mode: 'collect' } } })).rejects.toThrow(/messages/)
    await expect(start({ messages: { inbound: { debounceMs: -1 } } })).rejects.toThrow(/messages\.inbound\.debounceMs/)
  })
})
