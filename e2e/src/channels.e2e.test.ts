import { definePlugin, type ChannelDefinition, type OutboundMessage } from '@openclaw/plugin-sdk'
import { InMemoryChannel } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from './harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('channels and delivery', () => {
  it('routes an inbound message to a session per peer and delivers the reply back', async () => {
    const channel = new InMemoryChannel()
    h = await startHarness({ plugins: [channel.plugin] })
    h.model.reply({ text: 'hi there' })
    const outcome = await channel.push({ text: 'hello', peer: { id: 'U42', kind: 'direct' } })
    expect(outcome).toMatchObject({ status: 'routed', sessionKey: 'agent:main:memory:direct:u42' })
    expect(channel.delivered).toEqual([expect.objectContaining({ channel: 'memory', to: 'U42', text: 'hi there', sessionKey: 'agent:main:memory:direct:u42' })])
    expect((await h.gateway.sessions.get('agent:main:memory:direct:u42'))?.lastRoute).toEqual({ channel: 'memory', to: 'U42' })
  })

  it('ignores a duplicate of a message it already handled', async () => {
    const channel = new InMemoryChannel()
    h = await startHarness({ plugins: [channel.plugin] })
    await channel.push({ id: 'm1', text: 'hello' })
    expect(await channel.push({ id: 'm1', text: 'hello' })).toEqual({ status: 'duplicate' })
    expect(channel.delivered).toHaveLength(1)
  })

  it('lets inboundMessage drop and messageSending rewrite', async () => {
    const channel = new InMemoryChannel()
    const filter = definePlugin({
      id: 'filter',
      version: '1.0.0',
      register(api) {
        api.hooks.inboundMessage.tap('filter', (m) => (m && m.text.includes('spam') ? null : m))
        api.hooks.messageSending.tap('filter', (m) => m && { ...m, text: `${m.text} [signed]` })
      },
    })
    h = await startHarness({ plugins: [channel.plugin, filter] })
    expect(await channel.push({ text: 'buy spam' })).toEqual({ status: 'dropped' })
    await channel.push({ text: 'hi' })
    expect(channel.delivered.map((m) => m.text)).toEqual(['ok [signed]'])
  })

  it('retries a failing channel and never sends one delivery key twice', async () => {
    const channel = new InMemoryChannel({ failFirst: 2, retryAfterMs: 5 })
    h = await startHarness({ plugins: [channel.plugin] })
    const message = { channel: 'memory', to: 'x', text: 'once', deliveryKey: 'dk-1' }
    const first = await h.gateway.delivery.send(message)
    expect(first.status).toBe('sent')
    expect(channel.attempts).toBe(3)
    const again = await h.gateway.delivery.send(message)
    expect(again).toMatchObject({ status: 'duplicate', receipt: { deliveryKey: 'dk-1' } })
    expect(channel.delivered).toHaveLength(1)
  })

  it('makes a message that fails for good visible, and refuses an unknown channel', async () => {
    const channel = new InMemoryChannel({ failFirst: 100, retryAfterMs: 1 })
    h = await startHarness({ plugins: [channel.plugin] })
    const outcome = await h.gateway.delivery.send({ channel: 'memory', to: 'x', text: 't', deliveryKey: 'dk-2' })
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'CORE_ERR_DELIVERY_FAILED' } })
    await expect(h.gateway.delivery.send({ channel: 'fax', to: 'x', text: 't', deliveryKey: 'dk-3' })).rejects.toThrowError(/Channel 'fax' is not installed/)
  })

  it('reports in the run result whether the reply was delivered, and never fails the run for it', async () => {
    const channel = new InMemoryChannel()
    h = await startHarness({ plugins: [channel.plugin] })
    const sent = await h.gateway.agent.run({ message: 'hi', deliver: { channel: 'memory', to: 'u1' } })
    expect(sent).toMatchObject({ status: 'ok', delivery: { status: 'sent' } })
    const nowhere = await h.gateway.agent.run({ message: 'hi', deliver: { channel: 'fax', to: 'u1' } })
    expect(nowhere).toMatchObject({ status: 'ok', delivery: { status: 'failed', error: { code: 'CORE_ERR_CHANNEL_UNKNOWN' } } })
    const noRoute = await h.gateway.agent.run({ sessionKey: 'fresh', message: 'hi', deliver: true })
    expect(noRoute.delivery?.status).toBe('skipped')
  })

  it('tells the user when the agent fails instead of staying silent', async () => {
    const channel = new InMemoryChannel()
    h = await startHarness({ plugins: [channel.plugin] })
    h.model.fail({ status: 401, body: { error: { message: 'bad key' } } })
    await channel.push({ text: 'hello' })
    expect(channel.delivered[0]?.text).toMatch(/could not answer \(OPENAI_ERR_AUTH\)/)
  })
})

/**
 * A channel whose first send reaches the chat but whose answer is lost (the connection broke after
 * the request went out): the message is there, and the worker hears `maybeDelivered`.
 */
