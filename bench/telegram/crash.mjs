#!/usr/bin/env node
// bench/telegram/crash: how many replies go out twice when `openclaw gateway` is SIGKILLed while
// replies flow. Telegram's Bot API has no idempotency key: a reply Telegram accepted, whose outbox row
// the gateway had not yet committed as sent when it died, is sent again after the restart. This
// measures that window end to end, on loopback, and stops by itself.
//
// Per run: one gateway (a child process, SQLite state) long-polls the fake Telegram server from the SDK
// test kit; a zero-delay scripted model answers. KILLS times: 30 chats each write one DM, and at a
// random moment while the replies go out (0–1.5 s later) the gateway is SIGKILLed and restarted. Then
// every DM must be answered (a reply lost is a failure of the run), and the replies sent twice are
// counted at the fake server, with how long before its kill Telegram had answered each first send.
//
// Rows: this checkout with `delivery.inDoubt: resend` (the default: at least once) and with
// `dead-letter` (at most once: a send cut off is a dead letter, counted here, never sent twice); with
// BASE_DIR=/path/to/other/checkout, that checkout's default too (alternating runs, same schedule).
// Usage: node bench/telegram/crash.mjs [--kills N] [--runs N] [--built]
// Runs the CLI from its TypeScript sources (tsx) unless --built (then `pnpm build` first).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createScriptedModelServer, lastUserText, startFakeTelegram } from '@openclaw/plugin-sdk/testing'
import { freePort } from '../lib/free-port.mjs'

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const KILLS = arg('kills', 8)
const RUNS = arg('runs', 2)
const CHATS = 30
const TOKEN = 'bench-crash-token-0123456789abcdef'
/** Run the built CLI (`pnpm build`) rather than its sources through tsx. */
const BUILT = process.argv.includes('--built')
const HERE = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const builds = [
  ...(process.env.BASE_DIR ? [[`BASE_DIR (${process.env.BASE_DIR})`, resolve(process.env.BASE_DIR), undefined]] : []),
  ['this checkout, inDoubt: resend', HERE, 'resend'],
  ['this checkout, inDoubt: dead-letter', HERE, 'dead-letter'],
]
setTimeout(() => {
  console.error('bench/telegram/crash: still running after 20 minutes; giving up')
  process.exit(2)
}, 20 * 60_000).unref()

/** How to run the `openclaw` CLI of the checkout at `root`: built, or from its sources through tsx. */
const cli = (root) => (BUILT ? [join(root, 'packages/cli/dist/bin.js')] : ['--conditions=source', '--import', 'tsx', join(root, 'packages/cli/src/bin.ts')])

