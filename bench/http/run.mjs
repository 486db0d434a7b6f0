#!/usr/bin/env node
// Load test of POST /v1/chat/completions (http:openai on core:http), next to a bare fastify route that
// proxies to the same zero-delay scripted model, and a fastify route that calls provider:openai directly
// (no sessions, no runner: the floor for anything that goes through a provider plugin). Loopback only;
// stops by itself within 120 s.
// Needs the built packages: `pnpm build` (see README.md).
// Usage: node bench/http/run.mjs [--quick] [--only <target>] [--mode json|stream] [--store postgres]
//   --store postgres: SQLite and PostgreSQL side by side, 1 replica vs 3 (bench/http/stores.mjs).
//   --only and --mode run a subset, e.g. to profile one target: node --cpu-prof bench/http/run.mjs --only gateway --mode json
//
// Threads: the main thread runs only the servers under test (the gateway, the fastify proxy); a worker
// thread runs the scripted model server and the load generator, so they do not share its event loop.
import { Agent, request } from 'node:http'
import { isMainThread, parentPort, Worker } from 'node:worker_threads'
import { mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const HOST = '127.0.0.1'
const TOKEN = 'bench-token'
const QUICK = isMainThread ? process.argv.includes('--quick') : process.env.BENCH_QUICK === '1'
/** The value after `--name` on the command line, if given. */
const flag = (name) => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? undefined : process.argv[at + 1]
}
const ONLY = flag('only')
const MODE = flag('mode')
/** Per scenario: measure this long (after a short warm-up), or stop at this many requests. */
const DURATION_MS = QUICK ? 1000 : 3000
// Long enough for the JIT to settle: the gateway has far more code to optimise than the proxy.
const WARMUP_MS = QUICK ? 200 : 1500
const MAX_REQUESTS = 50_000
/** Hard stop for the whole run; scenarios that would start after it are skipped. */
const BUDGET_MS = 110_000
/**
 * Closed loops at each concurrency (streams also at 1: time to first byte without queueing), then an
 * open loop: 64 connections at a rate every target carries (about a third of the gateway's most), for
 * the latency each adds when not saturated.
 */
const OPEN_LOOP = { concurrency: 64, rate: 400 }
const SCENARIOS = {
  json: [{ concurrency: 16 }, { concurrency: 64 }, OPEN_LOOP],
  stream: [{ concurrency: 1 }, { concurrency: 16 }, { concurrency: 64 }, OPEN_LOOP],
}

const started = performance.now()
if (isMainThread) {
  const hardStop = setTimeout(() => {
    console.error(`bench: still running after 120 s; giving up`)
    process.exit(2)
  }, 120_000)
  hardStop.unref()
}

async function load(path) {
  try {
    return await import(pathToFileURL(join(ROOT, path)).href)
  } catch (error) {
    console.error(`bench: cannot import ${path} (${error.code ?? error.message}). Build first: pnpm build`)
    process.exit(1)
  }
}

// ── load generator ───────────────────────────────────────────────────────────────────────────────

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** One request; resolves with total and first-byte times (ms), or rejects. */
function once(agent, url, body, headers) {
  return new Promise((resolveOnce, rejectOnce) => {
    const t0 = performance.now()
    let firstByte
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.on('data', () => {
        firstByte ??= performance.now() - t0
      })
      res.on('end', () => {
        if (res.statusCode !== 200) rejectOnce(new Error(`HTTP ${res.statusCode}`))
        else resolveOnce({ total: performance.now() - t0, firstByte: firstByte ?? performance.now() - t0 })
      })
      res.on('error', rejectOnce)
    })
    req.on('error', rejectOnce)
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')))
    req.end(body)
  })
}

/**
 * Closed loop (no `rate`): `concurrency` workers sending requests back to back for `DURATION_MS`
 * (after a warm-up): the most each target serves. Open loop (`rate` requests per second): requests
 * start on a fixed schedule whatever the answers, at most `concurrency` in flight, and latency counts
 * from the scheduled start (so a slow answer cannot hide the queueing it causes): the latency each
 * target adds at a load all of them carry.
 */
