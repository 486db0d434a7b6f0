import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScriptedModelServer, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureIo } from './capture-io.js'
import { runCli } from './run-cli.js'
import { spawnGateway, type SpawnedGateway } from './spawn-gateway.js'

// Bounded restart test: a real `openclaw gateway` (cron plugin included) is killed with SIGKILL while a
// scheduled fire's agent turn is held open by the scripted model server, then started again on the
// same state directory. The fire must be recorded once, as interrupted, and not run again.

const TOKEN = 'cron-restart-token-0123456789'
const HOUR = 3_600_000
/** Short, so the restarted gateway finds the dead run's lease expired within seconds. */
const LEASE_MS = 2000

let dir: string
let configPath: string
let model: ScriptedModelServer
const gateways: SpawnedGateway[] = []

beforeAll(async () => {
  model = await createScriptedModelServer()
  // Every model call hangs: the agent turn stays in flight until its gateway dies.
  model.replyWith(() => ({ type: 'hang' }))
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cron-restart-'))
  configPath = join(dir, 'openclaw.json')
  writeFileSync(configPath, JSON.stringify({
    gateway: { auth: { token: TOKEN } },
    models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'test-key', maxRetries: 0, models: ['scripted-model'] } } },
    agents: { defaults: { model: 'openai/scripted-model' } },
    cron: { leaseMs: LEASE_MS },
  }))
})

afterAll(async () => {
  for (const gateway of gateways) await gateway.kill('SIGKILL')
  await model?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function start(): Promise<SpawnedGateway> {
  const gateway = await spawnGateway({ stateDir: dir, configPath })
  gateways.push(gateway)
  return gateway
}

/** Run an `openclaw` command against `gateway` and parse what it printed as JSON. */
async function cli(gateway: SpawnedGateway, ...args: string[]): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers of many shapes
  const { io, stdout, stderr } = captureIo()
  const code = await runCli(['node', 'openclaw', ...args, '--url', gateway.url, '--token', TOKEN], io)
  if (code !== 0) throw new Error(`openclaw ${args.join(' ')} exited ${code}: ${stderr()}`)
  return JSON.parse(stdout())
}

const modelCalls = () => model.requests.filter((r) => r.path === '/v1/chat/completions')

describe('cron across a SIGKILL of the gateway', () => {
  it('should record a fire whose run was in flight once, as error/interrupted, and not run it again', { timeout: 90_000 }, async () => {
    // 1. A recurring job whose first fire is a few seconds away (after cron.add has surely answered), then hourly.
    const first = await start()
    const anchorMs = Date.now() + 4000
    const job = await cli(first, 'gateway', 'call', 'cron.add', '--params', JSON.stringify({
      name: 'held',
      schedule: { kind: 'every', everyMs: HOUR, anchorMs },
      payload: { kind: 'agentTurn', message: 'a turn the model never answers' },
    }))
    expect(job.state.nextRunAtMs).toBe(anchorMs)

    // 2. The fire is claimed and its turn reaches the model, which holds it open.
    await expect.poll(() => modelCalls().length, { timeout: 20_000, interval: 100 }).toBe(1)
    const inFlight = await cli(first, 'cron', 'runs', '--id', job.id)
    expect(inFlight.entries).toEqual([expect.objectContaining({ status: 'running', action: 'started', scheduledAtMs: anchorMs })])

    // 3. SIGKILL: no stop hook runs, the run row stays `running` with a lease nobody renews.
    await first.kill('SIGKILL')
    expect(first.child.signalCode).toBe('SIGKILL')

    // 4. A new gateway on the same state directory finds the dead run once its lease is over.
    const second = await start()
    await expect.poll(async () => (await cli(second, 'cron', 'runs', '--id', job.id)).entries[0]?.status, { timeout: 20_000, interval: 250 }).toBe('error')
    const { entries, total } = await cli(second, 'cron', 'runs', '--id', job.id)
    expect(total).toBe(1)
    expect(entries[0]).toMatchObject({ status: 'error', errorReason: 'interrupted', scheduledAtMs: anchorMs, runId: inFlight.entries[0].runId })

    // 5. The job moved on to its next regular fire (an hour later), not back to the interrupted one.
    const after = await cli(second, 'cron', 'get', job.id)
    expect(after.state).toMatchObject({ lastRunStatus: 'error', lastErrorReason: 'interrupted', consecutiveErrors: 1, nextRunAtMs: anchorMs + HOUR })
    expect(after.state.runningAtMs).toBeUndefined()
    expect((await cli(second, 'cron', 'status')).running).toBe(0)

    // 6. Several lease periods later: still one model call and one run row, so the fire did not run again.
    await new Promise((resolve) => setTimeout(resolve, 3 * LEASE_MS))
    expect(modelCalls()).toHaveLength(1)
    expect((await cli(second, 'cron', 'runs', '--id', job.id)).total).toBe(1)
    await second.kill('SIGTERM')
    expect(second.child.exitCode).toBe(0)
  })
})
