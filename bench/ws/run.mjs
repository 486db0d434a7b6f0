#!/usr/bin/env node
// WebSocket RPC benchmark: the `rpc` plugin (protocol v4 over the gateway's HTTP server) beside a bare
// `ws` echo server, in the same run, on 127.0.0.1 only. Needs built packages: `pnpm build` first.
//
//   node bench/ws/run.mjs            # full run, about 55 s (never more than 90 s)
//   node bench/ws/run.mjs --quick    # shorter phases, for a smoke test
//
// The servers run in this process; the load generator runs in a child process (this same file with
// `--client`), so client work neither runs on the servers' event loop nor counts in their CPU time.
// See bench/ws/README.md.
import { createRequire } from 'node:module'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { fork } from 'node:child_process'

const root = new URL('../../', import.meta.url)
const require = createRequire(new URL('plugins/rpc/package.json', root))
const { WebSocket, WebSocketServer } = require('ws')

const TOKEN = 'bench-token'
const HEALTH_FRAME = '{"type":"req","id":"1","method":"health","params":{}}'
const QUICK = process.argv.includes('--quick')
/** `--only=rtt|fanout|memory` runs one phase; `--connections=64,512` picks the round-trip sizes. */
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice(7)
const CONNECTIONS_ARG = process.argv.find((a) => a.startsWith('--connections='))?.slice(14)
const RTT_MS = QUICK ? 600 : 1500
const WARMUP_MS = QUICK ? 200 : 300
/** Rounds per measure, alternating which server goes first; the median is reported (loopback benches are noisy). */
const ROUNDS = QUICK ? 1 : 3
const RTT_CONNECTIONS = CONNECTIONS_ARG ? CONNECTIONS_ARG.split(',').map(Number) : [1, 64, 512]
const FANOUT_SUBSCRIBERS = 1000
const FANOUT_EVENTS = QUICK ? 50 : 200
const IDLE_CONNECTIONS = 1000
/** The whole run gives up after this long, whatever happens. */
const HARD_LIMIT_MS = 90_000

// ── load generator (child process) ───────────────────────────────────────────────────────────────

/** Open a socket; with `handshake`, complete the v4 handshake with the bench token. */
function openClient(url, handshake) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false })
    ws.once('error', reject)
    if (!handshake) return ws.once('open', () => resolve(ws))
    ws.once('message', () => {
      ws.once('message', (data) => {
        const res = JSON.parse(data.toString())
        if (res.ok) resolve(ws)
        else reject(new Error(`connect refused: ${res.error?.code}`))
      })
      ws.send(JSON.stringify({
        type: 'req', id: 'c', method: 'connect',
        params: { minProtocol: 4, maxProtocol: 4, client: { id: 'bench', version: '1.0.0', mode: 'test' }, auth: { token: TOKEN } },
      }))
    })
  })
}

async function openMany(url, count, handshake) {
  const sockets = []
  // In waves, so the accept queue is never the bottleneck being measured.
  for (let i = 0; i < count; i += 100) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => openClient(url, handshake)))))
  }
  return sockets
}

/** Closed loop: each socket keeps one request in flight; count answers during `durationMs` after a warm-up. */
async function roundTrips({ url, connections, handshake, durationMs, warmupMs }) {
  const sockets = await openMany(url, connections, handshake)
  let counting = false
  let stop = false
  let answers = 0
  for (const ws of sockets) {
    ws.on('message', (data) => {
      JSON.parse(data.toString())
      if (counting) answers++
      if (!stop) ws.send(HEALTH_FRAME)
    })
    ws.send(HEALTH_FRAME)
  }
  await new Promise((resolve) => setTimeout(resolve, warmupMs))
  counting = true
  process.send({ type: 'mark', name: 'start' })
  const started = performance.now()
  await new Promise((resolve) => setTimeout(resolve, durationMs))
  const elapsed = performance.now() - started
  counting = false
  process.send({ type: 'mark', name: 'end' })
  stop = true
  await closeAll(sockets)
  return { reqPerSec: (answers / elapsed) * 1000, answers }
}

async function closeAll(sockets) {
  await Promise.all(sockets.map((ws) => new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve()
    ws.once('close', resolve)
    ws.terminate()
  })))
}

let held = []

