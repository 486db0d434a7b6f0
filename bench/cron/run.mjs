#!/usr/bin/env node
// bench/cron: the scheduler with 10,000 jobs, in a real `openclaw gateway` (built) on 127.0.0.1.
//   1. start-up: spawn to "listening on" with 0 jobs and with 10,000 jobs in the store (the re-arm cost);
//   2. idle: CPU (% of one core, from /proc/<pid>/stat) and RSS of the gateway process while its jobs
//      wait for fires hours away;
//   3. lateness: 1,000 one-shot jobs due in the same second (spread over it, then all at one instant),
//      with the 10,000 others in the table: when each fire was claimed (its run row) and when its
//      payload ran (the system event it queued), minus its scheduled time.
// Run: pnpm build && pnpm bench:cron   (--quick: shorter idle windows, one start per row)
//   --baseline <dir>: also measure the lateness with the `openclaw gateway` built in <dir> (another
//   checkout, say the commit before a change), on a copy of the same seeded store, in the same run.
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const QUICK = process.argv.includes('--quick')
const baselineArg = process.argv.indexOf('--baseline')
const BASELINE = baselineArg > 0 ? process.argv[baselineArg + 1] : undefined
const JOBS = Number(process.env.JOBS ?? 10_000)
const DUE = Number(process.env.DUE ?? 1000)
const IDLE_MS = Number(process.env.IDLE_MS ?? (QUICK ? 10_000 : 30_000))
const STARTS = QUICK ? 1 : 3
/** The whole run gives up after this long, whatever happens. */
const HARD_LIMIT_MS = 10 * 60_000
const TOKEN = 'bench-cron-token-0123456789'
const HOUR = 3_600_000
/** Extra node flags for the gateway processes, e.g. GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const GATEWAY_NODE_ARGS = (process.env.GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean)

const root = new URL('../../', import.meta.url)
const bin = fileURLToPath(new URL('packages/cli/dist/bin.js', root))
const baselineBin = BASELINE ? join(BASELINE, 'packages/cli/dist/bin.js') : undefined
const { WebSocket } = createRequire(new URL('plugins/rpc/package.json', root))('ws')
const Database = createRequire(new URL('packages/core/package.json', root))('better-sqlite3')

const hardLimit = setTimeout(() => {
  console.error(`bench/cron: gave up after ${HARD_LIMIT_MS / 1000} s`)
  process.exit(2)
}, HARD_LIMIT_MS)
hardLimit.unref()

const stateDir = mkdtempSync(join(tmpdir(), 'oc-bench-cron-'))
const baselineDir = BASELINE ? mkdtempSync(join(tmpdir(), 'oc-bench-cron-baseline-')) : undefined
const configPath = join(stateDir, 'openclaw.json')
writeFileSync(configPath, JSON.stringify({
  gateway: { auth: { mode: 'token', token: TOKEN } },
  agents: { defaults: { model: 'openai/bench-model' } },
  models: { providers: { openai: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'unused' } } },
}))

// ── the gateway process ──────────────────────────────────────────────────────────────────────────

/** Spawn `openclaw gateway`; resolves at its "listening on" line with the time it took. */
function startGateway(which = { bin, stateDir }) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const env = { ...process.env }
    for (const name of Object.keys(env)) if (name.startsWith('OPENCLAW_')) delete env[name]
    const child = spawn(process.execPath, [...GATEWAY_NODE_ARGS, which.bin, 'gateway', '--port', '0', '--state-dir', which.stateDir, '--config', configPath], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stderr.on('data', (chunk) => (err += chunk))
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /listening on http:\/\/(127\.0\.0\.1:\d+)/.exec(out)
      if (match && !child.url) {
        child.url = `ws://${match[1]}`
        resolve({ child, readyMs: performance.now() - t0, cronStartMs: () => cronStartMs(err) })
      }
    })
    child.once('exit', (code, signal) => reject(new Error(`the gateway exited (${signal ?? code}) before listening:\n${out}\n${err}`)))
  })
}

/**
 * How long the cron plugin's start took (migrations, heartbeat sync, orphan recovery, the first tick
 * and re-arm), from the gateway's JSON log: the plugin started before it (rpc) logs, then cron does.
 */
