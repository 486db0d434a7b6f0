import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGateway, createSilentLogger, SqliteStateStore } from '@openclaw/core'
import { definePlugin } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import providerOpenAi from '@openclaw/plugin-provider-openai'
import { afterEach, describe, expect, it } from 'vitest'
import { modelCalls, startHarness, type Harness } from './harness.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let h: Harness | undefined
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await h?.close()
  h = undefined
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A plugin whose every turn also runs a store transaction that awaits between its two writes. */
const slowTransactions = definePlugin({
  id: 'test:slow-tx',
  version: '1.0.0',
  register(api) {
    api.hooks.beforeAgentRun.tapPromise('test:slow-tx', async (plan) => {
      await api.store.transaction(async (tx) => {
        await tx.run('INSERT INTO test_pairs (run_id, part) VALUES (?, ?)', [plan.runId, 1])
        await sleep(2)
        await tx.run('INSERT INTO test_pairs (run_id, part) VALUES (?, ?)', [plan.runId, 2])
      })
      return plan
    })
  },
  async start(api) {
    await api.store.migrate([{ version: 1, name: 'pairs', up: 'CREATE TABLE test_pairs (run_id TEXT NOT NULL, part BIGINT NOT NULL)' }])
  },
})

describe('the async store under concurrent turns', () => {
  it('keeps every transcript whole and in order while transactions of other turns await', async () => {
    h = await startHarness({ plugins: [slowTransactions] })
    const sessions = 8
    const turnsPerSession = 6
    // Every turn of every session at once: turns of one session queue, sessions run side by side.
    const runs = await Promise.all(
      Array.from({ length: sessions * turnsPerSession }, (_, i) =>
        h!.gateway.agent.run({ sessionKey: `c-${i % sessions}`, message: `m${Math.floor(i / sessions)}`, idempotencyKey: `turn-${i}` })),
    )
    expect(runs.filter((r) => r.status !== 'ok')).toEqual([])
    for (let s = 0; s < sessions; s++) {
      const page = await h.gateway.sessions.history(`agent:main:c-${s}`, { limit: 100 })
      expect(page.items.map((e) => e.seq)).toEqual(Array.from({ length: turnsPerSession * 2 }, (_, i) => i + 1))
      expect(page.items.map((e) => e.role)).toEqual(Array.from({ length: turnsPerSession }, () => ['user', 'assistant']).flat())
      expect(page.items.filter((e) => e.role === 'user').map((e) => e.text)).toEqual(Array.from({ length: turnsPerSession }, (_, t) => `m${t}`))
      expect((await h.gateway.sessions.get(`agent:main:c-${s}`))?.messageCount).toBe(turnsPerSession * 2)
    }
    const pairs = await h.gateway.store.forOwner('test:slow-tx').all<{ run_id: string; c: number }>('SELECT run_id, COUNT(*) AS c FROM test_pairs GROUP BY run_id')
    expect(pairs).toHaveLength(sessions * turnsPerSession)
    expect(pairs.every((p) => p.c === 2)).toBe(true)
    // Every key was claimed at start and holds its result now.
    const claims = await h.gateway.store.forOwner('core').all<{ status: string }>("SELECT status FROM core_runs WHERE idempotency_key LIKE 'turn-%'")
    expect(claims.filter((c) => c.status === 'ok')).toHaveLength(sessions * turnsPerSession)
  })

  it('never starts a key twice: a second gateway on the same database follows the first one’s run', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'oc-shared-'))
    const model: ScriptedModelServer = await createScriptedModelServer({ defaultText: 'second' })
    cleanups.push(() => model.close())
    const make = async () => {
      // Two handles on one file: what two replicas on one database look like (no state-dir lock: the store is injected).
      const store = SqliteStateStore.open(join(stateDir, 'state.db'))
      const gateway = await createGateway({
        stateDir, env: {}, logger: createSilentLogger(), plugins: [providerOpenAi()], store,
        config: { models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k' } } }, agents: { defaults: { model: 'openai/m' } } },
      })
      await gateway.start()
      cleanups.push(async () => {
        await gateway.stop()
        await store.close()
      })
      return gateway
    }
    const a = await make()
    const b = await make()
    model.reply({ text: 'first', delayMs: 300 })
    const onA = a.agent.run({ message: 'hi', idempotencyKey: 'shared-1' })
    await sleep(50)
    const onB = await b.agent.run({ message: 'hi', idempotencyKey: 'shared-1' })
    const first = await onA
    expect(first).toMatchObject({ status: 'ok', text: 'first' })
    expect(onB).toEqual(first)
    expect(modelCalls(model)).toHaveLength(1)
  })

  it('releases at start the claim of a run its previous process never finished', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'oc-crash-'))
    const model = await createScriptedModelServer({ defaultText: 'ran again' })
    cleanups.push(() => model.close())
    const make = () => createGateway({
      stateDir, env: {}, logger: createSilentLogger(), plugins: [providerOpenAi()],
      config: { models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k' } } }, agents: { defaults: { model: 'openai/m' } } },
    })
    const first = await make()
    await first.start()
    await first.stop()
    // What a process killed mid-run leaves behind: a claim under a holder that is gone, its lease still running.
    const leftover = SqliteStateStore.open(join(stateDir, 'state.db'))
    await leftover.forOwner('core').run(
      "INSERT INTO core_runs (idempotency_key, run_id, session_key, status, holder, started_at, lease_until) VALUES (?, ?, ?, 'running', ?, ?, ?)",
      ['crashed-1', 'run_gone', 'agent:main:main', 'gw_gone', Date.now(), Date.now() + 3_600_000],
    )
    await leftover.close()
    // The next gateway holds the state directory alone: the claim can only be the dead process's.
    const next = await make()
    await next.start()
    cleanups.push(() => next.stop())
    const result = await next.agent.run({ message: 'hi', idempotencyKey: 'crashed-1' })
    expect(result).toMatchObject({ status: 'ok', text: 'ran again' })
    expect(result.runId).not.toBe('run_gone')
  })
})
