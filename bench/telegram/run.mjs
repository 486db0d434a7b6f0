#!/usr/bin/env node
// bench/telegram: the Telegram channel end to end through long polling, loopback only, stops by itself
// within 150 s. The fake Telegram Bot API server from the SDK test kit plays Telegram; a zero-delay
// scripted model server plays the model; one gateway (SQLite state) runs @openclaw/plugin-channel-telegram.
//   1. updates per second: N DMs pushed at once over 50 chats, until every one is answered
//      (sendMessage counted at the fake server), with the channel's default rate limit (25/s, 1/s per
//      chat: Telegram's own limits) and with it lifted (what the path itself can do);
//   2. latency per update, one at a time: a user's DM queued at the fake server → the bot's
//      sendMessage arriving there (p50/p99), split into push → getUpdates answered (delivery by the
//      long poll) and getUpdates answered → sendMessage (the gateway: accept, inbox, run, outbox, send);
//      beside it a bare bot (a fetch loop: getUpdates → the same model → sendMessage, no framework, no
//      state) in the same run: the difference is the latency the gateway adds per update.
// Needs the built packages (`pnpm build`), or run from source: node --conditions=source --import tsx bench/telegram/run.mjs
// Usage: node bench/telegram/run.mjs [--quick]
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createGateway, createSilentLogger } from '@openclaw/core'
import channelTelegram from '@openclaw/plugin-channel-telegram'
import httpServer from '@openclaw/plugin-http-server'
import providerOpenAi from '@openclaw/plugin-provider-openai'
import { createScriptedModelServer, startFakeTelegram } from '@openclaw/plugin-sdk/testing'

const QUICK = process.argv.includes('--quick')
const N_THROUGHPUT = QUICK ? 200 : 1000
const N_LIMITED = QUICK ? 100 : 300
const N_LATENCY = QUICK ? 50 : 200
const CHATS = 50
setTimeout(() => {
  console.error('bench/telegram: still running after 150 s; giving up')
  process.exit(2)
}, 150_000).unref()

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const ms = (v) => `${v.toFixed(2)} ms`
const stats = (samples) => {
  const s = [...samples].sort((a, b) => a - b)
  return { p50: pct(s, 50), p99: pct(s, 99) }
}
const rows = []
const model = await createScriptedModelServer()
model.replyWith(() => ({ text: 'ok' }))