function lostAnswerChannel(options: { idempotentSend?: boolean } = {}) {
  const arrived: OutboundMessage[] = []
  let lost = 1
  const channel: ChannelDefinition = {
    id: 'lossy',
    capabilities: { text: { maxLength: 1000, format: 'plain' }, ...(options.idempotentSend ? { idempotentSend: true } : {}) },
    async send(message) {
      arrived.push(message)
      if (lost-- > 0) throw Object.assign(new Error('lossy: connection reset after the request went out'), { maybeDelivered: true, retryAfterMs: 5 })
      return { messageId: `lossy_${arrived.length}` }
    },
  }
  const plugin = definePlugin({ id: 'channel:lossy', version: '1.0.0', kind: 'channel', register: (api) => api.channels.register(channel) })
  return { plugin, arrived }
}

describe('sends in doubt', () => {
  const message = { channel: 'lossy', to: 'chat-1', text: 'maybe twice', deliveryKey: 'dk-doubt' }

  it('resends a send whose answer was lost (at least once), and counts it in the channel status', async () => {
    const lossy = lostAnswerChannel()
    h = await startHarness({ plugins: [lossy.plugin] })
    expect(await h.gateway.delivery.send(message)).toMatchObject({ status: 'sent' })
    expect(lossy.arrived.map((m) => m.text)).toEqual(['maybe twice', 'maybe twice'])
    const status = h.gateway.channels.status().find((a) => a.channel === 'lossy')
    expect(status).toMatchObject({ inDoubt: { count: 1 }, healthy: true })
  })

  it("with delivery.inDoubt 'dead-letter', makes it a dead letter instead (at most once), which an operator can retry", async () => {
    const lossy = lostAnswerChannel()
    h = await startHarness({ plugins: [lossy.plugin], config: { delivery: { inDoubt: 'dead-letter' } } })
    const outcome = await h.gateway.delivery.send(message)
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'CORE_ERR_DELIVERY_FAILED' } })
    expect(outcome.status === 'failed' && outcome.error?.message).toMatch(/in doubt: its send began at .* it may have reached chat-1/)
    expect(lossy.arrived).toHaveLength(1)
    const [dead] = await h.gateway.delivery.deadLetters({ channel: 'lossy' })
    expect(dead).toMatchObject({ deliveryKey: 'dk-doubt', to: 'chat-1', error: expect.stringMatching(/^in doubt/) })
    expect(h.gateway.channels.status().find((a) => a.channel === 'lossy')?.inDoubt?.count).toBe(1)
    // The operator decides: retried, it is sent again (and not in doubt any more).
    await h.gateway.delivery.retry('dk-doubt')
    await expect.poll(() => lossy.arrived.length, { timeout: 5000 }).toBe(2)
    await expect.poll(async () => (await h!.gateway.delivery.deadLetters({ channel: 'lossy' })).length).toBe(0)
  })

  it('resends without doubt on a channel whose sends are idempotent (the receiver recognises the delivery key)', async () => {
    const lossy = lostAnswerChannel({ idempotentSend: true })
    h = await startHarness({ plugins: [lossy.plugin], config: { delivery: { inDoubt: 'dead-letter' } } })
    expect(await h.gateway.delivery.send(message)).toMatchObject({ status: 'sent' })
    expect(lossy.arrived).toHaveLength(2)
    expect(h.gateway.channels.status().find((a) => a.channel === 'lossy')?.inDoubt).toBeUndefined()
  })
})

describe('outbox across restarts', () => {
  it('keeps a delivery pending for a channel this gateway lacks, and sends it when a gateway has it', async () => {
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { createGateway, createSilentLogger } = await import('@openclaw/core')
    const stateDir = mkdtempSync(join(tmpdir(), 'oc-outbox-'))
    const make = (plugins: never[]) => createGateway({ stateDir, env: {}, logger: createSilentLogger(), config: {}, plugins })
    // 1. A delivery is accepted, then the process goes away before the channel confirms it (the
    //    channel asked for a retry in 2 s: that is honoured across the restart, not forgotten).
    const stuck = new InMemoryChannel({ failFirst: 1, retryAfterMs: 2000 })
    const first = await make([stuck.plugin as never])
    await first.start()
    const pending = first.delivery.send({ channel: 'memory', to: 'x', text: 'survives', deliveryKey: 'dk-restart' })
    await new Promise((r) => setTimeout(r, 50))
    await first.stop()
    await pending
    // 2. A gateway without the channel (say, a one-shot CLI process) leaves it pending.
    const without = await make([])
    await without.start()
    await without.stop()
    // 3. A gateway with the channel sends it, once.
    const channel = new InMemoryChannel()
    const later = await make([channel.plugin as never])
    await later.start()
    await channel.waitForDeliveries(1)
    await later.stop()
    expect(channel.delivered.map((m) => m.text)).toEqual(['survives'])
  })
})