function startGateway(root, configPath, stateDir, port) {
  const env = { ...process.env }
  for (const name of Object.keys(env)) if (name.startsWith('OPENCLAW_')) delete env[name]
  const child = spawn(process.execPath, [...cli(root), 'gateway', '--port', String(port), '--state-dir', stateDir, '--config', configPath], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no "listening" line within 60 s: ${output}`)), 60_000)
    child.stderr.on('data', (chunk) => (output += chunk))
    child.stdout.on('data', (chunk) => {
      output += chunk
      if (/listening on http:\/\//.test(output)) {
        clearTimeout(timer)
        ok(child)
      }
    })
    child.once('exit', (code) => fail(new Error(`gateway exited with ${code}: ${output}`)))
  })
}

function kill(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  const gone = new Promise((ok) => child.once('exit', ok))
  child.kill('SIGKILL')
  return gone
}

const pause = (ms) => new Promise((ok) => setTimeout(ok, ms))

/** Dead letters through `openclaw deliveries list --json` (the operator's view). */
function deadLetters(root, port) {
  const child = spawn(process.execPath, [...cli(root), 'deliveries', 'list', '--json', '--limit', '1000', '--url', `ws://127.0.0.1:${port}`, '--token', TOKEN], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (chunk) => (out += chunk))
  return new Promise((ok) => child.once('exit', () => ok(JSON.parse(out || '{"deliveries":[]}').deliveries)))
}

/** One run against the checkout at `root`, with the kill moments given (ms after each round's DMs). */
async function run(root, inDoubt, killDelays) {
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-bench-crash-'))
  const tg = await startFakeTelegram()
  const model = await createScriptedModelServer()
  model.replyWith((request) => ({ text: `re: ${/c\d+-r\d+/.exec(lastUserText(request))?.[0] ?? '?'}` }))
  const configPath = join(dir, 'openclaw.json')
  writeFileSync(configPath, JSON.stringify({
    gateway: { auth: { token: TOKEN } },
    models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k', maxRetries: 0 } } },
    agents: { defaults: { model: 'openai/scripted-model' } },
    channels: { telegram: { botToken: tg.token, apiRoot: tg.apiRoot, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off', polling: { timeoutSeconds: 1, stallGraceMs: 2000 } } },
    // One turn per DM (no inbound batching), in checkouts that batch: the bench counts replies per DM.
    ...(existsSync(join(root, 'packages/core/src/inbound/inbox-batch.ts')) ? { messages: { inbound: { byChannel: { telegram: 0 } } } } : {}),
    inbound: { concurrency: 16, leaseMs: 3000 },
    delivery: { baseDelayMs: 50, maxDelayMs: 500, leaseMs: 3000, ...(inDoubt ? { inDoubt } : {}) },
    logging: { level: 'error' },
  }))
  const port = await freePort()
  const answeredAt = new Map() // reply text → when Telegram answered its first sendMessage
  tg.onAnswer((call) => {
    if (call.method === 'sendMessage' && call.status === 200 && !answeredAt.has(call.params.text)) answeredAt.set(call.params.text, call.at)
  })
  const users = Array.from({ length: CHATS }, (_, i) => tg.user({ firstName: `Chat ${i}` }))
  let child = await startGateway(root, configPath, dir, port)
  const killedAt = []
  for (const [round, delay] of killDelays.entries()) {
    for (const [chat, user] of users.entries()) tg.sendDm(user, `c${chat}-r${round}`)
    await pause(delay)
    killedAt.push(Date.now())
    await kill(child)
    child = await startGateway(root, configPath, dir, port)
  }
  const total = CHATS * killDelays.length
  const replied = () => new Set(users.flatMap((u) => tg.messagesTo(u.id).map((m) => m.plainText)))
  let letters = []
  const deadline = Date.now() + 180_000
  for (;;) {
    const seen = replied()
    if (seen.size >= total) break
    if (inDoubt === 'dead-letter' && seen.size >= total - 3 * KILLS) {
      letters = await deadLetters(root, port)
      if (new Set([...seen, ...letters.map((l) => l.text)]).size >= total) break
    }
    if (Date.now() > deadline) throw new Error(`only ${seen.size} of ${total} replies`)
    await pause(250)
  }
  await pause(2_000) // a late duplicate would show here
  if (inDoubt === 'dead-letter') letters = await deadLetters(root, port)
  await kill(child)
  const texts = users.flatMap((u) => tg.messagesTo(u.id).map((m) => m.plainText))
  const seen = new Set()
  const duplicates = texts.filter((text) => (seen.has(text) ? true : (seen.add(text), false)))
  // How long before the next kill Telegram had answered each reply that went out twice.
  const beforeKill = duplicates.map((text) => {
    const at = answeredAt.get(text)
    const next = killedAt.find((k) => k >= at)
    return next === undefined ? NaN : next - at
  })
  const sends = tg.callsOf('sendMessage').length
  await tg.close()
  await model.close()
  rmSync(dir, { recursive: true, force: true })
  const delivered = replied()
  return { total, sends, duplicates: duplicates.length, beforeKill, inDoubt: letters.length, lost: letters.filter((l) => !delivered.has(l.text)).length }
}

const rows = []
const results = new Map(builds.map(([label]) => [label, { total: 0, sends: 0, duplicates: 0, kills: 0, beforeKill: [], inDoubt: 0, lost: 0 }]))
for (let r = 0; r < RUNS; r++) {
  const delays = Array.from({ length: KILLS }, () => Math.round(Math.random() * 1500))
  for (const [label, root, inDoubt] of builds) {
    const result = await run(root, inDoubt, delays)
    const sum = results.get(label)
    sum.total += result.total
    sum.sends += result.sends
    sum.duplicates += result.duplicates
    sum.kills += KILLS
    sum.beforeKill.push(...result.beforeKill)
    sum.inDoubt += result.inDoubt
    sum.lost += result.lost
    console.error(`run ${r + 1}/${RUNS} ${label}: ${result.duplicates} duplicate(s) of ${result.total} replies, ${KILLS} kills, ${result.inDoubt} in doubt`)
  }
}
for (const [label, sum] of results) {
  const before = sum.beforeKill.filter(Number.isFinite).sort((a, b) => a - b)
  rows.push([
    label,
    `${sum.kills} kills, ${sum.total} replies`,
    `${sum.duplicates} sent twice (${(sum.duplicates / sum.kills).toFixed(2)} per kill)`,
    before.length ? `answered ${before[0]}–${before.at(-1)} ms before the kill` : '',
    label.includes('dead-letter') ? `${sum.inDoubt} dead letters in doubt (${sum.inDoubt - sum.lost} had arrived)` : '',
  ])
}
const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c].length)))
console.log('bench/telegram/crash (SIGKILL while replies flow: 30 chats, kill 0–1.5 s after each round of DMs; SQLite state; fake Telegram; zero-delay model)')
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '))
process.exit(0)
