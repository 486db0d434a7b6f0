import httpHooks from '@openclaw/plugin-http-hooks'
import httpServer from '@openclaw/plugin-http-server'
import providerOpenAi from '@openclaw/plugin-provider-openai'
import { Tokens } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, createTestGateway, InMemoryChannel, lastUserText, type ScriptedModelServer, type TestGateway } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { callMethod } from '../test/call-method.js'
import cron from './index.js'

const HOOKS_TOKEN = 'hooks-secret-token'
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startGateway(config: { heartbeat?: Record<string, unknown> } = {}): Promise<{ gateway: TestGateway; model: ScriptedModelServer; channel: InMemoryChannel; url: string }> {
  const model = await createScriptedModelServer()
  cleanups.push(() => model.close())
  const channel = new InMemoryChannel()
  const gateway = await createTestGateway({
    realClock: true,
    config: {
      gateway: { port: 0, auth: { mode: 'token', token: 'gw-token' } },
      hooks: { enabled: true, token: HOOKS_TOKEN },
      agents: { defaults: { model: 'openai/scripted-model', ...(config.heartbeat ? { heartbeat: config.heartbeat } : {}) } },
      models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k' } } },
    },
    plugins: [httpServer(), httpHooks(), providerOpenAi(), cron(), channel.plugin],
  })
  cleanups.push(() => gateway.stop())
  return { gateway, model, channel, url: gateway.services.resolve(Tokens.HttpServer).url }
}

describe('cron end to end (real time)', () => {
  it('should run an every: 1s agentTurn job and deliver each reply through a channel, once per fire', async () => {
    const { gateway, model, channel } = await startGateway()
    let n = 0
    model.replyWith(() => ({ text: `report ${++n}` }))
    const job = await callMethod(gateway, 'cron.add', {
      name: 'reporter',
      schedule: { kind: 'every', everyMs: 1000 },
      payload: { kind: 'agentTurn', message: 'write the report' },
      delivery: { mode: 'announce', channel: 'memory', to: 'chat-42' },
    })
    expect(job).toMatchObject({ sessionTarget: 'isolated', enabled: true, state: { consecutiveErrors: 0 } })
    await channel.waitForDeliveries(2)
    await callMethod(gateway, 'cron.update', { id: job.id, patch: { enabled: false } })
    expect(channel.delivered.slice(0, 2).map((m) => [m.to, m.text])).toEqual([['chat-42', 'report 1'], ['chat-42', 'report 2']])
    const finishedRuns = async () => (await callMethod(gateway, 'cron.runs', { id: job.id, sortDir: 'asc' })).entries.filter((r: { status: string }) => r.status !== 'running')
    await expect.poll(async () => (await finishedRuns()).length).toBeGreaterThanOrEqual(2)
    const { entries } = await callMethod(gateway, 'cron.runs', { id: job.id, sortDir: 'asc' })
    const finished = await finishedRuns()
    expect(finished.slice(0, 2)).toEqual([
      expect.objectContaining({ status: 'ok', action: 'finished', delivered: true, deliveryStatus: 'delivered', sessionKey: `agent:main:cron:${job.id}` }),
      expect.objectContaining({ status: 'ok', delivered: true }),
    ])
    const scheduled = entries.map((r: { scheduledAtMs: number }) => r.scheduledAtMs)
    expect(new Set(scheduled).size).toBe(scheduled.length)
    // Isolated: a fresh transcript each run.
    const history = await gateway.sessions.history(`agent:main:cron:${job.id}`)
    expect(history.items.filter((e) => e.role === 'user')).toHaveLength(1)
  })

  it('should hand a /hooks/wake next-heartbeat text to the next heartbeat turn', async () => {
    const { url, model } = await startGateway({ heartbeat: { every: '1s' } })
    model.replyWith(() => ({ text: 'HEARTBEAT_OK' }))
    const response = await fetch(`${url}/hooks/wake`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HOOKS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'the deploy finished', mode: 'next-heartbeat' }),
    })
    expect(await response.json()).toEqual({ ok: true, mode: 'next-heartbeat' })
    await expect.poll(() => model.requests.some((r) => lastUserText(r).includes('the deploy finished')), { timeout: 5000 }).toBe(true)
    const turn = model.requests.find((r) => lastUserText(r).includes('the deploy finished'))!
    expect(lastUserText(turn)).toContain('[hooks] the deploy finished')
    expect(lastUserText(turn)).toContain('If nothing needs attention, reply NO_REPLY.')
  })

  it('should not deliver a HEARTBEAT_OK or NO_REPLY heartbeat reply, and deliver a real one', async () => {
    const { gateway, model, channel } = await startGateway({ heartbeat: { every: '1s', target: 'memory', to: 'ops-chat' } })
    const replies = ['HEARTBEAT_OK', 'NO_REPLY', 'Disk is 95% full.']
    model.replyWith(() => ({ text: replies.shift() ?? 'HEARTBEAT_OK' }))
    await channel.waitForDeliveries(1)
    expect(channel.delivered.map((m) => [m.to, m.text])).toEqual([['ops-chat', 'Disk is 95% full.']])
    const runs = (await callMethod(gateway, 'cron.runs', { id: 'heartbeat:main', sortDir: 'asc' })).entries
    expect(runs.slice(0, 2)).toEqual([
      expect.objectContaining({ status: 'ok', delivered: false, deliveryStatus: 'not-delivered' }),
      expect.objectContaining({ status: 'ok', delivered: false, deliveryStatus: 'not-delivered' }),
    ])
    expect((await callMethod(gateway, 'cron.list', { includeDisabled: true })).jobs).toContainEqual(expect.objectContaining({ id: 'heartbeat:main', name: 'Heartbeat (main)', system: true }))
  })

  it('should refuse to change a heartbeat job, a bad schedule and an unknown agent with coded errors', async () => {
    const { gateway } = await startGateway({ heartbeat: { every: '1h' } })
    await expect(callMethod(gateway, 'cron.update', { id: 'heartbeat:main', patch: { enabled: false } })).rejects.toMatchObject({ code: 'CRON_ERR_SYSTEM_JOB' })
    await expect(callMethod(gateway, 'cron.add', { name: 'x', schedule: { kind: 'cron', expr: 'not cron' }, payload: { kind: 'agentTurn', message: 'm' } })).rejects.toMatchObject({ code: 'CRON_ERR_INVALID_SCHEDULE' })
    await expect(callMethod(gateway, 'cron.add', { name: 'x', agentId: 'ghost', schedule: { kind: 'every', everyMs: 60_000 }, payload: { kind: 'agentTurn', message: 'm' } })).rejects.toMatchObject({ code: 'CORE_ERR_AGENT_UNKNOWN' })
    await expect(callMethod(gateway, 'cron.get', { id: 'nope' })).rejects.toMatchObject({ code: 'CRON_ERR_JOB_NOT_FOUND' })
  })
})