async function runScenario({ target, url, stream, concurrency, rate }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const body = JSON.stringify({ model: 'openclaw', stream, messages: [{ role: 'user', content: 'Say something.' }] })
  const headers = target === 'gateway' ? { authorization: `Bearer ${TOKEN}` } : {}
  const endpoint = `${url}/v1/chat/completions`
  const totals = []
  const firstBytes = []
  let errors = 0
  let sent = 0
  /** Every answered request, warm-up included: the server's busy time is divided by it. */
  let completed = 0
  let measuring = false
  const warmupEnd = performance.now() + WARMUP_MS
  const end = warmupEnd + DURATION_MS
  let measureStart = 0
  /** One request started at `scheduled` (a performance.now() time); recorded when measuring began by then. */
  const request = async (scheduled) => {
    if (!measuring && scheduled >= warmupEnd) {
      measuring = true
      measureStart = scheduled
    }
    const counted = measuring
    if (counted) sent++
    try {
      const t = await once(agent, endpoint, body, headers)
      completed++
      if (counted) {
        const queued = performance.now() - t.total - scheduled
        totals.push(t.total + queued)
        firstBytes.push(t.firstByte + queued)
      }
    } catch {
      if (counted) errors++
    }
  }
  if (rate === undefined) {
    const worker = async () => {
      while (performance.now() < end && sent < MAX_REQUESTS) await request(performance.now())
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
  } else {
    const interval = 1000 / rate
    const inFlight = new Set()
    let next = performance.now()
    while (next < end && sent < MAX_REQUESTS) {
      const wait = next - performance.now()
      if (wait > 0) await new Promise((resolveWait) => setTimeout(resolveWait, wait))
      const scheduled = next
      next += interval
      if (inFlight.size >= concurrency) {
        // Every connection is busy: the target cannot carry this rate; count it as a failure.
        if (measuring) errors++
        continue
      }
      const pending = request(scheduled).finally(() => inFlight.delete(pending))
      inFlight.add(pending)
    }
    await Promise.all(inFlight)
  }
  const elapsed = (performance.now() - (measureStart || warmupEnd)) / 1000
  agent.destroy()
  totals.sort((a, b) => a - b)
  firstBytes.sort((a, b) => a - b)
  return {
    target, stream, concurrency, rate,
    requests: totals.length, completed, errors,
    rps: totals.length / elapsed,
    p50: percentile(totals, 50), p99: percentile(totals, 99),
    ttfb50: percentile(firstBytes, 50), ttfb99: percentile(firstBytes, 99),
  }
}

const REPLY = 'The quick brown fox jumps over the lazy dog.'

if (!isMainThread) {
  // ── worker: the scripted model and the load generator ─────────────────────────────────────────
  const { createScriptedModelServer } = await load('packages/plugin-sdk/dist/testing/index.js')
  const model = await createScriptedModelServer({ models: ['bench-model'] })
  const script = () => model.replyWith(() => ({ text: REPLY, usage: { input: 10, output: 10 } }))
  script()
  parentPort.postMessage({ type: 'ready', baseUrl: model.baseUrl })
  parentPort.on('message', async (message) => {
    if (message.type === 'run') {
      const result = await runScenario(message.scenario)
      // The scripted server records every request; keep its memory flat between scenarios.
      model.reset()
      script()
      parentPort.postMessage({ type: 'result', result })
    } else if (message.type === 'close') {
      await model.close()
      parentPort.close()
    }
  })
} else if (flag('store') === 'postgres') {
  await import('./stores.mjs')
} else if (flag('store') !== undefined && flag('store') !== 'sqlite') {
  console.error('bench: --store takes sqlite or postgres')
  process.exit(2)
} else {
  await main()
}

async function main() {
  if ((ONLY !== undefined && !['fastify-proxy', 'fastify+provider', 'gateway'].includes(ONLY)) || (MODE !== undefined && !['json', 'stream'].includes(MODE))) {
    console.error('bench: --only takes fastify-proxy, fastify+provider or gateway; --mode takes json or stream')
    process.exit(2)
  }
  const { createGateway, createSilentLogger, Tokens } = await load('packages/core/dist/index.js')
  const httpServer = (await load('plugins/http-server/dist/index.js')).default
  const httpOpenAi = (await load('plugins/http-openai/dist/index.js')).default
  const { default: providerOpenAi, createOpenAiProvider } = await load('plugins/provider-openai/dist/index.js')
  const fastify = createRequire(join(ROOT, 'plugins/http-server/package.json'))('fastify')

  // ── servers ──────────────────────────────────────────────────────────────────────────────────────

  const driver = new Worker(fileURLToPath(import.meta.url), { env: { ...process.env, BENCH_QUICK: QUICK ? '1' : '0' } })
  driver.unref()
  const replies = []
  driver.on('message', (message) => replies.shift()?.(message))
  driver.on('error', (error) => {
    console.error('bench: the load worker failed:', error)
    process.exit(1)
  })
  const ask = (message) => new Promise((resolveAsk) => {
    replies.push(resolveAsk)
    if (message) driver.postMessage(message)
  })
  const { baseUrl } = await ask()
  const model = { baseUrl }

  const gateway = await createGateway({
    stateDir: mkdtempSync(join(tmpdir(), 'openclaw-bench-')),
    store: ':memory:',
    logger: createSilentLogger(),
    env: {},
    plugins: [httpServer, httpOpenAi, providerOpenAi],
    config: {
      gateway: {
        port: 0,
        bind: HOST,
        auth: { mode: 'token', token: TOKEN },
        authRateLimit: { failureDelayMs: 0 },
        http: { endpoints: { chatCompletions: { enabled: true } } },
      },
      session: { maxQueue: 1000 },
      agents: { defaults: { model: 'openai/bench-model' } },
      models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'sk-bench', maxRetries: 0 } } },
    },
  })
  await gateway.start()
  const gatewayUrl = gateway.services.resolve(Tokens.HttpServer).url

  // The baseline: fastify, one route, forwarding the body to the scripted model and piping the answer back.
  const upstream = new Agent({ keepAlive: true, maxSockets: 256 })
  const proxy = fastify({ logger: false })
  proxy.post('/v1/chat/completions', (req, reply) => {
    const body = JSON.stringify({ ...req.body, model: 'bench-model' })
    const out = request(
      `${model.baseUrl}/chat/completions`,
      { method: 'POST', agent: upstream, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        reply.hijack()
        reply.raw.writeHead(res.statusCode ?? 502, { 'content-type': res.headers['content-type'] ?? 'application/json' })
        res.pipe(reply.raw)
      },
    )
    out.on('error', (error) => reply.code(502).send({ error: { message: error.message } }))
    out.end(body)
    return reply
  })
  await proxy.listen({ host: HOST, port: 0 })
  const proxyUrl = `http://${HOST}:${proxy.server.address().port}`

  // The floor: fastify calling the provider plugin's client directly, as the agent runner does (a
  // whole-answer call for a JSON request, SSE for a stream), and answering in OpenAI's shape. No auth,
  // validation, sessions, transcript or runner: what any gateway pays to go through a provider plugin.
  const provider = createOpenAiProvider({ id: 'openai', baseUrl: model.baseUrl, apiKey: () => 'sk-bench', maxRetries: 0 })
  const direct = fastify({ logger: false })
  direct.post('/v1/chat/completions', async (req, reply) => {
    const { messages, stream } = req.body
    const controller = new AbortController()
    const events = provider.stream({ model: 'bench-model', system: '', messages: messages.map((m) => ({ role: m.role, content: m.content })), tools: [], signal: controller.signal, stream })
    const created = Math.floor(Date.now() / 1000)
    if (!stream) {
      let content = ''
      let usage
      for await (const event of events) {
        if (event.type === 'text') content += event.delta
        else if (event.type === 'usage') usage = event.usage
      }
      return {
        id: 'chatcmpl_direct', object: 'chat.completion', created, model: 'openclaw',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: usage?.input ?? 0, completion_tokens: usage?.output ?? 0, total_tokens: (usage?.input ?? 0) + (usage?.output ?? 0) },
      }
    }
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: 'chatcmpl_direct', object: 'chat.completion.chunk', created, model: 'openclaw', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
    // Writes of one tick go out in one syscall, as the gateway's SSE writer does.
    let corked = false
    const write = (text) => {
      if (!corked) {
        corked = true
        res.cork()
        process.nextTick(() => {
          corked = false
          if (!res.writableEnded) res.uncork()
        })
      }
      res.write(text)
    }
    write(chunk({ role: 'assistant' }))
    for await (const event of events) if (event.type === 'text') write(chunk({ content: event.delta }))
    res.end(`${chunk({}, 'stop')}data: [DONE]\n\n`)
  })
  await direct.listen({ host: HOST, port: 0 })
  const directUrl = `http://${HOST}:${direct.server.address().port}`

  // ── run ──────────────────────────────────────────────────────────────────────────────────────────

  const results = []
  let skipped = 0
  try {
    const targets = [['fastify-proxy', proxyUrl], ['fastify+provider', directUrl], ['gateway', gatewayUrl]].filter(([name]) => ONLY === undefined || name === ONLY)
    const modes = [false, true].filter((stream) => MODE === undefined || MODE === (stream ? 'stream' : 'json'))
    for (const stream of modes) {
      for (const { concurrency, rate } of SCENARIOS[stream ? 'stream' : 'json']) {
        for (const [target, url] of targets) {
          if (performance.now() - started + WARMUP_MS + DURATION_MS > BUDGET_MS) {
            skipped++
            continue
          }
          // The main thread runs only the server under test: its busy time per request is that server's CPU cost.
          const before = performance.eventLoopUtilization()
          const { result } = await ask({ type: 'run', scenario: { target, url, stream, concurrency, rate } })
          const busy = performance.eventLoopUtilization(before)
          results.push({ ...result, cpuPerRequest: busy.active / Math.max(1, result.completed) })
        }
      }
    }
  } finally {
    driver.postMessage({ type: 'close' })
    await Promise.allSettled([gateway.stop(), proxy.close(), direct.close()])
    upstream.destroy()
  }

  const ms = (v) => (Number.isNaN(v) ? '—' : v.toFixed(2))
  const rows = results.map((r) => {
    const same = (target) => results.find((b) => b.target === target && b.stream === r.stream && b.concurrency === r.concurrency && b.rate === r.rate)
    const base = same('fastify-proxy')
    const floor = same('fastify+provider')
    return {
      mode: r.stream ? 'stream' : 'json',
      conc: r.rate === undefined ? String(r.concurrency) : `${r.concurrency} @ ${r.rate}/s`,
      target: r.target,
      'req/s': r.rps.toFixed(0),
      'p50 ms': ms(r.p50),
      'p99 ms': ms(r.p99),
      'ttfb p50': r.stream ? ms(r.ttfb50) : '',
      'ttfb p99': r.stream ? ms(r.ttfb99) : '',
      'cpu/req ms': r.cpuPerRequest.toFixed(3),
      'vs proxy': r.target !== 'fastify-proxy' && base ? `${(r.rps / base.rps).toFixed(2)}x` : '',
      'vs provider': r.target === 'gateway' && floor ? `${(r.rps / floor.rps).toFixed(2)}x` : '',
      errors: r.errors,
    }
  })
  console.log(`\nPOST /v1/chat/completions, ${DURATION_MS / 1000} s per scenario, zero-delay scripted model, node ${process.version}`)
  console.table(rows)
  if (skipped > 0) console.log(`${skipped} scenario(s) skipped to stay within the time budget`)
  const find = (target, stream, concurrency, rate) => results.find((r) => r.target === target && r.stream === stream && r.concurrency === concurrency && r.rate === rate)
  const closed = results.filter((r) => r.target === 'gateway' && r.rate === undefined && r.concurrency > 1)
  const ratios = closed.map((r) => r.rps / (find('fastify-proxy', r.stream, r.concurrency, undefined)?.rps ?? NaN)).filter((v) => !Number.isNaN(v))
  const added = [false, true].map((stream) => (find('gateway', stream, OPEN_LOOP.concurrency, OPEN_LOOP.rate)?.p99 ?? NaN) - (find('fastify-proxy', stream, OPEN_LOOP.concurrency, OPEN_LOOP.rate)?.p99 ?? NaN))
  const ttfb = (find('gateway', true, 1, undefined)?.ttfb50 ?? NaN) - (find('fastify-proxy', true, 1, undefined)?.ttfb50 ?? NaN)
  const verdict = (ok) => (Number.isNaN(ok) ? '—' : ok ? 'met' : 'MISSED')
  if (ratios.length > 0) console.log(`target ≥ 0.8x the proxy's throughput (16/64 conns): ${Math.min(...ratios).toFixed(2)}x–${Math.max(...ratios).toFixed(2)}x, ${verdict(Math.min(...ratios) >= 0.8)}`)
  if (!added.every(Number.isNaN)) console.log(`target < 2 ms p99 added at 64 conns (${OPEN_LOOP.rate}/s): json ${ms(added[0])} ms, stream ${ms(added[1])} ms, ${verdict(added.every((v) => v < 2))}`)
  if (!Number.isNaN(ttfb)) console.log(`target first SSE byte within 1 ms of the proxy (1 conn, p50): +${ms(ttfb)} ms, ${verdict(ttfb <= 1)}`)
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`)
  process.exitCode = results.some((r) => r.errors > 0) ? 1 : 0
}