const handlers = {
  roundTrips,

  /** Open idle sockets and keep them (for the memory measurement). */
  async hold({ url, connections, handshake }) {
    held = await openMany(url, connections, handshake)
    return { open: held.length }
  },

  async release() {
    await closeAll(held)
    held = []
    return {}
  },

  /**
   * Fan-out: `subscribers` sockets wait for `expected` frames each after `trigger`. For the gateway the
   * trigger is `agent` with one shared idempotency key (so all join one run), and the main thread opens
   * the model's gate once every ack is in; for the echo server it is one `{"fanout":n}` frame.
   */
  async fanOut({ url, subscribers, handshake, expected, mode, key }) {
    if (mode === 'rpc') expected = Infinity
    const sockets = await openMany(url, subscribers, handshake)
    let acked = 0
    let done = 0
    let frames = 0
    let allAcked
    const acks = new Promise((resolve) => { allAcked = resolve })
    let finished
    const allDone = new Promise((resolve) => { finished = resolve })
    for (const ws of sockets) {
        let seen = 0
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString())
        if (mode === 'rpc' && frame.type === 'res' && (frame.payload?.status === 'accepted' || frame.payload?.status === 'in_flight')) {
          if (++acked === sockets.length) allAcked()
          return
        }
        frames++
        // The gateway's last frame for a subscriber is the run's final `res`; joiners may miss the lifecycle start.
        const last = mode === 'rpc' ? frame.type === 'res' : ++seen === expected
        if (last && ++done === sockets.length) finished()
      })
    }
    let started
    if (mode === 'rpc') {
      for (const ws of sockets) ws.send(JSON.stringify({ type: 'req', id: 'a', method: 'agent', params: { message: 'fan out', idempotencyKey: key } }))
      await acks
      process.send({ type: 'gate' })
      started = performance.now()
    } else {
      started = performance.now()
      sockets[0].send(JSON.stringify({ fanout: expected }))
    }
    await allDone
    const elapsed = performance.now() - started
    await closeAll(sockets)
    return { framesPerSec: (frames / elapsed) * 1000, elapsedMs: elapsed }
  },
}

if (process.argv.includes('--client')) {
  process.on('message', async ({ id, cmd, args }) => {
    try {
      process.send({ id, ok: true, value: await handlers[cmd](args) })
    } catch (err) {
      process.send({ id, ok: false, error: String(err?.stack ?? err) })
    }
  })
  // The parent going away ends the client too.
  process.on('disconnect', () => process.exit(0))
} else {
  await main()
}

// ── servers and report (main process) ─────────────────────────────────────────────────────────────

