// bench/agent: what the agent runner adds to a turn, versus calling the same provider against the same
// scripted model server directly; at 1 and 64 concurrent sessions. Also: the gateway's CPU per turn,
// and loading a 200-message history. Every turn carries an idempotency key, so the per-turn store
// work is all there: session lookup and creation, run claim and finish, transcript appends.
// Run: pnpm build && pnpm bench:agent        (`--json`: one JSON line, for bench/agent/compare.mjs)
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
const model = await createScriptedModelServer({ defaultText: 'ok' })
const gateway = await createGateway({
  stateDir: mkdtempSync(join(tmpdir(), 'oc-bench-agent-')),
  logger: createSilentLogger(),
  env: {},
  plugins: [typeof providerOpenAi === 'function' ? providerOpenAi() : providerOpenAi], // a factory since Plugin API 2
  config: { models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k' } } }, // No tools, so the runner's model request is the same as the direct one: the difference is the runner's own work.
  agents: { defaults: { model: 'openai/scripted-model', tools: { deny: ['*'] } } } },
})
await gateway.start()
const direct = createOpenAiProvider({ id: 'openai', baseUrl: model.baseUrl, apiKey: () => 'k' })

// `stream: false` as the runner's run() asks: a whole-answer call on both sides.
async function directTurn(i) {
  const controller = new AbortController()
  for await (const _ of direct.stream({ model: 'scripted-model', system: 'You are a helpful assistant.', messages: [{ role: 'user', content: `hi ${i}` }], tools: [], signal: controller.signal, stream: false })) {
    // drain
  }
}

let turnCounter = 0
async function gatewayTurn(i) {
  const n = turnCounter++
  // Sessions are reused (a second turn reads the transcript back), as in a real chat.
  const r = await gateway.agent.run({ sessionKey: `bench-${n % 97}`, message: `hi ${i}`, idempotencyKey: `bench-turn-${n}` })
  if (r.status !== 'ok') throw new Error(`run failed: ${r.error?.code}`)
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
await model.close()

const hp50 = loads[Math.floor(loads.length / 2)]
const hp99 = loads[Math.floor(loads.length * 0.99)]
if (json) {
  console.log(JSON.stringify({
    turns: TURNS,
    rows: rows.map(({ concurrency, d, g }) => ({
      concurrency,
      addedP50: g.p50 - d.p50,
      addedP99: g.p99 - d.p99,
      gatewayCpuUsPerTurn: g.cpuUsPerTurn - d.cpuUsPerTurn,
    })),
    historyP50: hp50,
  }))
} else {
  const f = (n) => n.toFixed(2).padStart(8)
  console.log(`\nbench/agent — ${TURNS} turns per row, node ${process.version}\n`)
  console.log('| sessions | direct p50 | direct p99 | runner p50 | runner p99 | added p50 | added p99 | gateway CPU/turn |')
  console.log('|---------:|-----------:|-----------:|-----------:|-----------:|----------:|----------:|-----------------:|')
  for (const { concurrency, d, g } of rows) {
    console.log(`| ${String(concurrency).padStart(8)} |   ${f(d.p50)} |   ${f(d.p99)} |   ${f(g.p50)} |   ${f(g.p99)} |  ${f(g.p50 - d.p50)} |  ${f(g.p99 - d.p99)} | ${(g.cpuUsPerTurn - d.cpuUsPerTurn).toFixed(0).padStart(13)} µs |`)
  }
  console.log(`\n200-message history load: p50 ${hp50.toFixed(3)} ms, p99 ${hp99.toFixed(3)} ms (target < 2 ms) ${hp50 < 2 ? 'OK' : 'MISSED'}`)
  const one = rows[0]
  console.log(`targets at 1 session: added p50 < 1 ms → ${(one.g.p50 - one.d.p50).toFixed(2)} ms ${one.g.p50 - one.d.p50 < 1 ? 'OK' : 'MISSED'}; added p99 < 5 ms → ${(one.g.p99 - one.d.p99).toFixed(2)} ms ${one.g.p99 - one.d.p99 < 5 ? 'OK' : 'MISSED'}`)
}
