import { afterEach, describe, expect, it } from 'vitest'
import { CORE_MIGRATIONS } from '../sessions/core-migrations.js'
import { SqliteStateStore } from '../store/sqlite-state-store.js'
import type { AgentRunResult } from '../types/agent.js'
import { SqlIdempotencyStore } from './idempotency-store.js'

let store: SqliteStateStore | undefined
afterEach(async () => {
  await store?.close()
  store = undefined
})

const TTL = 60_000

async function open(now: { t: number }) {
  store = SqliteStateStore.open(':memory:')
  const core = store.forOwner('core')
  await core.migrate(CORE_MIGRATIONS)
  const clock = { now: () => now.t } as never
  return {
    core,
    holder: (name: string, exclusive = false, liveHolders?: string) => new SqlIdempotencyStore(core, clock, TTL, name, exclusive, liveHolders),
  }
}

const result = (runId: string): AgentRunResult => ({
  runId, sessionKey: 'agent:main:s', agentId: 'main', status: 'ok', text: 'done', toolCalls: [],
  usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, model: 'm/x', finishReason: 'stop', durationMs: 1,
})

describe('SqlIdempotencyStore', () => {
  it('claims a key when its run starts, so a second start finds it running, then finished', async () => {
    const now = { t: 1_000 }
    const { holder } = await open(now)
    const a = holder('gw_a')
    const b = holder('gw_b')
    expect(await a.claim({ key: 'k', runId: 'run_1', sessionKey: 'agent:main:s', leaseMs: 5_000 })).toEqual({ status: 'claimed' })
    expect(await b.claim({ key: 'k', runId: 'run_2', sessionKey: 'agent:main:s', leaseMs: 5_000 })).toEqual({ status: 'running', runId: 'run_1', holder: 'gw_a', leaseUntil: 6_000 })
    expect(await b.get('k')).toBeUndefined()
    await a.finish('k', result('run_1'))
    expect(await b.claim({ key: 'k', runId: 'run_3', sessionKey: 'agent:main:s', leaseMs: 5_000 })).toEqual({ status: 'finished', result: result('run_1') })
    expect(await b.byRunId('run_1')).toEqual(result('run_1'))
  })

  it('lets a key be claimed again once its result is older than the TTL, or its holder’s lease ran out', async () => {
    const now = { t: 1_000 }
    const { holder } = await open(now)
    const a = holder('gw_a')
    await a.claim({ key: 'done', runId: 'run_1', sessionKey: 's', leaseMs: 5_000 })
    await a.finish('done', result('run_1'))
    await a.claim({ key: 'lost', runId: 'run_2', sessionKey: 's', leaseMs: 5_000 })
    now.t += 5_000
    expect((await holder('gw_b').claim({ key: 'lost', runId: 'run_3', sessionKey: 's', leaseMs: 5_000 })).status).toBe('claimed')
    now.t += TTL
    expect((await holder('gw_b').claim({ key: 'done', runId: 'run_4', sessionKey: 's', leaseMs: 5_000 })).status).toBe('claimed')
  })

  it('frees a key whose run never started', async () => {
    const { holder } = await open({ t: 1_000 })
    const a = holder('gw_a')
    await a.claim({ key: 'k', runId: 'run_1', sessionKey: 's', leaseMs: 5_000 })
    await a.release('k', 'run_1')
    expect((await a.claim({ key: 'k', runId: 'run_2', sessionKey: 's', leaseMs: 5_000 })).status).toBe('claimed')
  })

  it('at start-up, one gateway ends the claims its previous process left: a retry takes them over, naming the cut-off run', async () => {
    const now = { t: 1_000 }
    const { holder, core } = await open(now)
    await holder('gw_dead').claim({ key: 'a', runId: 'run_1', sessionKey: 's', leaseMs: 60_000 })
    // Not one gateway alone: a claim whose lease has not ended may be another's, and stays.
    expect(await holder('gw_replica').recover()).toBe(0)
    const only = holder('gw_only', true)
    expect(await only.recover()).toBe(1)
    // Not deleted: the retry has to know which run to undo (deleted, it ran the turn beside the cut-off one).
    expect(await core.all('SELECT idempotency_key, run_id FROM core_runs')).toEqual([{ idempotency_key: 'a', run_id: 'run_1' }])
    expect(await only.claim({ key: 'a', runId: 'run_2', sessionKey: 's', leaseMs: 5_000 })).toEqual({ status: 'claimed', takenOver: 'run_1' })
  })

  it('prunes claims of cut-off runs nobody retried within the TTL, with the old results', async () => {
    // Past the first hour: pruning runs at most once an hour.
    const now = { t: 4 * 3_600_000 }
    const { holder, core } = await open(now)
    const a = holder('gw_a')
    await a.claim({ key: 'cut', runId: 'run_1', sessionKey: 's', leaseMs: 5_000 })
    now.t += TTL + 10_000
    await a.claim({ key: 'k', runId: 'run_2', sessionKey: 's', leaseMs: 5_000 })
    await a.finish('k', result('run_2'))
    expect(await core.all('SELECT idempotency_key FROM core_runs')).toEqual([{ idempotency_key: 'k' }])
  })

  it('with live holders known (replicas), takes over at once the key of a holder that is gone, naming the run it cut off', async () => {
    const now = { t: 1_000 }
    const { holder } = await open(now)
    await holder('gw_dead').claim({ key: 'k', runId: 'run_1', sessionKey: 's', leaseMs: 60_000 })
    await holder('gw_alive').claim({ key: 'other', runId: 'run_2', sessionKey: 's', leaseMs: 60_000 })
    const live = "SELECT 'gw_alive' UNION SELECT 'gw_b'"
    const b = holder('gw_b', false, live)
    expect(await b.claim({ key: 'k', runId: 'run_3', sessionKey: 's', leaseMs: 5_000 })).toEqual({ status: 'claimed', takenOver: 'run_1' })
    expect((await b.claim({ key: 'other', runId: 'run_4', sessionKey: 's', leaseMs: 5_000 })).status).toBe('running')
    expect(await b.claim({ key: 'fresh', runId: 'run_5', sessionKey: 's', leaseMs: 5_000 })).toEqual({ status: 'claimed' })
  })

  it('fences a run’s transcript writes unless its gateway is alone on the database (in-process-takeover.test.ts: why)', async () => {
    const { holder } = await open({ t: 1_000 })
    expect(holder('gw_shared').fence('k', 'run_1')).toEqual({ idempotencyKey: 'k', runId: 'run_1' })
    expect(holder('gw_alone', true).fence('k', 'run_1')).toBeUndefined()
  })
})