async function main() {
  const hardStop = setTimeout(() => {
    console.error(`bench: gave up after ${HARD_LIMIT_MS / 1000} s`)
    process.exit(2)
  }, HARD_LIMIT_MS)
  hardStop.unref()
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc')

  const dist = (path) => import(new URL(path, root).href)
  const [{ Tokens }, { createTestGateway }, { default: httpServer }, { default: rpc }] = await Promise.all([
    dist('packages/plugin-sdk/dist/index.js'),
    dist('packages/plugin-sdk/dist/testing/index.js'),
    dist('plugins/http-server/dist/index.js'),
    dist('plugins/rpc/dist/index.js'),
  ])

  // A model provider with a gate: the fan-out run streams its deltas once every subscriber has joined.
  let openGate = () => {}
  const bench = {
    id: 'bench:provider',
    version: '1.0.0',
    register(api) {
      api.providers.register({
        id: 'bench',
        models: ['gated'],
        async *stream() {
          await new Promise((resolve) => { openGate = resolve })
          for (let i = 0; i < FANOUT_EVENTS - 2; i++) yield { type: 'text', delta: `w${i} ` }
          yield { type: 'finish', reason: 'stop' }
        },
      })
    },
  }

  const gateway = await createTestGateway({
    realClock: true,
    config: {
      gateway: { port: 0, auth: { mode: 'token', token: TOKEN }, rpc: { maxConnectionsPerIp: 4096, maxBufferedBytes: 64 * 1024 * 1024 } },
      agents: { defaults: { model: 'bench/gated' } },
      logging: { level: 'silent' },
    },
    plugins: [httpServer, rpc, bench],
  })
  const gatewayUrl = `${gateway.services.resolve(Tokens.HttpServer).url.replace(/^http/, 'ws')}/`

  // The baseline: a bare `ws` server that echoes every frame; `{"fanout":n}` sends n events to every socket.
  const echo = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: true })
  await new Promise((resolve) => echo.once('listening', resolve))
  const fanoutEvent = JSON.stringify({ type: 'event', event: 'agent', payload: { runId: 'bench', seq: 1, stream: 'assistant', ts: Date.now(), data: { text: 'x'.repeat(200), delta: 'w ' } }, seq: 1 })
  echo.on('connection', (ws) => {
    ws.on('message', (data) => {
      if (data.length < 32 && data.toString().startsWith('{"fanout"')) {
        const n = JSON.parse(data.toString()).fanout
        for (let i = 0; i < n; i++) for (const peer of echo.clients) peer.send(fanoutEvent)
        return
      }
      ws.send(data, { binary: false })
    })
  })
  const echoUrl = `ws://127.0.0.1:${echo.address().port}/`

  const client = fork(new URL(import.meta.url), ['--client'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  let nextId = 0
  const pending = new Map()
  // The server process's CPU time (user + system) between the client's marks: what each request costs
  // the server, which other load on the machine disturbs much less than the throughput does.
  const marks = {}
  client.on('message', (message) => {
    if (message.type === 'gate') return openGate()
    if (message.type === 'mark') return void (marks[message.name] = process.cpuUsage())
    const waiter = pending.get(message.id)
    pending.delete(message.id)
    if (message.ok) waiter.resolve(message.value)
    else waiter.reject(new Error(message.error))
  })
  const call = (cmd, args = {}) => new Promise((resolve, reject) => {
    const id = ++nextId
    pending.set(id, { resolve, reject })
    client.send({ id, cmd, args })
  })

  const rows = []
  const row = (what, rpcValue, echoValue, unit, target) => {
    rows.push({ what, rpcValue, echoValue, unit, target })
    process.stderr.write(`  ${what}: rpc ${fmt(rpcValue)} ${unit}, echo ${fmt(echoValue)} ${unit}\n`)
  }

  /** Run `measure` for both servers `rounds` times, alternating which goes first; medians. */
  const compare = async (rounds, measure) => {
    const ours = []
    const bare = []
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        bare.push(await measure('echo', round))
        ours.push(await measure('rpc', round))
      } else {
        ours.push(await measure('rpc', round))
        bare.push(await measure('echo', round))
      }
    }
    return { ours: median(ours), bare: median(bare) }
  }

  if (!ONLY || ONLY === 'rtt') process.stderr.write('bench: round trips (health vs echo)…\n')
  for (const connections of !ONLY || ONLY === 'rtt' ? RTT_CONNECTIONS : []) {
    const base = { connections, durationMs: RTT_MS, warmupMs: WARMUP_MS }
    const busy = { rpc: [], echo: [] }
    const { ours, bare } = await compare(ROUNDS, async (server) => {
      const result = await call('roundTrips', server === 'rpc' ? { ...base, url: gatewayUrl, handshake: true } : { ...base, url: echoUrl, handshake: false })
      const cpuMicros = marks.end.user + marks.end.system - marks.start.user - marks.start.system
      busy[server].push(cpuMicros / result.answers)
      return result.reqPerSec
    })
    row(`health round trips, ${connections} conn`, ours, bare, 'req/s', '≥ 0.7× echo')
    row(`  server CPU per request, ${connections} conn`, median(busy.rpc), median(busy.echo), 'µs', '(lower is better)')
  }

  if (!ONLY || ONLY === 'fanout') {
    process.stderr.write(`bench: fan-out to ${FANOUT_SUBSCRIBERS} subscribers…\n`)
    // Per gateway subscriber: FANOUT_EVENTS - 2 assistant deltas, lifecycle events, and the final res.
    const { ours, bare } = await compare(QUICK ? 1 : 2, async (server, round) =>
      (await call('fanOut', server === 'rpc'
        ? { url: gatewayUrl, subscribers: FANOUT_SUBSCRIBERS, handshake: true, mode: 'rpc', key: `fanout-${round}` }
        : { url: echoUrl, subscribers: FANOUT_SUBSCRIBERS, handshake: false, expected: FANOUT_EVENTS, mode: 'echo' })).framesPerSec)
    row(`agent event fan-out, ${FANOUT_SUBSCRIBERS} subscribers`, ours, bare, 'frames/s', '(reference)')
  }

  if (!ONLY || ONLY === 'memory') process.stderr.write(`bench: memory of ${IDLE_CONNECTIONS} idle connections…\n`)
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      gc()
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const perConnection = async (url, handshake) => {
    // A first round warms up code and caches, so the measured round sees only per-connection state.
    await call('hold', { url, connections: IDLE_CONNECTIONS, handshake })
    await call('release')
    await settle()
    const before = process.memoryUsage()
    await call('hold', { url, connections: IDLE_CONNECTIONS, handshake })
    await settle()
    const after = process.memoryUsage()
    await call('release')
    return (after.heapUsed + after.external - before.heapUsed - before.external) / IDLE_CONNECTIONS / 1024
  }
  if (!ONLY || ONLY === 'memory') {
    const ours = await perConnection(gatewayUrl, true)
    const bare = await perConnection(echoUrl, false)
    row(`memory per idle connection (server heap + external), ${IDLE_CONNECTIONS} conn`, ours, bare, 'KiB', '< 50 KiB')
  }

  client.kill()
  echo.close()
  await gateway.stop()
  printTable(rows)
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function fmt(value) {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)
}

function printTable(rows) {
  const lines = [['measure', 'rpc plugin', 'bare ws echo', 'rpc / echo', 'target']]
  for (const r of rows) lines.push([r.what, `${fmt(r.rpcValue)} ${r.unit}`, `${fmt(r.echoValue)} ${r.unit}`, `${(r.rpcValue / r.echoValue).toFixed(2)}×`, r.target])
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)))
  const out = lines.map((l) => `| ${l.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`)
  out.splice(1, 0, `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  console.log(out.join('\n'))
}
