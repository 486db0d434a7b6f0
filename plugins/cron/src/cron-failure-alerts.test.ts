import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { InMemoryChannel, type TestGateway } from '@openclaw/plugin-sdk/testing'
import { describe, expect, it } from 'vitest'
import { callMethod } from '../test/call-method.js'
import { cronTestBed, type Storage } from '../test/cron-test-bed.js'

// Failure alerts end to end: a job's model call fails, runs settle, and the alert goes through the
// gateway's outbox to a channel, once; on SQLite and on PostgreSQL (there also across two replicas,
// the failures settled alternately by each).

const bed = cronTestBed('cron_alerts')

async function startGateway(storage: Storage, schema: string, cronConfig: Record<string, unknown> = {}): Promise<{ gateway: TestGateway; channel: InMemoryChannel }> {
  const channel = new InMemoryChannel()
  const gateway = await bed.startGateway(storage, { schema, cron: cronConfig, plugins: [channel.plugin] })
  return { gateway, channel }
}

/** A job that never fires by itself (daily, and the fake clock stands still): runs are asked for with cron.run. */
const job = (extra: Record<string, unknown> = {}) => ({
  name: 'report',
  schedule: { kind: 'every', everyMs: 86_400_000 },
  payload: { kind: 'agentTurn', message: 'write the report' },
  delivery: { mode: 'announce', channel: 'memory', to: 'chat-1' },
  ...extra,
})

/** Run the job now on this gateway and wait until the run is recorded as finished. */
async function runOnce(gateway: TestGateway, id: string): Promise<string> {
  const { runId } = await callMethod(gateway, 'cron.run', { id })
  await expect.poll(async () => (await callMethod(gateway, 'cron.runs', { id, runId })).entries[0]?.status, { timeout: 15_000 }).not.toBe('running')
  return (await callMethod(gateway, 'cron.runs', { id, runId })).entries[0].status
}

const alertsIn = (...channels: InMemoryChannel[]) => channels.flatMap((c) => c.delivered).filter((m) => m.text.startsWith('Automation "report"'))

let schemas = 0
describe.each<Storage>(['sqlite', 'postgres'])('failure alerts on %s', (storage) => {
  it('should send one alert after N consecutive failures, not one per failure, and a recovery notice after a success that resets the count', async () => {
    const { gateway, channel } = await startGateway(storage, `alerts_${++schemas}`)
    const { id } = await callMethod(gateway, 'cron.add', job({ failureAlert: { after: 3 } }))
    // 1. Five failed model calls (400: not retried): the alert goes out at the third, once.
    bed.model.fail({ status: 400, times: 5 })
    for (let i = 1; i <= 5; i++) {
      expect(await runOnce(gateway, id)).toBe('error')
      if (i === 2) expect(alertsIn(channel)).toEqual([])
    }
    await expect.poll(() => alertsIn(channel).length).toBe(1)
    const [alert] = alertsIn(channel)
    expect(alert).toMatchObject({ channel: 'memory', to: 'chat-1' })
    expect(alert!.text).toContain('failed 3 times')
    expect((await callMethod(gateway, 'cron.get', { id })).state).toMatchObject({ consecutiveErrors: 5, lastFailureAlertAtMs: expect.any(Number) })
    // 2. A success: its reply, one recovery notice, and the count starts again.
    expect(await runOnce(gateway, id)).toBe('ok')
    await expect.poll(() => alertsIn(channel).map((m) => m.text.split('\n')[0])).toEqual(['Automation "report" failed 3 times', 'Automation "report" recovered'])
    const state = (await callMethod(gateway, 'cron.get', { id })).state
    expect(state.consecutiveErrors).toBe(0)
    expect(state.lastFailureAlertAtMs).toBeUndefined()
    // 3. Two failures stay below the threshold: no alert.
    bed.model.fail({ status: 400, times: 2 })
    for (let i = 0; i < 2; i++) expect(await runOnce(gateway, id)).toBe('error')
    expect(alertsIn(channel)).toHaveLength(2)
    // Each alert was sent once, and recorded as sent.
    const rows = await gateway.store.forOwner('cron').all<{ kind: string; status: string }>('SELECT kind, status FROM cron_alerts ORDER BY created_at')
    expect(rows).toEqual([{ kind: 'failure', status: 'sent' }, { kind: 'recovered', status: 'sent' }])
  }, 60_000)

  it('should send nothing for a job with failureAlert false, nor for one without a route or a policy', async () => {
    const { gateway, channel } = await startGateway(storage, `alerts_${++schemas}`)
    const off = await callMethod(gateway, 'cron.add', job({ failureAlert: false }))
    const quiet = await callMethod(gateway, 'cron.add', job({ delivery: { mode: 'none' } }))
    bed.model.fail({ status: 400, times: 6 })
    for (let i = 0; i < 3; i++) {
      expect(await runOnce(gateway, off.id)).toBe('error')
      expect(await runOnce(gateway, quiet.id)).toBe('error')
    }
    expect(alertsIn(channel)).toEqual([])
    expect(await gateway.store.forOwner('cron').all('SELECT id FROM cron_alerts')).toEqual([])
  }, 60_000)

  it('should send the alert to cron.failureAlert\'s destination, after its default of 2 failures', async () => {
    const { gateway, channel } = await startGateway(storage, `alerts_${++schemas}`, { failureAlert: { channel: 'memory', to: 'ops-room' } })
    const { id } = await callMethod(gateway, 'cron.add', job({ delivery: { mode: 'none' } }))
    bed.model.fail({ status: 400, times: 2 })
    expect(await runOnce(gateway, id)).toBe('error')
    expect(await runOnce(gateway, id)).toBe('error')
    await expect.poll(() => alertsIn(channel).map((m) => [m.to, m.text.split('\n')[0]])).toEqual([['ops-room', 'Automation "report" failed 2 times']])
  }, 60_000)
})