/** A gateway whose Telegram account long-polls `tg`. */
async function startGateway(tg, telegram = {}) {
  const gateway = await createGateway({
    stateDir: mkdtempSync(join(tmpdir(), 'openclaw-bench-telegram-')),
    logger: createSilentLogger(),
    env: {},
    plugins: [httpServer(), providerOpenAi(), channelTelegram()],
    config: {
      gateway: { port: 0, auth: { mode: 'token', token: 'bench-telegram-token-0123456789' } },
      models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k', maxRetries: 0 } } },
      agents: { defaults: { model: 'openai/scripted-model' } },
      channels: { telegram: { botToken: tg.token, apiRoot: tg.apiRoot, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off', ...telegram } },
      // One turn per update (no inbound batching): the bench counts an answer per DM.
      messages: { inbound: { byChannel: { telegram: 0 } } },
      inbound: { concurrency: 16 },
      logging: { level: 'silent' },
    },
  })
  await gateway.start()
  await tg.waitFor(() => tg.waitingPolls === 1, { timeoutMs: 30_000, description: 'the first long poll' })
  return gateway
}

const answeredIn = (tg, users) => users.reduce((sum, user) => sum + tg.sentCount(user.id), 0)

/** The channel's token buckets out of the way: what the path itself does. */
const LIFTED = { rateLimit: { perSecond: 10_000, burst: 10_000, perChat: { perSecond: 10_000, burst: 10_000 } } }

// 1. Updates per second: N DMs at once over 50 chats.
for (const [label, n, telegram] of [
  ['default rate limit (25/s, 1/s per chat)', N_LIMITED, {}],
  ['rate limit lifted', N_THROUGHPUT, LIFTED],
]) {
  const tg = await startFakeTelegram()
  const gateway = await startGateway(tg, telegram)
  const users = Array.from({ length: CHATS }, () => tg.user())
  const t0 = performance.now()
  for (let i = 0; i < n; i++) tg.sendDm(users[i % CHATS], `m${i}`)
  await tg.waitFor(() => answeredIn(tg, users) >= n, { timeoutMs: 120_000, description: `${n} answers` })
  const seconds = (performance.now() - t0) / 1000
  const polls = tg.callsOf('getUpdates').length
  rows.push([`polling end to end, ${label}`, `${n} updates, ${CHATS} chats`, `${(n / seconds).toFixed(0)} updates/s`, `${seconds.toFixed(2)} s, ${polls} getUpdates`])
  await gateway.stop()
  await tg.close()
}

// 2. Latency per update, one at a time (each on its own chat; the rate limit lifted, see below).
/** Push one DM at a time; per update: push → getUpdates answered with it → the bot's sendMessage. */
async function latencies(tg, n) {
  const total = []
  const delivery = []
  const processing = []
  const answeredAt = new Map()
  const stop = tg.onAnswer((call) => {
    if (call.method !== 'getUpdates' || !Array.isArray(call.result)) return
    for (const update of call.result) if (!answeredAt.has(update.update_id)) answeredAt.set(update.update_id, performance.now())
  })
  for (let i = 0; i < n; i++) {
    await tg.waitFor(() => tg.waitingPolls === 1, { timeoutMs: 30_000, description: 'a waiting long poll' })
    const user = tg.user()
    const t0 = performance.now()
    tg.sendDm(user, `latency ${i}`)
    const updateId = tg.updates.at(-1).update_id
    await tg.waitForMessages(user.id, 1, { timeoutMs: 30_000 })
    const t1 = performance.now()
    const polled = answeredAt.get(updateId) ?? t1
    total.push(t1 - t0)
    delivery.push(polled - t0)
    processing.push(t1 - polled)
  }
  stop()
  return { total: stats(total), delivery: stats(delivery), processing: stats(processing) }
}

/** The bare bot: getUpdates → the model (chat completions) → sendMessage, one update at a time. */
function startBareBot(tg) {
  const abort = new AbortController()
  const call = async (method, body) => {
    const res = await fetch(tg.url(method), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: abort.signal })
    const json = await res.json()
    if (!json.ok) throw new Error(`${method}: ${json.description}`)
    return json.result
  }
  const running = (async () => {
    let offset
    while (!abort.signal.aborted) {
      const updates = await call('getUpdates', { offset, timeout: 25 }).catch(() => [])
      for (const update of updates) {
        offset = update.update_id + 1
        const text = update.message?.text
        if (!text) continue
        const res = await fetch(`${model.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
          body: JSON.stringify({ model: 'scripted-model', messages: [{ role: 'user', content: text }] }),
          signal: abort.signal,
        })
        const answer = await res.json()
        await call('sendMessage', { chat_id: update.message.chat.id, text: answer.choices[0].message.content }).catch(() => undefined)
      }
    }
  })()
  return async () => {
    abort.abort()
    await running.catch(() => undefined)
  }
}

{
  const tg = await startFakeTelegram()
  const stopBare = startBareBot(tg)
  const bare = await latencies(tg, N_LATENCY)
  await stopBare()
  await tg.close()

  const tg2 = await startFakeTelegram()
  // Lifted: with the default 25/s bucket, back-to-back updates past its burst of 30 would each wait
  // 40 ms for a token, and the row would measure the limiter rather than the path.
  const gateway = await startGateway(tg2, LIFTED)
  await latencies(tg2, Math.min(10, N_LATENCY)) // warm-up: first sessions, statement caches
  const gw = await latencies(tg2, N_LATENCY)
  await gateway.stop()
  await tg2.close()

  rows.push([`bare bot (fetch loop), one at a time`, `${N_LATENCY} updates`, `p50 ${ms(bare.total.p50)}`, `p99 ${ms(bare.total.p99)}`])
  rows.push([`gateway, one at a time`, `${N_LATENCY} updates`, `p50 ${ms(gw.total.p50)}`, `p99 ${ms(gw.total.p99)}`])
  rows.push([`  push → getUpdates answered`, '', `p50 ${ms(gw.delivery.p50)}`, `p99 ${ms(gw.delivery.p99)}`])
  rows.push([`  getUpdates answered → sendMessage`, '', `p50 ${ms(gw.processing.p50)}`, `p99 ${ms(gw.processing.p99)}`])
  rows.push([`added latency per update (gateway − bare)`, '', `p50 ${ms(gw.total.p50 - bare.total.p50)}`, `p99 ${ms(gw.total.p99 - bare.total.p99)}`])
}

await model.close()
const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)))
console.log(`bench/telegram (${QUICK ? 'quick' : 'full'}; SQLite state, zero-delay scripted model, fake Telegram server, one process: Telegram, the model and the gateway share its CPU)`)
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '))
process.exit(0)