function cronStartMs(log) {
  const lines = log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
  const cron = lines.findIndex((l) => l.plugin === 'cron' && /^scheduler started/.test(l.msg))
  return cron > 0 ? lines[cron].time - lines[cron - 1].time : NaN
}

async function stopGateway(child) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

/** utime + stime of a process in clock ticks, and its RSS in bytes (Linux /proc). */
function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1])
  return { ticks: Number(fields[11]) + Number(fields[12]), rss: rssKb * 1024 }
}
const TICKS_PER_S = 100 // USER_HZ on Linux

/** CPU of the gateway over `ms` of doing nothing but waiting for its jobs, as % of one core; RSS at the end. */
async function idle(child, ms) {
  await sleep(2000) // settle after start-up or seeding
  const before = procStat(child.pid)
  const t0 = performance.now()
  await sleep(ms)
  const after = procStat(child.pid)
  const seconds = (performance.now() - t0) / 1000
  return { cpuPct: ((after.ticks - before.ticks) / TICKS_PER_S / seconds) * 100, rss: after.rss }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// ── RPC ──────────────────────────────────────────────────────────────────────────────────────────

async function connect(url) {
  const ws = new WebSocket(url, { perMessageDeflate: false })
  await new Promise((resolve, reject) => {
    ws.once('error', reject)
    ws.once('message', () => {
      ws.once('message', (data) => {
        const res = JSON.parse(data.toString())
        if (res.ok) resolve()
        else reject(new Error(`connect refused: ${res.error?.code}`))
      })
      ws.send(JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: { minProtocol: 4, maxProtocol: 4, client: { id: 'bench', version: '1.0.0', mode: 'test' }, auth: { token: TOKEN } } }))
    })
  })
  const pending = new Map()
  let next = 0
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString())
    if (frame.type !== 'res') return
    const waiter = pending.get(frame.id)
    pending.delete(frame.id)
    if (frame.ok) waiter?.resolve(frame.payload)
    else waiter?.reject(new Error(`${frame.error?.code}: ${frame.error?.message}`))
  })
  const call = (method, params) => new Promise((resolve, reject) => {
    const id = String(++next)
    pending.set(id, { resolve, reject })
    ws.send(JSON.stringify({ type: 'req', id, method, params }))
  })
  return { call, close: () => ws.close() }
}

/** Add jobs through `cron.add`, `concurrency` requests in flight. Returns the jobs as answered. */
async function addJobs(rpc, inputs, concurrency = 64) {
  const out = new Array(inputs.length)
  let index = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (index < inputs.length) {
      const i = index++
      out[i] = await rpc.call('cron.add', inputs[i])
    }
  }))
  return out
}

/** 10,000 jobs whose fires are all hours away: `every` (1-24 h, anchored 2-22 h ahead) and daily cron times. */
function idleJobs(count, now) {
  return Array.from({ length: count }, (_, i) => {
    const ahead = 2 * HOUR + Math.floor(((i * 7919) % 20_000) / 20_000 * 20 * HOUR)
    const schedule = i % 2 === 0
      ? { kind: 'every', everyMs: (1 + (i % 24)) * HOUR, anchorMs: now + ahead }
      : (() => {
          const at = new Date(now + ahead)
          return { kind: 'cron', expr: `${at.getUTCMinutes()} ${at.getUTCHours()} * * *`, tz: 'UTC' }
        })()
    return { name: `idle-${i}`, schedule, payload: { kind: 'systemEvent', text: `idle ${i}` }, wakeMode: 'next-heartbeat' }
  })
}

// ── lateness ─────────────────────────────────────────────────────────────────────────────────────

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]

/**
 * `DUE` one-shots due within one second `leadMs` from now (`spread`: 1 ms apart; else all at the
 * same instant). Each queues a system event (no model call), so the payload's start is the event's
 * `created_at`. Reads the store (read-only) once every fire is done.
 */
