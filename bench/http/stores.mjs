// bench/http --store postgres: POST /v1/chat/completions (JSON, zero-delay scripted model) at 16
// connections through gateways in their own processes: one on SQLite, one on PostgreSQL, and three
// replicas on one PostgreSQL (connections spread over them). Beside them, the scripted model called
// directly: what the gateway adds is the difference. Needs the built packages (pnpm build).
import { fork } from 'node:child_process'
import { Agent, request } from 'node:http'
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { startBenchPostgres } from '../lib/postgres.mjs'

const TOKEN = 'bench-token'
const CONNECTIONS = 16
const QUICK = process.argv.includes('--quick')
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? (QUICK ? 500 : 3000))
const DURATION_MS = QUICK ? 1500 : 4000
const REPLICA = fileURLToPath(new URL('./replica.mjs', import.meta.url))

function once(agent, url, body, headers) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')))
    req.end(body)
  })
}

/** A closed loop of CONNECTIONS workers over `urls` (worker i on urls[i % n]); latencies after the warm-up. */
async function closedLoop(urls, path, headers) {
  const agents = urls.map(() => new Agent({ keepAlive: true, maxSockets: CONNECTIONS }))
  const body = JSON.stringify({ model: 'openclaw', messages: [{ role: 'user', content: 'Say something.' }] })
  const samples = []
  let errors = 0
  let completed = 0
  const warmupEnd = performance.now() + WARMUP_MS
  const end = warmupEnd + DURATION_MS
  const worker = async (i) => {
    const at = i % urls.length
    while (performance.now() < end) {
      try {
        const ms = await once(agents[at], `${urls[at]}${path}`, body, headers)
        completed++
        if (performance.now() >= warmupEnd) samples.push(ms)
      } catch {
        errors++
      }
    }
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => worker(i)))
  for (const agent of agents) agent.destroy()
  samples.sort((a, b) => a - b)
  const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]
  return { rps: samples.length / (DURATION_MS / 1000), p50: q(0.5), p99: q(0.99), completed, errors }
}

function startReplica(env) {
  const child = fork(REPLICA, [], { env: { ...process.env, ...env, BENCH_TOKEN: TOKEN }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const next = (type) => new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message.type !== type) return
      child.off('message', onMessage)
      resolve(message)
    }
    child.on('message', onMessage)
    child.once('exit', (code) => reject(new Error(`a bench replica exited with ${code}`)))
  })
  return {
    ready: next('ready'),
    cpu: () => {
      const reply = next('cpu')
      child.send({ type: 'cpu' })
      return reply.then((m) => (m.usage.user + m.usage.system) / 1000)
    },
    stop: () => new Promise((resolve) => {
      child.once('exit', resolve)
      child.send({ type: 'stop' })
    }),
  }
}

const model = await createScriptedModelServer({ models: ['bench-model'] })
model.replyWith(() => ({ text: 'The quick brown fox jumps over the lazy dog.', usage: { input: 10, output: 10 } }))
// The scripted server records every request: keep its memory flat.
const trim = setInterval(() => {
  model.reset()
  model.replyWith(() => ({ text: 'The quick brown fox jumps over the lazy dog.', usage: { input: 10, output: 10 } }))
}, 1000)
const postgres = await startBenchPostgres()
const started = performance.now()
const rows = []
try {
  const direct = await closedLoop([model.baseUrl], '/chat/completions', {})
  rows.push({ target: 'model, direct', replicas: '', ...direct, cpu: NaN })
  const targets = [
    { target: 'gateway, SQLite', replicas: 1, env: () => ({}) },
    { target: 'gateway, PostgreSQL', replicas: 1, env: async () => ({ BENCH_DATABASE_URL: await postgres.newDatabase() }) },
    { target: 'gateway, PostgreSQL', replicas: 3, env: async () => ({ BENCH_DATABASE_URL: await postgres.newDatabase() }) },
  ]
  for (const { target, replicas, env } of targets) {
    const shared = await env()
    const started = Array.from({ length: replicas }, () => startReplica({ ...shared, BENCH_MODEL_URL: model.baseUrl }))
    const urls = (await Promise.all(started.map((r) => r.ready))).map((m) => m.url)
    const cpu0 = await Promise.all(started.map((r) => r.cpu()))
    const result = await closedLoop(urls, '/v1/chat/completions', { authorization: `Bearer ${TOKEN}` })
    const cpu1 = await Promise.all(started.map((r) => r.cpu()))
    await Promise.all(started.map((r) => r.stop()))
    const cpuMs = cpu1.reduce((sum, v, i) => sum + v - cpu0[i], 0)
    rows.push({ target, replicas, ...result, cpu: cpuMs / Math.max(1, result.completed) })
  }
} finally {
  clearInterval(trim)
  await postgres.stop()
  await model.close()
}

const base = rows[0]
const ms = (v) => (Number.isNaN(v) ? '—' : v.toFixed(2))
console.log(`\nPOST /v1/chat/completions (JSON) at ${CONNECTIONS} connections, ${DURATION_MS / 1000} s each after ${WARMUP_MS / 1000} s warm-up; node ${process.version}, ${cpus().length} CPUs`)
console.log(`PostgreSQL: ${postgres.label}\n`)
console.log('| target              | replicas |  req/s | p50 ms | p99 ms | added p50 | added p99 | gateway CPU/req | errors |')
console.log('|---------------------|---------:|-------:|-------:|-------:|----------:|----------:|----------------:|-------:|')
for (const r of rows) {
  const added = r === base ? ['', ''] : [ms(r.p50 - base.p50), ms(r.p99 - base.p99)]
  console.log(`| ${r.target.padEnd(19)} | ${String(r.replicas).padStart(8)} | ${r.rps.toFixed(0).padStart(6)} | ${ms(r.p50).padStart(6)} | ${ms(r.p99).padStart(6)} | ${added[0].padStart(9)} | ${added[1].padStart(9)} | ${(Number.isNaN(r.cpu) ? '—' : `${r.cpu.toFixed(2)} ms`).padStart(15)} | ${String(r.errors).padStart(6)} |`)
}
console.log(`
Caveat: everything here shares this machine's ${cpus().length} CPU(s): the load generator and the model (this process), every
gateway replica, and PostgreSQL. Three replicas on ${cpus().length} cores compete for the same CPUs as one, so "1 vs 3" shows the
cost of coordination (per-session locks, claims, notifications), not the gain of adding machines; replicas scale
out when each has its own cores and the database has headroom. Gateway CPU/req counts the gateway processes only,
not PostgreSQL's (which does the work SQLite does inside the gateway).`)
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`)
process.exitCode = rows.some((r) => r.errors > 0) ? 1 : 0
