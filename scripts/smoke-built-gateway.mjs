// The README's run command, checked on the BUILT binary (`packages/cli/dist/bin.js gateway`): the
// tests run the CLI from its TypeScript sources, so a bundling mistake (a native module or a worker
// file the bundle cannot find) passes them and breaks only what users run. CI runs this after
// `pnpm build`: the gateway starts on embedded defaults in a fresh state dir, answers /readyz,
// indexes and searches memory (its worker thread), answers a Telegram DM through grammY (against the
// test kit's fake Bot API server and scripted model server, through a forward proxy: `proxy` loads the
// proxy agents the bundle leaves external), logs no error, and stops cleanly on SIGTERM.
// Run: pnpm build && node scripts/smoke-built-gateway.mjs
import { spawn } from 'node:child_process'
import { createServer, request } from 'node:http'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const bin = join(root, 'packages/cli/dist/bin.js')
const stateDir = mkdtempSync(join(tmpdir(), 'openclaw-smoke-'))
mkdirSync(join(stateDir, 'workspace'), { recursive: true })
writeFileSync(join(stateDir, 'workspace', 'MEMORY.md'), '# Smoke\n\nThe staging database is called bramblewood.\n')
const { createScriptedModelServer, startFakeTelegram } = await import(pathToFileURL(join(root, 'packages/plugin-sdk/dist/testing/index.js')).href)
const model = await createScriptedModelServer({ defaultText: 'Hello from the built gateway.' })
const telegram = await startFakeTelegram()
// A forward proxy for the fake's plain http (`channels.telegram.proxy`): it counts what it forwarded.
let proxied = 0
const proxy = createServer((req, res) => {
  proxied++
  const upstream = request(req.url, { method: req.method, headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'proxy-connection')) }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(res)
  })
  upstream.on('error', () => res.headersSent ? res.end() : res.writeHead(502).end())
  req.pipe(upstream)
})
await new Promise((r) => proxy.listen(0, '127.0.0.1', r))
writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify({
  models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'smoke' } } },
  agents: { defaults: { model: 'openai/scripted-model' } },
  channels: { telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, proxy: `http://127.0.0.1:${proxy.address().port}`, dmPolicy: 'open', allowFrom: ['*'], polling: { timeoutSeconds: 1, stallGraceMs: 1000 } } },
}))

const started = Date.now()
const child = spawn(process.execPath, [bin, 'gateway', '--port', '0', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENCLAW_GATEWAY_TOKEN: '' } })
let output = ''
child.stdout.on('data', (d) => (output += d))
child.stderr.on('data', (d) => (output += d))
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))

async function closeServers() {
  proxy.closeAllConnections()
  proxy.close()
  await telegram.close()
  await model.close()
}

async function fail(message) {
  console.error(`smoke: FAILED: ${message}\n--- gateway output ---\n${output.slice(-6000)}`)
  child.kill('SIGKILL')
  await closeServers()
  rmSync(stateDir, { recursive: true, force: true })
  process.exit(1)
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) await fail(`${what} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const url = await until('the gateway to say where it listens', () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1], 30_000)
console.log(`smoke: listening on ${url} after ${Date.now() - started} ms`)
const ready = await fetch(`${url}/readyz`)
if (ready.status !== 200) await fail(`/readyz answered ${ready.status}`)
const token = readFileSync(join(stateDir, 'gateway.token'), 'utf8').trim()
const hit = await until('memory_search to find the MEMORY.md line', async () => {
  const res = await fetch(`${url}/tools/invoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'memory_search', args: { query: 'bramblewood' } }),
  })
  const body = await res.json()
  if (res.status !== 200) await fail(`/tools/invoke memory_search answered ${res.status} ${JSON.stringify(body)}`)
  return JSON.stringify(body.result?.details ?? {}).includes('bramblewood') ? body : undefined
}, 20_000)
console.log(`smoke: memory_search found it (${hit.result.details.results?.length ?? '?'} result(s))`)
const ada = telegram.user({ firstName: 'Ada' })
telegram.sendDm(ada, 'hi there')
const [reply] = await until('a Telegram reply to a DM', () => telegram.messagesTo(ada.id)[0] && telegram.messagesTo(ada.id), 20_000)
if (!reply.plainText.includes('Hello from the built gateway.')) await fail(`the Telegram reply was ${JSON.stringify(reply.plainText)}`)
if (proxied === 0) await fail('the Telegram calls did not go through channels.telegram.proxy')
console.log(`smoke: Telegram DM answered through the proxy (${proxied} requests): ${JSON.stringify(reply.plainText)}`)

child.kill('SIGTERM')
const { code, signal } = await Promise.race([exited, new Promise((r) => setTimeout(() => r({ code: 'timeout' }), 15_000))])
if (code !== 0) await fail(`SIGTERM: exit ${code}${signal ? ` (${signal})` : ''}`)
const bad = output.split('\n').filter((line) => /"level":(50|60)/.test(line) || /Cannot find module|is not defined/.test(line))
if (bad.length > 0) await fail(`the log has errors:\n${bad.join('\n')}`)
await closeServers()
rmSync(stateDir, { recursive: true, force: true })
console.log(`smoke: stopped cleanly; ${Date.now() - started} ms in all`)