async function lateness(rpc, pid, spread, dir = stateDir) {
  const leadMs = 8000
  const base = Math.ceil((Date.now() + leadMs) / 1000) * 1000
  const label = spread ? 'spread' : 'burst'
  const inputs = Array.from({ length: DUE }, (_, i) => ({
    name: `due-${label}-${i}`,
    schedule: { kind: 'at', at: new Date(base + (spread ? i : 0)).toISOString() },
    payload: { kind: 'systemEvent', text: `due ${i}` },
    wakeMode: 'next-heartbeat',
    deleteAfterRun: false,
  }))
  const jobs = await addJobs(rpc, inputs)
  const margin = base - Date.now()
  if (margin < 500) throw new Error(`adding ${DUE} jobs took too long (${margin} ms before the first fire); raise leadMs`)
  const ids = new Set(jobs.map((j) => j.id))
  const db = new Database(join(dir, 'state.db'), { readonly: true, fileMustExist: true })
  try {
    const deadline = base + 60_000
    // First look a second after the last fire is due, so this process's queries do not compete with the fires.
    // The gateway's CPU from just before the fires to when the last one is recorded (claims, payloads, settles).
    await sleep(base - 300 - Date.now())
    const cpuBefore = procStat(pid).ticks
    await sleep(base + 2000 - Date.now())
    for (;;) {
      const done = db.prepare(`SELECT COUNT(*) AS n FROM cron_runs WHERE status <> 'running' AND job_id IN (SELECT value FROM json_each(?))`).get(JSON.stringify([...ids])).n
      if (done >= DUE) break
      if (Date.now() > deadline) throw new Error(`only ${done} of ${DUE} fires finished within 60 s`)
      await sleep(500)
    }
    const runs = db.prepare(`SELECT job_id, scheduled_at, started_at, status FROM cron_runs WHERE job_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify([...ids]))
    const events = db.prepare(`SELECT source, created_at FROM cron_system_events WHERE source IN (SELECT 'cron:' || value FROM json_each(?))`).all(JSON.stringify([...ids]))
    const scheduled = new Map(runs.map((r) => [r.job_id, Number(r.scheduled_at)]))
    const claim = runs.map((r) => Number(r.started_at) - Number(r.scheduled_at)).sort((a, b) => a - b)
    const payload = events.map((e) => Number(e.created_at) - scheduled.get(e.source.slice('cron:'.length))).sort((a, b) => a - b)
    const statuses = {}
    for (const r of runs) statuses[r.status] = (statuses[r.status] ?? 0) + 1
    const cpuMs = ((procStat(pid).ticks - cpuBefore) / TICKS_PER_S) * 1000
    return { label: spread ? `${DUE} due 1 ms apart` : `${DUE} due at one instant`, runs: runs.length, statuses, claim, payload, cpuMs }
  } finally {
    db.close()
  }
}

// ── run ──────────────────────────────────────────────────────────────────────────────────────────

const mb = (b) => (b / 1024 / 1024).toFixed(1)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
let child
try {
  // 0 jobs: start-up and idle baseline.
  const emptyStarts = []
  const emptyCron = []
  for (let i = 0; i < STARTS; i++) {
    const started = await startGateway()
    emptyStarts.push(started.readyMs)
    child = started.child
    await sleep(200)
    emptyCron.push(started.cronStartMs())
    if (i < STARTS - 1) await stopGateway(child)
  }
  const emptyIdle = await idle(child, IDLE_MS)

  // Seed the jobs over RPC.
  let rpc = await connect(child.url)
  const t0 = performance.now()
  await addJobs(rpc, idleJobs(JOBS, Date.now()))
  const seedMs = performance.now() - t0
  const { total } = await rpc.call('cron.list', { limit: 1 })
  if (total !== JOBS) throw new Error(`expected ${JOBS} jobs, cron.list says ${total}`)
  rpc.close()
  await stopGateway(child)

  // With the jobs: start-up (the re-arm) and idle.
  const fullStarts = []
  const fullCron = []
  for (let i = 0; i < STARTS; i++) {
    const started = await startGateway()
    fullStarts.push(started.readyMs)
    child = started.child
    await sleep(200)
    fullCron.push(started.cronStartMs())
    if (i < STARTS - 1) await stopGateway(child)
  }
  const fullIdle = await idle(child, IDLE_MS)

  // The baseline build on a copy of the same store (10,000 jobs), just before this build.
  let before = []
  if (baselineBin) {
    await stopGateway(child)
    cpSync(stateDir, baselineDir, { recursive: true })
    const started = await startGateway({ bin: baselineBin, stateDir: baselineDir })
    child = started.child
    await sleep(2000)
    rpc = await connect(child.url)
    before = [await lateness(rpc, child.pid, true, baselineDir), await lateness(rpc, child.pid, false, baselineDir)].map((r) => ({ ...r, label: `before: ${r.label}` }))
    rpc.close()
    await stopGateway(child)
    child = (await startGateway()).child
    await sleep(2000)
  }

  rpc = await connect(child.url)
  const spread = await lateness(rpc, child.pid, true)
  const burst = await lateness(rpc, child.pid, false)
  rpc.close()
  await stopGateway(child)

  const empty = median(emptyStarts)
  const full = median(fullStarts)
  console.log(`\nbench/cron — node ${process.version}, ${JOBS} jobs (seeded over RPC in ${(seedMs / 1000).toFixed(1)} s), idle windows of ${IDLE_MS / 1000} s, start-up median of ${STARTS}\n`)
  console.log('| measure                              |  0 jobs | ' + `${JOBS} jobs`.padStart(11) + ' | target            |')
  console.log('|--------------------------------------|--------:|------------:|-------------------|')
  console.log(`| spawn to "listening on" (ms)         | ${empty.toFixed(0).padStart(7)} | ${full.toFixed(0).padStart(11)} | re-arm cost: ${(full - empty).toFixed(0)} ms |`)
  console.log(`| cron plugin start (ms, from its log) | ${median(emptyCron).toFixed(0).padStart(7)} | ${median(fullCron).toFixed(0).padStart(11)} | re-arm cost: ${(median(fullCron) - median(emptyCron)).toFixed(0)} ms |`)
  console.log(`| idle CPU (% of one core)             | ${emptyIdle.cpuPct.toFixed(2).padStart(7)} | ${fullIdle.cpuPct.toFixed(2).padStart(11)} | < 1 % ${fullIdle.cpuPct < 1 ? 'OK' : 'MISSED'}          |`)
  console.log(`| RSS while idle (MB)                  | ${mb(emptyIdle.rss).padStart(7)} | ${mb(fullIdle.rss).padStart(11)} | (+${mb(fullIdle.rss - emptyIdle.rss)} MB)         |`)
  console.log(`\nfire lateness with ${JOBS} other jobs in the store (ms after the scheduled time; claim = run row written, payload = system event queued;`)
  console.log('gateway CPU = CPU time of the gateway process from 300 ms before the fires until all are recorded: the work, whatever the load)\n')
  console.log('| fires                              | runs | claim p50 | claim p99 | payload p50 | payload p99 | payload max | target p99 < 50 ms | gateway CPU (ms) |')
  console.log('|------------------------------------|-----:|----------:|----------:|------------:|------------:|------------:|--------------------|-----------------:|')
  for (const r of [...before, spread, burst]) {
    const p99 = pct(r.payload, 99)
    console.log(`| ${r.label.padEnd(34)} | ${String(r.runs).padStart(4)} | ${String(pct(r.claim, 50)).padStart(9)} | ${String(pct(r.claim, 99)).padStart(9)} | ${String(pct(r.payload, 50)).padStart(11)} | ${String(p99).padStart(11)} | ${String(r.payload.at(-1)).padStart(11)} | ${(p99 < 50 ? 'OK' : 'MISSED').padEnd(18)} | ${r.cpuMs.toFixed(0).padStart(16)} |`)
    if (r.statuses.ok !== DUE) console.log(`  (statuses: ${JSON.stringify(r.statuses)})`)
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  if (BASELINE) console.log(`\n"before" rows: the gateway built in ${BASELINE}, on a copy of the same store, measured just before this build's rows`)
  console.log(`\nload average at the end: ${load} (the numbers move with what else runs on the machine)`)
} finally {
  if (child) await stopGateway(child).catch(() => {})
  rmSync(stateDir, { recursive: true, force: true })
  if (baselineDir) rmSync(baselineDir, { recursive: true, force: true })
}
