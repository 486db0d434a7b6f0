import { definePlugin } from '@openclaw/plugin-sdk'
import { InMemoryChannel, lastUserText } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from './harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('durable inbound: accept()', () => {
  it('answers in milliseconds, before the run, and the worker delivers the reply later', async () => {
    const channel = new InMemoryChannel()
    h = await startHarness({ plugins: [channel.plugin] })
    h.model.reply({ text: 'late answer', delayMs: 400 })
    const started = Date.now()
    const outcome = await channel.accept({ id: 'e1', text: 'hello', chat: { id: 'U1', kind: 'direct' }, sender: { id: 'U1' } })
    expect(Date.now() - started).toBeLessThan(200)
    expect(outcome).toEqual({ status: 'accepted', inboxId: expect.any(String) })
    expect(channel.delivered).toHaveLength(0)
    await channel.waitForDeliveries(1)
    expect(channel.delivered[0]).toMatchObject({ to: 'U1', text: 'late answer', sessionKey: 'agent:main:memory:direct:u1' })
    await until(async () => (await h!.gateway.sessions.get('agent:main:memory:direct:u1'))?.lastRoute?.to === 'U1')
    expect((await h.gateway.sessions.get('agent:main:memory:direct:u1'))?.lastRoute).toEqual({ channel: 'memory', to: 'U1', accountId: 'default' })
  })

  it('de-duplicates by channel, account and event id', async () => {
    const channel = new InMemoryChannel()
    h = await startHarness({ plugins: [channel.plugin] })
    const first = await channel.accept({ id: 'same', text: 'a' })
    expect(await channel.accept({ id: 'same', text: 'a' })).toEqual({ status: 'duplicate', inboxId: first.inboxId })
    expect((await channel.accept({ id: 'same', accountId: 'other', text: 'a' })).status).toBe('accepted')
    await channel.waitForDeliveries(2)
    await new Promise((r) => setTimeout(r, 200))
    expect(channel.delivered).toHaveLength(2)
  })

  it('runs one session in order and sessions concurrently', async () => {
    const channel = new InMemoryChannel()
    h = await startHarness({ plugins: [channel.plugin] })
    h.model.replyWith((request) => ({ text: `re: ${lastUserText(request)}`, delayMs: 30 }))
    for (let i = 0; i < 5; i++) {
      for (const user of ['A', 'B', 'C']) await channel.accept({ text: `${user}${i}`, chat: { id: user, kind: 'direct' }, sender: { id: user } })
    }
    await channel.waitForDeliveries(15)
    for (const user of ['A', 'B', 'C']) {
      expect(channel.delivered.filter((m) => m.to === user).map((m) => m.text)).toEqual([0, 1, 2, 3, 4].map((i) => `re: ${user}${i}`))
    }
    // Concurrency across sessions: the three first turns overlapped.
    const starts = h.model.requests.filter((r) => r.path.endsWith('/chat/completions')).slice(0, 3).map((r) => r.at)
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(30 * 3)
  })

  it('makes an unroutable event a visible failure: the row with its reason, the inboundFailed hook, a log line', async () => {
    const channel = new InMemoryChannel()
    const failures: unknown[] = []
    const watcher = definePlugin({ id: 'watcher', version: '1.0.0', register(api) {
      api.hooks.inboundFailed.tap('watcher', (f) => void failures.push(f))
    } })
    h = await startHarness({ plugins: [channel.plugin, watcher] })
    const { inboxId } = await channel.accept({ text: 'hi', agentId: 'ghost' })
    await until(() => failures.length === 1)
    expect(failures[0]).toMatchObject({ inboxId, code: 'CORE_ERR_INBOUND_UNROUTABLE', reason: expect.stringContaining("agent 'ghost'") })
    const [row] = await h.gateway.inbound.list({ state: 'failed' })
    expect(row).toMatchObject({ id: inboxId, state: 'failed', reason: expect.stringContaining('ghost') })
    expect(channel.delivered).toHaveLength(0)
  })

  it('refuses an event without a sender, storing nothing', async () => {
    const channel = new InMemoryChannel()
    h = await startHarness({ plugins: [channel.plugin] })
    await expect(h.gateway.inbound.accept({ kind: 'message', id: 'x', channel: 'memory', chat: { id: 'c', kind: 'direct' }, text: 'hi' } as never)).rejects.toMatchObject({
      code: 'CORE_ERR_EVENT_INVALID', statusCode: 400,
    })
    expect(await h.gateway.inbound.list()).toEqual([])
  })
})

describe('streaming', () => {
  it('edits a draft while the model streams, at most every throttleMs, ending with the full text', async () => {
    const channel = new InMemoryChannel({ edit: true })
    h = await startHarness({ plugins: [channel.plugin], config: { streaming: { throttleMs: 60 } } })
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')
    h.model.reply({ text: words, chunkDelayMs: 10 })
    await channel.accept({ text: 'stream please' })
    await until(() => channel.edits.at(-1)?.text === words)
    expect(channel.delivered).toHaveLength(1)
    expect(channel.delivered[0]!.deliveryKey).toMatch(/:draft$/)
    expect(channel.edits.length).toBeGreaterThanOrEqual(2)
    for (const edit of channel.edits) expect(edit.messageId).toBe('mem_1')
    expect(channel.edits.length).toBeLessThan(40)
  })

  it('gives a channel that cannot edit the finished reply only', async () => {
    const channel = new InMemoryChannel()
    h = await startHarness({ plugins: [channel.plugin], config: { streaming: { throttleMs: 50 } } })
    h.model.reply({ text: 'one two three four', chunkDelayMs: 20 })
    await channel.accept({ text: 'go' })
    await channel.waitForDeliveries(1)
    await new Promise((r) => setTimeout(r, 100))
    expect(channel.delivered.map((m) => m.text)).toEqual(['one two three four'])
  })
})

