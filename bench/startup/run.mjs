// bench/startup: start-to-ready time and RSS of a gateway with 0, 20 and 100 no-op plugins, beside a
// bare `node -e` start on the same machine. Each row is the median of RUNS fresh processes.
// Run: pnpm build && pnpm bench:startup
import { execFileSync } from 'node:child_process'
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
