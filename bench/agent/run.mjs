// bench/agent: what the agent runner adds to a turn, versus calling the same provider against the same
// scripted model server directly; at 1 and 64 concurrent sessions. Also: the gateway's CPU per turn,
// and loading a 200-message history. Every turn carries an idempotency key, so the per-turn store
// work is all there: session lookup and creation, run claim and finish, transcript appends.
// Run: pnpm build && pnpm bench:agent        (`--json`: one JSON line, for bench/agent/compare.mjs)
// `--store postgres`: the same on SQLite and on PostgreSQL (bench/lib/postgres.mjs), side by side.
// Works against the Plugin API 1 (synchronous store) and 2 (async store) kernels alike.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createGateway, createSilentLogger } from '@openclaw/core'
import { createScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import providerOpenAi, { createOpenAiProvider } from '@openclaw/plugin-provider-openai'

const TURNS = Number(process.env.TURNS ?? 400)
const json = process.argv.includes('--json')
const storeAt = process.argv.indexOf('--store')
const STORE = storeAt === -1 ? 'sqlite' : process.argv[storeAt + 1]
if (!['sqlite', 'postgres'].includes(STORE)) {
  console.error('bench: --store takes sqlite or postgres')
  process.exit(2)
}
const model = await createScriptedModelServer({ defaultText: 'ok' })
const direct = createOpenAiProvider({ id: 'openai', baseUrl: model.baseUrl, apiKey: () => 'k' })

// `stream: false` as the runner's run() asks: a whole-answer call on both sides.
async function directTurn(i) {
  const controller = new AbortController()
  for await (const _ of direct.stream({ model: 'scripted-model', system: 'You are a helpful assistant.', messages: [{ role: 'user', content: `hi ${i}` }], tools: [], signal: controller.signal, stream: false })) {
    // drain
  }
}

async function measure(turn, concurrency) {
  const samples = []
  let next = 0
  const worker = async () => {
    while (next < TURNS) {
      const i = next++
      const t0 = performance.now()
      await turn(i)
      samples.push(performance.now() - t0)
    }
  }
  const cpu0 = process.cpuUsage()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const cpu = process.cpuUsage(cpu0)
  samples.sort((a, b) => a - b)
  const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]
  return { p50: q(0.5), p99: q(0.99), cpuUsPerTurn: (cpu.user + cpu.system) / TURNS }
}

/** The runner against the direct call, on one store: `env` picks it (OPENCLAW_DATABASE_URL: PostgreSQL). */
async function benchStore(env) {
  const gateway = await createGateway({
    stateDir: mkdtempSync(join(tmpdir(), 'oc-bench-agent-')),
    logger: createSilentLogger(),
    env,
    plugins: [typeof providerOpenAi === 'function' ? providerOpenAi() : providerOpenAi], // a factory since Plugin API 2
    config: { models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k' } } }, // No tools, so the runner's model request is the same as the direct one: the difference is the runner's own work.
    agents: { defaults: { model: 'openai/scripted-model', tools: { deny: ['*'] } } } },
  })
  await gateway.start()
  let turnCounter = 0
  async function gatewayTurn(i) {
    const n = turnCounter++
    // Sessions are reused (a second turn reads the transcript back), as in a real chat.
    const r = await gateway.agent.run({ sessionKey: `bench-${n % 97}`, message: `hi ${i}`, idempotencyKey: `bench-turn-${n}` })
    if (r.status !== 'ok') throw new Error(`run failed: ${r.error?.code}`)
  }

  // Warm up both paths (JIT, statement cache, and the 64 keep-alive sockets the 64-session rows use:
  // opening them inside a measured row would put connection set-up into its p99).
  await measure(directTurn, 64)
  await measure(gatewayTurn, 64)

  const rows = []
  for (const concurrency of [1, 64]) {
    const d = await measure(directTurn, concurrency)
    const g = await measure(gatewayTurn, concurrency)
    rows.push({ concurrency, d, g })
  }

  // A 200-message history: load it the way the runner does, many times. `await` works on both APIs.
  const key = 'agent:main:history-bench'
  await gateway.sessions.ensure(key, 'main')
  for (let i = 0; i < 100; i++) {
    await gateway.sessions.append(key, [{ role: 'user', text: `question ${i} `.repeat(10) }, { role: 'assistant', text: `answer ${i} `.repeat(20) }])
  }
  const loads = []
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now()
    const entries = await gateway.sessions.transcript(key)
    loads.push(performance.now() - t0)
    if (entries.length !== 200) throw new Error('expected 200 entries')
  }
  loads.sort((a, b) => a - b)
  await gateway.stop()
  return { rows, hp50: loads[Math.floor(loads.length / 2)], hp99: loads[Math.floor(loads.length * 0.99)] }
}

