#!/usr/bin/env node
// bench/channels: the channel path, loopback only, stops by itself within 120 s.
//   1. accept latency: api.gateway.inbound.accept() in-process, and a signed webhook POST over HTTP
//      (202 answered), p50/p99, while the worker runs what was accepted;
//   2. end-to-end messages per second through the webhook channel (signed POST in → zero-delay
//      scripted model → signed reply POST out, counted at the receiver), beside the
//      chat-completions surface (POST /v1/chat/completions) on the same gateway, same model;
//   3. delivery-worker overhead per message: delivery.send() to a channel whose send() does nothing,
//      minus the bare send() call.
// Needs the built packages (`pnpm build`), or run from source: node --conditions=source --import tsx bench/channels/run.mjs
// Usage: node bench/channels/run.mjs [--quick]
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createGateway, createSilentLogger } from '@openclaw/core'
import channelWebhook, { signStandardWebhook } from '@openclaw/plugin-channel-webhook'
import httpOpenAi from '@openclaw/plugin-http-openai'
import httpServer from '@openclaw/plugin-http-server'
import providerOpenAi from '@openclaw/plugin-provider-openai'
import { definePlugin, Tokens } from '@openclaw/plugin-sdk'
import { createScriptedModelServer } from '@openclaw/plugin-sdk/testing'

const QUICK = process.argv.includes('--quick')
const N_ACCEPT = QUICK ? 500 : 2000
const N_E2E = QUICK ? 300 : 1500
const N_DELIVERY = QUICK ? 1000 : 4000
const CONCURRENCY = 16
const TOKEN = 'bench-channels-token'
const SECRET = `whsec_${Buffer.from('bench channels secret 32 bytes!!').toString('base64')}`
setTimeout(() => {
  console.error('bench/channels: still running after 120 s; giving up')
  process.exit(2)
}, 120_000).unref()

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const ms = (v) => `${v.toFixed(2)} ms`
const stats = (samples) => {
  const s = [...samples].sort((a, b) => a - b)
  return { p50: pct(s, 50), p99: pct(s, 99) }
}

async function pool(n, concurrency, task) {
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await task(next++)
  }))
}

// A receiver for reply POSTs: counts them, answers 200 at once.
let replies = 0
let onReply = () => {}
const receiver = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    replies++
    onReply()
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
})
await new Promise((r) => receiver.listen(0, '127.0.0.1', r))
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/replies`

// A channel whose send() does nothing, for the accept and delivery-worker measures.
const noop = definePlugin({
  id: 'channel:noop', version: '1.0.0', kind: 'channel', apiVersion: '^2.0.0',
  register(api) {
    api.channels.register({ id: 'noop', capabilities: { text: { maxLength: 4000, format: 'plain' } }, send: async (m) => ({ messageId: m.deliveryKey }) })
  },
})

const model = await createScriptedModelServer()
const gateway = await createGateway({
  stateDir: mkdtempSync(join(tmpdir(), 'openclaw-bench-channels-')),
  logger: createSilentLogger(),
  env: {},
  plugins: [httpServer(), httpOpenAi(), providerOpenAi(), channelWebhook(), noop],
  config: {
    gateway: { port: 0, auth: { mode: 'token', token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } },
    models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k', maxRetries: 0 } } },
    agents: { defaults: { model: 'openai/scripted-model' } },
    channels: { webhook: { accounts: { main: { secret: SECRET, url: receiverUrl, dmPolicy: 'open', allowFrom: ['*'] } } } },
    inbound: { concurrency: CONCURRENCY },
    logging: { level: 'silent' },
  },
})
await gateway.start()
const base = gateway.services.resolve(Tokens.HttpServer).url
const rows = []

// 1a. accept() in-process.
{
  const samples = []
  for (let i = 0; i < N_ACCEPT; i++) {
    const t0 = performance.now()
    await gateway.inbound.accept({ kind: 'message', id: `a${i}`, channel: 'noop', chat: { id: `c${i % 64}`, kind: 'direct' }, sender: { id: `c${i % 64}` }, text: 'hi' })
    samples.push(performance.now() - t0)
  }
  const s = stats(samples)
  rows.push(['accept() in-process', `${N_ACCEPT} events`, `p50 ${ms(s.p50)}`, `p99 ${ms(s.p99)}`])
}
// Let the worker drain what was accepted before measuring over HTTP.
while ((await gateway.inbound.list({ state: 'pending', limit: 1 })).length > 0) await new Promise((r) => setTimeout(r, 50))

const post = async (i, prefix) => {
  const body = JSON.stringify({ from: { id: `u${i % 64}` }, text: `m${i}` })
  const res = await fetch(`${base}/channels/webhook/main`, { method: 'POST', headers: { 'content-type': 'application/json', ...signStandardWebhook(SECRET, `${prefix}${i}`, body, Date.now()) }, body })
  await res.arrayBuffer()
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}`)
}

