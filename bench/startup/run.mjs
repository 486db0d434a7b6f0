// bench/startup: start-to-ready time and RSS of a gateway with 0, 20 and 100 no-op plugins, beside a
// bare `node -e` start on the same machine; then the real `openclaw gateway` command with every
// first-party plugin and surface on, from spawn to its "listening on" line. Each row is the median of
// RUNS fresh processes.
// Run: pnpm build && pnpm bench:startup
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const RUNS = Number(process.env.RUNS ?? 7)
const child = fileURLToPath(new URL('./child.mjs', import.meta.url))

function measure(args) {
  const samples = []
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['--expose-gc', ...args], { encoding: 'utf8' })
    samples.push(JSON.parse(out.trim().split('\n').pop()))
  }
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(samples.length / 2)]
  return { readyMs: median('readyMs'), rss: median('rss') }
}

const bare = measure(['-e', "global.gc?.(); process.stdout.write(JSON.stringify({ readyMs: performance.now(), rss: process.memoryUsage().rss }) + '\\n')"])
const rows = [['bare node -e', bare]]
for (const n of [0, 20, 100]) rows.push([`gateway, ${n} plugins`, measure([child, String(n)])])

const mb = (b) => (b / 1024 / 1024).toFixed(1)
console.log(`\nbench/startup — median of ${RUNS} runs, node ${process.version}\n`)
console.log('| start                 | ready (ms) | over bare (ms) | RSS (MB) | over bare (MB) |')
console.log('|-----------------------|-----------:|---------------:|---------:|---------------:|')
for (const [name, r] of rows) {
  console.log(`| ${name.padEnd(21)} | ${r.readyMs.toFixed(1).padStart(10)} | ${(r.readyMs - bare.readyMs).toFixed(1).padStart(14)} | ${mb(r.rss).padStart(8)} | ${mb(r.rss - bare.rss).padStart(14)} |`)
}
const g20 = rows[2][1].readyMs - bare.readyMs
const per = (rows[3][1].readyMs - rows[1][1].readyMs) / 100
console.log(`\ntargets: 20 plugins ready within 150 ms of bare → ${g20.toFixed(1)} ms ${g20 <= 150 ? 'OK' : 'MISSED'}; ` +
  `per-plugin cost ${per.toFixed(2)} ms (linear if 0→20 and 20→100 agree: ${((rows[2][1].readyMs - rows[1][1].readyMs) / 20).toFixed(2)} ms); ` +
  `idle core RSS ${mb(rows[1][1].rss)} MB ${rows[1][1].rss < 60 * 1024 * 1024 ? 'OK (< 60 MB)' : 'MISSED (>= 60 MB)'}`)

// ── the CLI: `openclaw gateway`, every first-party plugin, every surface on ─────────────────────────

const bin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url))
const stateDir = mkdtempSync(join(tmpdir(), 'oc-bench-cli-'))
writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify({
  gateway: {
    port: 0,
    auth: { mode: 'token', token: 'bench-gateway-token' },
    http: { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } },
  },
  hooks: { enabled: true, token: 'bench-hooks-token' },
}))

/** Resident set of a running process in bytes (Linux), or NaN where /proc is not there. */
function rssOf(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb === undefined ? NaN : Number(kb) * 1024
  } catch {
    return NaN
  }
}

/** Spawn to the first stdout line matching `ready`, then SIGTERM and wait for the exit. */
function timeSpawn(args, ready) {
  return new Promise((resolveRun, rejectRun) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, args, { env: { ...process.env, OPENCLAW_STATE_DIR: stateDir }, stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    let result
    const giveUp = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.stdout.on('data', (chunk) => {
      if (result) return
      out += chunk
      if (!ready.test(out)) return
      result = { readyMs: performance.now() - t0, rss: rssOf(child.pid) }
      child.kill('SIGTERM')
    })
    child.on('error', rejectRun)
    child.on('exit', (code, signal) => {
      clearTimeout(giveUp)
      if (result) resolveRun(result)
      else rejectRun(new Error(`exited (${signal ?? code}) before ready; output:\n${out}`))
    })
  })
}

async function measureSpawn(args, ready) {
  const samples = []
  for (let i = 0; i < RUNS; i++) samples.push(await timeSpawn(args, ready))
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(samples.length / 2)]
  return { readyMs: median('readyMs'), rss: median('rss') }
}

try {
  const bareSpawn = await measureSpawn(['-e', "console.log('ready'); setInterval(() => {}, 1000)"], /ready/)
  const cli = await measureSpawn([bin, 'gateway'], /listening on/)
  console.log(`\nopenclaw gateway (every first-party plugin; chat completions, responses, tools, hooks, rpc on) — spawn to "listening on", median of ${RUNS}\n`)
  console.log('| start                 | ready (ms) | over bare (ms) | RSS (MB) |')
  console.log('|-----------------------|-----------:|---------------:|---------:|')
  for (const [name, r] of [['spawn node -e', bareSpawn], ['openclaw gateway', cli]]) {
    console.log(`| ${name.padEnd(21)} | ${r.readyMs.toFixed(1).padStart(10)} | ${(r.readyMs - bareSpawn.readyMs).toFixed(1).padStart(14)} | ${mb(r.rss).padStart(8)} |`)
  }
  console.log(`\ntarget: the gateway ready within 500 ms of process start with all first-party plugins → ${cli.readyMs.toFixed(1)} ms ${cli.readyMs <= 500 ? 'OK' : 'MISSED'}`)
} finally {
  rmSync(stateDir, { recursive: true, force: true })
}