describe('failure alerts, how they are sent', () => {
  it('should POST a webhook alert with the bearer token, and try again on the sweep after a failed attempt', async () => {
    const received: { auth: string | undefined; body: Record<string, unknown> }[] = []
    const statuses = [503, 200]
    const server = createServer((req: IncomingMessage, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        received.push({ auth: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> })
        res.writeHead(statuses.shift() ?? 200).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    bed.afterThisTest(() => new Promise((resolve) => server.close(resolve)))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`
    const { gateway } = await startGateway('sqlite', 'unused', { webhookToken: 'hook-token', webhookSsrfPolicy: { allowedHostnames: ['127.0.0.1'] } })
    const { id } = await callMethod(gateway, 'cron.add', job({ delivery: { mode: 'none' }, failureAlert: { after: 1, mode: 'webhook', to: url } }))
    bed.model.fail({ status: 400 })
    expect(await runOnce(gateway, id)).toBe('error')
    await expect.poll(() => received.length).toBe(1)
    // The first attempt got a 503: the alert stays pending, and the ticker's sweep sends it again.
    gateway.clock!.advance(30_000)
    await expect.poll(() => received.length).toBe(2)
    expect(received[1]).toEqual({
      auth: 'Bearer hook-token',
      body: expect.objectContaining({ kind: 'cron.failureAlert', alert: 'failure', jobId: id, jobName: 'report', status: 'error', consecutive: 1, errorReason: 'error', text: expect.stringContaining('Automation "report" failed 1 times') }),
    })
    await expect.poll(async () => (await gateway.store.forOwner('cron').all<{ status: string; attempts: number }>('SELECT status, attempts FROM cron_alerts'))).toEqual([{ status: 'sent', attempts: 2 }])
  }, 60_000)

  it('should count skipped fires toward an alert with includeSkipped, decided by the ticker that records them', async () => {
    const { gateway, channel } = await startGateway('sqlite', 'unused')
    const now = gateway.clock!.now()
    const queue = { payload: { kind: 'systemEvent', text: 'tick' }, sessionTarget: 'main', wakeMode: 'next-heartbeat', missedFires: { policy: 'skip', maxLatenessMs: 5000 } }
    const counted = await callMethod(gateway, 'cron.add', { ...job(queue), schedule: { kind: 'every', everyMs: 60_000, anchorMs: now + 60_000 }, failureAlert: { includeSkipped: true } })
    await callMethod(gateway, 'cron.add', { ...job(queue), name: 'not counted', schedule: { kind: 'every', everyMs: 60_000, anchorMs: now + 60_000 } })
    // The gateway "sleeps" through three fires: one skipped row for the three, 3 skipped in a row.
    gateway.clock!.set(now + 3 * 60_000 + 20_000)
    gateway.clock!.advance(1000)
    await expect.poll(() => alertsIn(channel).map((m) => m.text.split('\n').slice(0, 2))).toEqual([['Automation "report" skipped 3 times', 'Skip reason: too-late']])
    expect((await callMethod(gateway, 'cron.get', { id: counted.id })).state).toMatchObject({ consecutiveSkipped: 3, lastFailureAlertAtMs: expect.any(Number) })
  }, 60_000)

  it.each<Storage>(['sqlite', 'postgres'])('should send, on %s, an alert its replica decided but did not get to send (the sweep), once', async (storage) => {
    const { gateway, channel } = await startGateway(storage, `alerts_${++schemas}`)
    // As a replica that died between committing the alert and sending it leaves it: pending, unclaimed.
    await gateway.store.forOwner('cron').run(
      `INSERT INTO cron_alerts (id, job_id, kind, route, text, facts, status, created_at) VALUES ('lost-1', 'j', 'failure', ?, 'Automation "report" failed 2 times', '{}', 'pending', 0)`,
      [JSON.stringify({ mode: 'announce', channel: 'memory', to: 'chat-9' })],
    )
    gateway.clock!.advance(30_000)
    await expect.poll(() => alertsIn(channel).map((m) => m.to)).toEqual(['chat-9'])
    gateway.clock!.advance(30_000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(alertsIn(channel)).toHaveLength(1)
  }, 60_000)
})

describe('failure alerts across a stop', () => {
  it('should leave an alert decided while the gateway stops pending, without holding the stop, and send it after the restart', async () => {
    const schema = `alerts_restart_${++schemas}`
    const first = await startGateway('postgres', schema)
    const { id } = await callMethod(first.gateway, 'cron.add', job({ failureAlert: { after: 1 } }))
    // 1. A run whose model call never answers, stopped by the gateway's stop: interrupted, an error,
    //    and the alert is decided then, when the delivery worker has already stopped.
    bed.model.hang()
    await callMethod(first.gateway, 'cron.run', { id })
    await expect.poll(() => bed.model.inFlight).toBe(1)
    const started = Date.now()
    await first.gateway.stop()
    expect(Date.now() - started).toBeLessThan(10_000)
    // 2. The next gateway on the same database sends it (the ticker's sweep at start), once.
    const second = await startGateway('postgres', schema)
    await expect.poll(() => alertsIn(second.channel).map((m) => m.text.split('\n').slice(0, 2))).toEqual([['Automation "report" failed 1 times', 'Cause: interrupted']])
    expect(alertsIn(first.channel)).toEqual([])
    expect(await second.gateway.store.forOwner('cron').all('SELECT kind, status FROM cron_alerts')).toEqual([{ kind: 'failure', status: 'sent' }])
  }, 60_000)
})

describe('failure alerts on two replicas sharing PostgreSQL', () => {
  it('should count failures settled on either replica together and send the alert once', async () => {
    const schema = `alerts_replicas_${++schemas}`
    const a = await startGateway('postgres', schema)
    const b = await startGateway('postgres', schema)
    const { id } = await callMethod(a.gateway, 'cron.add', job({ failureAlert: { after: 3 } }))
    bed.model.fail({ status: 400, times: 4 })
    // Failures settle alternately on each replica: a count kept in memory would never reach 3.
    for (const replica of [a, b, a, b]) expect(await runOnce(replica.gateway, id)).toBe('error')
    await expect.poll(() => alertsIn(a.channel, b.channel).length).toBe(1)
    // Give a second sender every chance to show up.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(alertsIn(a.channel, b.channel)).toHaveLength(1) // (either replica's outbox worker may send it)
    expect(await a.gateway.store.forOwner('cron').all('SELECT kind, status FROM cron_alerts')).toEqual([{ kind: 'failure', status: 'sent' }])
  }, 60_000)
})