describe('delivery worker', () => {
  it('sends a permanent failure straight to dead letters, which can be retried and dropped', async () => {
    let permanent = true
    const sent: string[] = []
    const flaky = definePlugin({ id: 'channel:flaky', version: '1.0.0', register(api) {
      api.channels.register({
        id: 'flaky',
        async send(message) {
          if (permanent) throw Object.assign(new Error('the user blocked the bot'), { permanent: true })
          sent.push(message.text)
          return { messageId: String(sent.length) }
        },
      })
    } })
    h = await startHarness({ plugins: [flaky] })
    const outcome = await h.gateway.delivery.send({ channel: 'flaky', to: 'u', text: 'hello', deliveryKey: 'dk-p' })
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'CORE_ERR_DELIVERY_FAILED', message: expect.stringContaining('blocked') } })
    expect(await h.gateway.delivery.deadLetters()).toEqual([expect.objectContaining({ deliveryKey: 'dk-p', attempts: 1, error: 'the user blocked the bot' })])
    permanent = false
    await h.gateway.delivery.retry('dk-p')
    await until(() => sent.length === 1)
    expect(await h.gateway.delivery.deadLetters()).toEqual([])
    await expect(h.gateway.delivery.drop('dk-p')).rejects.toMatchObject({ code: 'CORE_ERR_DELIVERY_UNKNOWN' })
  })

  it('keeps one chat in order while another chat waits out a retry-after', async () => {
    const log: string[] = []
    let failOnce = true
    const ch = definePlugin({ id: 'channel:ordered', version: '1.0.0', register(api) {
      api.channels.register({
        id: 'ordered',
        async send(message) {
          if (message.to === 'slow' && failOnce) {
            failOnce = false
            throw Object.assign(new Error('429'), { retryAfterMs: 300 })
          }
          log.push(`${message.to}:${message.text}`)
          return { messageId: message.deliveryKey }
        },
      })
    } })
    h = await startHarness({ plugins: [ch] })
    const sends = []
    for (let i = 0; i < 3; i++) {
      sends.push(h.gateway.delivery.send({ channel: 'ordered', to: 'slow', text: `s${i}`, deliveryKey: `slow-${i}` }))
      sends.push(h.gateway.delivery.send({ channel: 'ordered', to: 'fast', text: `f${i}`, deliveryKey: `fast-${i}` }))
    }
    await Promise.all(sends)
    expect(log.filter((l) => l.startsWith('slow')).map((l) => l.slice(5))).toEqual(['s0', 's1', 's2'])
    expect(log.filter((l) => l.startsWith('fast')).map((l) => l.slice(5))).toEqual(['f0', 'f1', 'f2'])
    // The fast chat did not wait for the slow one's retry-after.
    expect(log.indexOf('fast:f2')).toBeLessThan(log.indexOf('slow:s0'))
  })

  it('holds a channel to its declared rate limit', async () => {
    const times: number[] = []
    const limited = definePlugin({ id: 'channel:limited', version: '1.0.0', register(api) {
      api.channels.register({
        id: 'limited',
        capabilities: { rateLimit: { perSecond: 20, burst: 2 } },
        async send(message) {
          times.push(Date.now())
          return { messageId: message.deliveryKey }
        },
      })
    } })
    h = await startHarness({ plugins: [limited] })
    await Promise.all(Array.from({ length: 8 }, (_, i) => h!.gateway.delivery.send({ channel: 'limited', to: `chat${i}`, text: 'x', deliveryKey: `rl-${i}` })))
    // 2 at once, then 6 more at 20/s: at least ~300 ms.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(250)
  })
})

describe('event kinds and typing', () => {
  it('runs an edited message and a button press (answered), with a typing indicator while the run is busy', async () => {
    const typing: number[] = []
    const answered: string[] = []
    const delivered: string[] = []
    let gateway: Parameters<Parameters<typeof definePlugin>[0]['register']>[0]['gateway'] | undefined
    const ch = definePlugin({ id: 'channel:kinds', version: '1.0.0', register(api) {
      gateway = api.gateway
      api.channels.register({
        id: 'kinds',
        capabilities: { typing: true, buttons: true },
        async send(message) {
          delivered.push(message.text)
          return { messageId: String(delivered.length) }
        },
        async typing() {
          typing.push(Date.now())
        },
        async answerButton(press) {
          answered.push(press.callbackId)
        },
      })
    } })
    h = await startHarness({ plugins: [ch] })
    h.model.reply({ text: 'noted the edit', delayMs: 300 }).reply({ text: 'pressed' })
    const base = { channel: 'kinds', chat: { id: 'u1', kind: 'direct' as const }, sender: { id: 'u1' } }
    await gateway!.inbound.accept({ ...base, kind: 'edited', id: 'ev1', messageId: 'm1', text: 'fixed typo' })
    await gateway!.inbound.accept({ ...base, kind: 'button', id: 'ev2', data: 'choice:a', callbackId: 'cb-1' })
    await until(() => delivered.length === 2)
    expect(delivered).toEqual(['noted the edit', 'pressed'])
    expect(answered).toEqual(['cb-1'])
    expect(typing.length).toBeGreaterThanOrEqual(1)
    const users = h.model.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => (r.body as { messages: { role: string; content: string }[] }).messages.at(-1)!.content)
    expect(users).toEqual(['(edited message m1) fixed typo', '(button pressed) choice:a'])
  })
})