// 1b. A signed webhook POST answered 202 (verify + accept), over HTTP, one at a time.
{
  replies = 0
  const samples = []
  for (let i = 0; i < N_ACCEPT / 2; i++) {
    const t0 = performance.now()
    await post(i, 'lat_')
    samples.push(performance.now() - t0)
  }
  const s = stats(samples)
  rows.push(['webhook POST → 202', `${N_ACCEPT / 2} posts`, `p50 ${ms(s.p50)}`, `p99 ${ms(s.p99)}`])
  while (replies < N_ACCEPT / 2) await new Promise((r) => setTimeout(r, 50))
}

// 2. End to end: posts in, replies out, 16 senders on 64 chats.
{
  replies = 0
  const done = new Promise((resolve) => (onReply = () => replies >= N_E2E && resolve()))
  const t0 = performance.now()
  await pool(N_E2E, CONCURRENCY, (i) => post(i, 'e2e_'))
  await done
  const seconds = (performance.now() - t0) / 1000
  rows.push(['webhook end to end', `${N_E2E} messages, ${CONCURRENCY} senders`, `${(N_E2E / seconds).toFixed(0)} msg/s`, `${seconds.toFixed(2)} s`])
  onReply = () => {}
}
{
  const body = JSON.stringify({ model: 'openclaw', messages: [{ role: 'user', content: 'hi' }] })
  const t0 = performance.now()
  await pool(N_E2E, CONCURRENCY, async (i) => {
    const res = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'x-openclaw-session-key': `bench-${i % 64}` }, body })
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`chat completions answered ${res.status}`)
  })
  const seconds = (performance.now() - t0) / 1000
  rows.push(['chat completions (same run)', `${N_E2E} requests, ${CONCURRENCY} clients`, `${(N_E2E / seconds).toFixed(0)} req/s`, `${seconds.toFixed(2)} s`])
}

// 3. Delivery-worker overhead: delivery.send() through the outbox vs the bare send() call.
{
  const channel = gateway.registry.channels.get('noop')
  const ctx = { attempt: 1, signal: new AbortController().signal, log: gateway.log }
  let t0 = performance.now()
  for (let i = 0; i < N_DELIVERY; i++) await channel.send({ channel: 'noop', to: 'x', text: 'hi', deliveryKey: `bare${i}` }, ctx)
  const bare = (performance.now() - t0) / N_DELIVERY
  const cpu0 = process.cpuUsage()
  t0 = performance.now()
  await pool(N_DELIVERY, CONCURRENCY, (i) => gateway.delivery.send({ channel: 'noop', to: `chat${i % 64}`, text: 'hi', deliveryKey: `dw${i}` }))
  const wall = (performance.now() - t0) / N_DELIVERY
  const cpu = process.cpuUsage(cpu0)
  const cpuPer = (cpu.user + cpu.system) / 1000 / N_DELIVERY
  rows.push(['delivery worker overhead', `${N_DELIVERY} messages, ${CONCURRENCY} at once`, `${((wall - bare) * 1000).toFixed(0)} µs wall/msg`, `${(cpuPer * 1000).toFixed(0)} µs CPU/msg`])
}

await gateway.stop()
await model.close()
receiver.close()

const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)))
console.log(`bench/channels (${QUICK ? 'quick' : 'full'}; SQLite state, zero-delay scripted model, one process: the model, receiver and load share the gateway's CPU)`)
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '))
process.exit(0)
