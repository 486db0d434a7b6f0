// bench/agent/compare.mjs: the agent bench on two builds in one run: a base commit (default: the
// merge base with main, i.e. the code before this branch) and this working tree. The base is checked
// out with `git worktree add` into a temp dir, installed offline and built there; then both run the
// same bench script (this tree's run.mjs), alternating, ROUNDS times each, and the medians are compared.
// Run: pnpm build && node bench/agent/compare.mjs [base-ref]      (ROUNDS=3 TURNS=400 by default;
// BASE_DIR=<dir> uses a base already checked out, installed and built there, and keeps it)
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()
const baseRef = process.argv[2] ?? git('merge-base', 'HEAD', 'main')
const baseSha = git('rev-parse', '--short', baseRef)
const headSha = git('rev-parse', '--short', 'HEAD')

// BASE_DIR: a checkout of the base that is already installed and built (kept between runs).
const keepBase = process.env.BASE_DIR !== undefined
const baseDir = process.env.BASE_DIR ?? mkdtempSync(join(tmpdir(), 'oc-bench-base-'))
const sh = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}`)
}

if (!keepBase) {
  console.error(`building the base ${baseSha} in ${baseDir} …`)
  git('worktree', 'add', '--detach', baseDir, baseRef)
}
try {
  if (!keepBase) {
    sh('pnpm', ['install', '--offline', '--frozen-lockfile'], baseDir)
    sh('pnpm', ['--filter', '@openclaw/plugin-provider-openai...', '--workspace-concurrency=1', 'run', 'build'], baseDir)
  }
  // The same script on both sides: it awaits the session calls, which also works on a synchronous store.
  const baseScript = join(baseDir, 'bench/agent/run-compare.mjs')
  copyFileSync(join(here, 'run.mjs'), baseScript)
  const sides = { before: baseScript, after: join(here, 'run.mjs') }
  const results = { before: [], after: [] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of ['before', 'after']) {
      console.error(`round ${round + 1}/${ROUNDS}: ${side}`)
      const out = execFileSync(process.execPath, [sides[side], '--json'], { cwd: dirname(sides[side]), encoding: 'utf8', env: process.env })
      results[side].push(JSON.parse(out.trim().split('\n').pop()))
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const stat = (side, concurrency, field) => median(results[side].map((r) => r.rows.find((row) => row.concurrency === concurrency)[field]))
  const pct = (a, b) => `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(1)} %`
  console.log(`\nbench/agent/compare — before ${baseSha}, after ${headSha}; median of ${ROUNDS} alternating rounds, ${results.after[0].turns} turns per row, node ${process.version}\n`)
  console.log('| sessions | metric | before | after | change |')
  console.log('|---------:|--------|-------:|------:|-------:|')
  for (const concurrency of [1, 64]) {
    const rows = [
      ['gateway CPU per turn (µs)', 'gatewayCpuUsPerTurn', 0],
      ['added p50 (ms)', 'addedP50', 3],
      ['added p99 (ms)', 'addedP99', 3],
    ]
    for (const [label, field, digits] of rows) {
      const a = stat('before', concurrency, field)
      const b = stat('after', concurrency, field)
      console.log(`| ${concurrency} | ${label} | ${a.toFixed(digits)} | ${b.toFixed(digits)} | ${pct(a, b)} |`)
    }
  }
  const h = (side) => median(results[side].map((r) => r.historyP50))
  console.log(`| – | 200-message history load p50 (ms) | ${h('before').toFixed(3)} | ${h('after').toFixed(3)} | ${pct(h('before'), h('after'))} |`)
} finally {
  if (!keepBase) {
    git('worktree', 'remove', '--force', baseDir)
    rmSync(baseDir, { recursive: true, force: true })
  }
}
