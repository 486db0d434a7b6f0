import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GATEWAY_TOKEN_FILE } from '@openclaw/plugin-http-server'
import { createScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { captureIo } from '../capture-io.js'
import { runCli } from '../run-cli.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-gateway-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const gateway = (...args: string[]) => ['node', 'openclaw', 'gateway', '--port', '0', '--state-dir', dir, ...args]
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/

describe('openclaw gateway', () => {
  it('should start, say where it listens and what it serves, and stop on SIGTERM with exit 0', async () => {
    const captured = captureIo()
    const running = runCli(gateway(), captured.io)
    const banner = await captured.waitForStdout(LISTENING)
    const url = LISTENING.exec(banner)![1]!

    // 1. the server answers probes
    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ ok: true })

    // 2. the banner lists surfaces, providers and how to get the token, never the token itself
    expect(banner).toMatch(/Surfaces:\n {2}chat completions/)
    expect(banner).toMatch(/\n {2}tools {13}on {3}POST \/tools\/invoke\n/)
    expect(banner).toMatch(/\n {2}rpc {15}on {3}WS \//)
    expect(banner).toMatch(/Providers: .*openai/)
    expect(banner).toContain('\nPlugins:   built-in only (add one with `openclaw plugins install`)\n')
    expect(banner).toContain('\nChannels:  none\n')
    expect(banner).toMatch(/\nTools: {5}\S/)
    expect(banner).toContain('\nSkills:    none\n')
    expect(banner).toContain('openclaw gateway token')
    const token = readFileSync(join(dir, GATEWAY_TOKEN_FILE), 'utf8').trim()
    expect(banner).not.toContain(token)

    // 3. logs are JSON lines on stderr
    const logs = captured.stderr().trim().split('\n').map((line) => JSON.parse(line) as { msg: string })
    expect(logs.map((l) => l.msg)).toContain('gateway started')
    expect(captured.stderr()).not.toContain(token)

    // 4. `gateway token` prints the token the running gateway generated
    const tokenIo = captureIo()
    expect(await runCli(['node', 'openclaw', 'gateway', 'token', '--state-dir', dir], tokenIo.io)).toBe(0)
    expect(tokenIo.stdout()).toBe(`${token}\n`)

    // 5. SIGTERM stops it gracefully
    captured.signal('SIGTERM')
    expect(await running).toBe(0)
    expect(captured.stdout()).toContain('Gateway stopped.')
    expect(captured.exits).toEqual([])
    await expect(fetch(`${url}/healthz`)).rejects.toThrow()
  })

  it('should let an in-flight request finish when SIGTERM arrives', async () => {
    const model = await createScriptedModelServer()
    try {
      model.reply({ text: 'finished after the signal', delayMs: 300 })
      writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({
        gateway: { auth: { token: 'test-token-0123456789' }, http: { endpoints: { chatCompletions: { enabled: true } } } },
        models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k', maxRetries: 0 } } },
        agents: { defaults: { model: 'openai/scripted-model' } },
      }))
      const captured = captureIo()
      const running = runCli(gateway(), captured.io)
      const banner = await captured.waitForStdout(LISTENING)
      expect(banner).toMatch(/chat completions {2}on {3}POST \/v1\/chat\/completions/)
      const url = LISTENING.exec(banner)![1]!

      // 1. a request reaches the model, 2. SIGTERM, 3. the request still completes, 4. exit 0
      const response = fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-token-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openclaw', messages: [{ role: 'user', content: 'hi' }] }),
      })
      await vi.waitFor(() => expect(model.inFlight).toBe(1))
      captured.signal('SIGTERM')
      const answered = await response
      expect(answered.status).toBe(200)
      expect(JSON.stringify(await answered.json())).toContain('finished after the signal')
      expect(await running).toBe(0)
    } finally {
      await model.close()
    }
  })

  it('should force exit 1 on a second signal while stopping', async () => {
    const captured = captureIo()
    const running = runCli(gateway(), captured.io)
    await captured.waitForStdout(LISTENING)
    captured.signal('SIGINT')
    captured.signal('SIGINT')
    expect(captured.exits).toEqual([1])
    expect(captured.stderr()).toContain('received SIGINT again while stopping')
    expect(await running).toBe(0)
  })

  it('should exit 1 naming the cause when the port is taken', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const captured = captureIo()
      expect(await runCli(['node', 'openclaw', 'gateway', '--port', String(port), '--state-dir', dir], captured.io)).toBe(1)
      expect(captured.stderr()).toMatch(/error \[CLI_ERR_HTTP_SERVER_FAILED\]: .*\[HTTP_ERR_PORT_IN_USE\]/)
      expect(captured.stdout()).toBe('')
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })

  it('should exit 78 when asked to bind beyond loopback without auth', async () => {
    writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { mode: 'none' } } }))
    const captured = captureIo()
    expect(await runCli(gateway('--bind', 'lan'), captured.io)).toBe(78)
    expect(captured.stderr()).toContain('[HTTP_ERR_AUTH_REQUIRED]')
  })

  it('should list a surface whose plugin failed to start as failed, not on', async () => {
    // hooks enabled without a token: http:hooks fails its start, its routes stay registered and answer 503.
    writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({ hooks: { enabled: true } }))
    const captured = captureIo()
    const running = runCli(gateway(), captured.io)
    const banner = await captured.waitForStdout(LISTENING)
    const url = LISTENING.exec(banner)![1]!
    expect(banner).toMatch(/\n {2}hooks {13}failed {2}POST \/hooks\/wake, POST \/hooks\/agent answer 503 \(http:hooks failed: see below\)\n/)
    expect(banner).not.toMatch(/hooks +on/)
    expect(banner).toMatch(/\n {2}tools {13}on {3}POST \/tools\/invoke\n/)
    expect(banner).toContain('Failed plugins (the gateway runs without them):\n  http:hooks: [CORE_ERR_PLUGIN_START_FAILED]')
    expect((await fetch(`${url}/hooks/wake`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(503)
    captured.signal('SIGTERM')
    expect(await running).toBe(0)
  })

  it('should exit 78 when OPENCLAW_CONFIG_PATH names a missing file, instead of starting on defaults', async () => {
    const missing = join(dir, 'missing.json')
    const captured = captureIo({ OPENCLAW_CONFIG_PATH: missing })
    expect(await runCli(gateway(), captured.io)).toBe(78)
    expect(captured.stderr()).toContain(`error [CORE_ERR_CONFIG_NOT_FOUND]: Config file '${missing}' does not exist`)
    expect(captured.stdout()).toBe('')
  })

  it('should exit 78 on an invalid config file, listing every bad path', async () => {
    writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({ gateway: { port: 'x' }, nope: 1 }))
    const captured = captureIo()
    expect(await runCli(gateway(), captured.io)).toBe(78)
    expect(captured.stderr()).toMatch(/^error \[CORE_ERR_CONFIG_INVALID\]: Invalid config:/)
    expect(captured.stderr()).toContain("unknown key 'nope'")
    expect(captured.stderr()).not.toMatch(/\n\s+at /)
  })

  it('should take the port from OPENCLAW_GATEWAY_PORT, and refuse a bad one with 78', async () => {
    const free: Server = createServer()
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve))
    const port = (free.address() as { port: number }).port
    await new Promise((resolve) => free.close(resolve))
    writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({ gateway: { port: 1 } }))
    const good = captureIo({ OPENCLAW_GATEWAY_PORT: String(port) })
    const running = runCli(['node', 'openclaw', 'gateway', '--state-dir', dir], good.io)
    await good.waitForStdout(`listening on http://127.0.0.1:${port}\n`)
    good.signal('SIGTERM')
    expect(await running).toBe(0)

    const bad = captureIo({ OPENCLAW_GATEWAY_PORT: 'eighty' })
    expect(await runCli(['node', 'openclaw', 'gateway', '--state-dir', dir], bad.io)).toBe(78)
    expect(bad.stderr()).toContain('error [CLI_ERR_PORT_ENV_INVALID]')
  })
})
