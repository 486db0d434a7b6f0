// One gateway alone on its SQLite database writes its keyed runs' transcripts without the run fence
// (SqlIdempotencyStore.fence). That is sound only because it never takes over a key while its own run
// holding it goes on, even once that run's lease has run out: a retry joins the run instead. These
// tests hold that, and the fence where a second gateway shares the store.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createGateway, type CreateGatewayOptions, type Gateway } from '../gateway.js'
import { createSilentLogger } from '../logging/logger.js'
import { movableClock } from '../inbound/recording-test-plugin.js'
import { SqliteStateStore } from '../store/sqlite-state-store.js'
import type { ModelProvider, ModelStreamEvent } from '../types/providers.js'

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

/** A model whose first call waits for `release`; call n answers `answer <n>`. */
function gatedModel() {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  let calls = 0
  const provider = {
    id: 'scripted',
    models: ['m'],
    stream: () => ({
      async *[Symbol.asyncIterator](): AsyncIterator<ModelStreamEvent> {
        const n = ++calls
        if (n === 1) await gate
        yield { type: 'text', delta: `answer ${n}` }
        yield { type: 'finish', reason: 'stop' }
      },
    }),
  } as ModelProvider
  return { provider, calls: () => calls, release }
}

async function startGateway(provider: ModelProvider, options: Pick<CreateGatewayOptions, 'store' | 'clock'>): Promise<Gateway> {
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-takeover-local-'))
  const plugin = { id: 'model', version: '1.0.0', apiVersion: '^2.0.0', register: (api: { providers: { register(p: ModelProvider): void } }) => api.providers.register(provider) }
  const gateway = await createGateway({
    stateDir: dir, logger: createSilentLogger(), env: {}, ...options,
    plugins: [plugin as never], config: { agents: { defaults: { model: 'scripted/m' } } },
  })
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => gateway.stop())
  await gateway.start()
  return gateway
}

const sessionKey = 'agent:main:local-takeover'
const holderOf = (gateway: Gateway) => async () =>
  (await gateway.store.forOwner('core').get<{ run_id: string }>("SELECT run_id FROM core_runs WHERE idempotency_key = 'k'"))?.run_id

async function transcript(gateway: Gateway): Promise<unknown[]> {
  return (await gateway.sessions.history(sessionKey)).items.map((entry) => [entry.role, 'text' in entry ? entry.text : undefined, entry.runId])
}

describe('a keyed run whose lease ran out while it waited, retried', () => {
  it('on one gateway alone on its database (no fence): the retry joins the run, which runs once', async () => {
    const model = gatedModel()
    const clock = movableClock()
    const gateway = await startGateway(model.provider, { store: ':memory:', clock })
    // 1. A long turn holds the session; a keyed turn waits behind it, its lease 30 s × 2 + 60 s.
    const first = gateway.agent.run({ message: 'first', sessionKey, timeoutMs: 600_000 })
    await expect.poll(model.calls).toBe(1)
    const waiting = gateway.agent.run({ message: 'second', sessionKey, idempotencyKey: 'k', timeoutMs: 30_000 })
    await expect.poll(holderOf(gateway)).toBeDefined()
    const runId = await holderOf(gateway)()
    // 2. Its lease runs out while it waits; the client retries: the retry joins the run going on here.
    clock.offset += 10 * 60_000
    const retry = gateway.agent.run({ message: 'second', sessionKey, idempotencyKey: 'k', timeoutMs: 30_000 })
    model.release()
    const firstResult = await first
    expect(await waiting).toMatchObject({ runId, status: 'ok', text: 'answer 2' })
    expect(await retry).toMatchObject({ runId, status: 'ok', text: 'answer 2' })
    expect(model.calls()).toBe(2)
    expect(await transcript(gateway)).toEqual([
      ['user', 'first', firstResult.runId], ['assistant', 'answer 1', firstResult.runId], ['user', 'second', runId], ['assistant', 'answer 2', runId],
    ])
  })

  it('on a second gateway sharing the SQLite store (fenced): the retry takes the key over; the cut-off run writes nothing', async () => {
    const store = SqliteStateStore.open(':memory:')
    cleanup.push(() => store.close())
    const clock = movableClock()
    const modelA = gatedModel()
    const a = await startGateway(modelA.provider, { store, clock })
    const modelB = gatedModel()
    modelB.release()
    const b = await startGateway(modelB.provider, { store, clock })
    // 1. On A, as above: a long turn, then a keyed one waiting behind it.
    const first = a.agent.run({ message: 'first', sessionKey, timeoutMs: 600_000 })
    await expect.poll(modelA.calls).toBe(1)
    const cut = a.agent.run({ message: 'second', sessionKey, idempotencyKey: 'k', timeoutMs: 30_000 })
    await expect.poll(holderOf(a)).toBeDefined()
    const cutRunId = await holderOf(a)()
    // 2. Its lease runs out; the retry reaches B, which takes the key over (B's model answers at once).
    clock.offset += 10 * 60_000
    const retried = await b.agent.run({ message: 'second', sessionKey, idempotencyKey: 'k', timeoutMs: 30_000 })
    expect(retried).toMatchObject({ status: 'ok', text: 'answer 1' })
    // 3. A's long turn ends; its cut-off run is refused at its first write.
    modelA.release()
    const firstResult = await first
    expect(await cut).toMatchObject({ runId: cutRunId, status: 'error', error: { code: 'CORE_ERR_RUN_SUPERSEDED' } })
    expect(modelA.calls()).toBe(1)
    expect(await transcript(a)).toEqual([
      ['user', 'first', firstResult.runId],
      ['user', 'second', retried.runId], ['assistant', 'answer 1', retried.runId], // B's turn, while A's first one waited on its model
      ['assistant', 'answer 1', firstResult.runId],
    ])
  })
})
