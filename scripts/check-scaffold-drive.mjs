#!/usr/bin/env node
// Step 8 of scripts/check-scaffold.sh: a running `openclaw gateway` uses the installed plugin.
// Run from the folder where the packed @openclaw/* packages are installed (it imports their test kit).
// Usage: node check-scaffold-drive.mjs <kind> <openclaw bin> <state dir> <short name>
import { spawn, execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createScriptedModelServer } from '@openclaw/plugin-sdk/testing'

const [kind, bin, stateDir, short] = process.argv.slice(2)
const TOKEN = 'check-scaffold-token-0123456789abcdef'
const cleanup = []

function fail(message) {
  throw new Error(`${kind}: ${message}`)
}

/** A tiny JSON server on 127.0.0.1 that records requests and answers with `answer(req, body)`. */
async function fakeServer(answer) {
  const requests = []
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => (raw += c))
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined
      requests.push({ path: req.url, body })
      const [status, reply] = answer(req, body)
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanup.push(() => new Promise((resolve) => server.close(resolve)))
  return { url: `http://127.0.0.1:${server.address().port}`, requests }
}

async function until(what, check, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) fail(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Start `openclaw gateway --port 0` with this config; resolves with its URL and banner. */
async function startGateway(config) {
  writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { mode: 'token', token: TOKEN } }, logging: { level: 'warn' }, ...config }, null, 2))
  const child = spawn(process.execPath, [bin, 'gateway', '--port', '0', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENCLAW_CONFIG_PATH: '' } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c) => (stdout += c))
  child.stderr.on('data', (c) => (stderr += c))
  cleanup.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  })
  await until('the gateway banner', () => stdout.includes('Press Ctrl+C') || child.exitCode !== null, 30_000)
  if (child.exitCode !== null) fail(`the gateway exited ${child.exitCode}:\n${stdout}\n${stderr}`)
  const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1]
  return { url, banner: stdout }
}

const post = (url, body, headers = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers }, body: JSON.stringify(body) })

function expectBanner(banner, label, value) {
  const line = banner.split('\n').find((l) => l.startsWith(`${label}:`))
  if (!line?.includes(value)) fail(`the banner's ${label} line does not list ${value}:\n${banner}`)
}

async function main() {
  const pluginId = `${kind}:${short}`
  if (kind === 'tool') {
    const { url, banner } = await startGateway({})
    expectBanner(banner, 'Plugins', pluginId)
    expectBanner(banner, 'Tools', 'greet')
    const response = await post(`${url}/tools/invoke`, { tool: 'greet', args: { name: 'Ada' } })
    const body = await response.json()
    if (response.status !== 200 || !JSON.stringify(body).includes('Hello, Ada!')) fail(`/tools/invoke answered ${response.status} ${JSON.stringify(body)}`)
    return 'POST /tools/invoke greet → "Hello, Ada!"'
  }
  if (kind === 'provider') {
    const api = await fakeServer((_req, body) => [200, { text: `simple API says hi to ${body.messages.at(-1).content}`, usage: { input: 3, output: 5 } }])
    const { url, banner } = await startGateway({
      models: { providers: { [short]: { baseUrl: `${api.url}/v1` } } },
      agents: { defaults: { model: `${short}/simple-model` } },
      gateway: { auth: { mode: 'token', token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } },
    })
    expectBanner(banner, 'Providers', short)
    const response = await post(`${url}/v1/chat/completions`, { model: 'openclaw', messages: [{ role: 'user', content: 'Ada' }] })
    const body = await response.json()
    const text = body.choices?.[0]?.message?.content
    if (response.status !== 200 || text !== 'simple API says hi to Ada') fail(`/v1/chat/completions answered ${response.status} ${JSON.stringify(body)}`)
    if (api.requests[0]?.path !== '/v1/generate') fail(`the fake API saw ${JSON.stringify(api.requests)}`)
    return `POST /v1/chat/completions → "${text}" (from the fake API)`
  }
  const model = await createScriptedModelServer()
  cleanup.push(() => model.close())
  const viaOpenAi = { models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'check' } } }, agents: { defaults: { model: 'openai/scripted-model' } } }
  if (kind === 'channel') {
    const platform = await fakeServer(() => [200, { messageId: 'm1' }])
    model.reply({ text: 'pong from the agent' })
    const { url, banner } = await startGateway({ ...viaOpenAi, channels: { [short]: { upstreamUrl: platform.url } } })
    expectBanner(banner, 'Channels', short)
    const response = await post(`${url}/channels/${short}/inbound`, { id: 'check-1', chat: 'chat-1', text: 'ping' })
    if (response.status !== 202) fail(`the inbound route answered ${response.status} ${await response.text()}`)
    const sent = await until('the reply at the fake platform', () => platform.requests.find((r) => r.path === '/send'))
    if (sent.body.chat !== 'chat-1' || sent.body.text !== 'pong from the agent') fail(`the platform got ${JSON.stringify(sent.body)}`)
    return `POST /channels/${short}/inbound → the fake platform got "${sent.body.text}" for chat-1`
  }
  if (kind === 'skill') {
    const listed = JSON.parse(execFileSync(process.execPath, [bin, 'skills', 'list', '--json', '--state-dir', stateDir], { env: { ...process.env, OPENCLAW_CONFIG_PATH: '' } }).toString())
    if (!listed.some((s) => s.slug === short && s.tools.includes('lookup_word'))) fail(`skills list: ${JSON.stringify(listed)}`)
    model.reply({ text: 'A gateway sits between clients and services.' })
    const { url, banner } = await startGateway({ ...viaOpenAi, gateway: { auth: { mode: 'token', token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } } })
    expectBanner(banner, 'Skills', short)
    const response = await post(`${url}/v1/chat/completions`, { model: 'openclaw', messages: [{ role: 'user', content: `@${short} what is a gateway?` }] })
    if (response.status !== 200) fail(`/v1/chat/completions answered ${response.status} ${await response.text()}`)
    const request = model.requests.find((r) => r.path.endsWith('/chat/completions'))
    const system = request?.body.messages.find((m) => m.role === 'system')?.content ?? ''
    if (!system.includes(`@${short}`) || !system.includes('call lookup_word')) fail(`the model's system prompt lacks the skill:\n${system}`)
    if (!request.body.tools?.some((t) => t.function.name === 'lookup_word')) fail('the model was not offered lookup_word')
    return `skills list has ${short}; the model's prompt has @${short} and its tool lookup_word`
  }
  fail('unknown kind')
}

try {
  console.log(`  ${kind}: ${await main()}`)
} finally {
  for (const step of cleanup.reverse()) await step()
}