const results = [{ store: 'sqlite', ...(await benchStore({})) }]
let postgres
if (STORE === 'postgres') {
  const { startBenchPostgres } = await import('../lib/postgres.mjs')
  postgres = await startBenchPostgres()
  try {
    results.push({ store: 'postgres', ...(await benchStore({ OPENCLAW_DATABASE_URL: await postgres.newDatabase() })) })
  } finally {
    await postgres.stop()
  }
}
await model.close()

if (json) {
  const [sqlite] = results
  console.log(JSON.stringify({
    turns: TURNS,
    rows: sqlite.rows.map(({ concurrency, d, g }) => ({
      concurrency,
      addedP50: g.p50 - d.p50,
      addedP99: g.p99 - d.p99,
      gatewayCpuUsPerTurn: g.cpuUsPerTurn - d.cpuUsPerTurn,
    })),
    historyP50: sqlite.hp50,
    ...(results[1] ? {
      postgres: {
        rows: results[1].rows.map(({ concurrency, d, g }) => ({ concurrency, addedP50: g.p50 - d.p50, addedP99: g.p99 - d.p99, gatewayCpuUsPerTurn: g.cpuUsPerTurn - d.cpuUsPerTurn })),
        historyP50: results[1].hp50,
      },
    } : {}),
  }))
} else {
  const f = (n) => n.toFixed(2).padStart(8)
  console.log(`\nbench/agent — ${TURNS} turns per row, node ${process.version}${postgres ? `; PostgreSQL: ${postgres.label}` : ''}\n`)
  console.log('| store    | sessions | direct p50 | direct p99 | runner p50 | runner p99 | added p50 | added p99 | gateway CPU/turn |')
  console.log('|----------|---------:|-----------:|-----------:|-----------:|-----------:|----------:|----------:|-----------------:|')
  for (const { store, rows } of results) {
    for (const { concurrency, d, g } of rows) {
      console.log(`| ${store.padEnd(8)} | ${String(concurrency).padStart(8)} |   ${f(d.p50)} |   ${f(d.p99)} |   ${f(g.p50)} |   ${f(g.p99)} |  ${f(g.p50 - d.p50)} |  ${f(g.p99 - d.p99)} | ${(g.cpuUsPerTurn - d.cpuUsPerTurn).toFixed(0).padStart(13)} µs |`)
    }
  }
  for (const { store, hp50, hp99 } of results) {
    console.log(`\n${store}: 200-message history load: p50 ${hp50.toFixed(3)} ms, p99 ${hp99.toFixed(3)} ms (target < 2 ms) ${hp50 < 2 ? 'OK' : 'MISSED'}`)
  }
  const one = results[0].rows[0]
  console.log(`sqlite targets at 1 session: added p50 < 1 ms → ${(one.g.p50 - one.d.p50).toFixed(2)} ms ${one.g.p50 - one.d.p50 < 1 ? 'OK' : 'MISSED'}; added p99 < 5 ms → ${(one.g.p99 - one.d.p99).toFixed(2)} ms ${one.g.p99 - one.d.p99 < 5 ? 'OK' : 'MISSED'}`)
  if (postgres) {
    console.log('Gateway CPU/turn is this process only: on PostgreSQL the database server\'s own CPU (another process) is not in it,')
    console.log('while SQLite\'s work runs in the gateway. Every PostgreSQL query is a loopback round trip; SQLite\'s are function calls.')
  }
}
