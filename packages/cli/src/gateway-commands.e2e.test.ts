import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScriptedModelServer, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { captureIo } from './capture-io.js'
import { runCli } from './run-cli.js'
import { freePort, spawnGateway, type SpawnedGateway } from './spawn-gateway.js'

// The gateway-backed commands against a REAL gateway: `openclaw gateway` in a child process (its
// default plugins, plus an on-disk `channel:file` plugin from plugins.load.paths), the model a
// scripted server in this process. The commands run in-process with runCli.

const TOKEN = 'e2e-gateway-token-0123456789'

let dir: string
let outbox: string
let model: ScriptedModelServer
let gateway: SpawnedGateway | undefined
let url: string
/** Serves the media that `message send --media` names: the gateway fetches it before the channel gets it. */
let mediaServer: HttpServer
let mediaBase: string
const REPORT_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 2)])

/** A channel plugin folder that appends every message it is asked to send to `out`, one JSON line each. */
function writeFileChannelPlugin(pluginDir: string, out: string): void {
  mkdirSync(pluginDir, { recursive: true })
  writeFileSync(join(pluginDir, 'openclaw.plugin.json'), JSON.stringify({ id: 'channel:file', version: '1.0.0', kind: 'channel', entry: 'index.mjs' }))
  writeFileSync(
    join(pluginDir, 'index.mjs'),
    `import { appendFileSync } from 'node:fs'
let sent = 0
export default {
  id: 'channel:file',
  version: '1.0.0',
  kind: 'channel',
  register(api) {
    api.channels.register({
      id: 'file',
      label: 'File channel (test)',
      capabilities: { media: { kinds: ['image', 'file'], maxBytes: 1048576 }, buttons: true, cards: true },
      async send(message) {
        appendFileSync(${JSON.stringify(out)}, JSON.stringify(message) + '\\n')
        return { messageId: 'file-' + ++sent }
      },
    })
  },
}
`,
  )
}

beforeAll(async () => {
  model = await createScriptedModelServer()
  mediaServer = createHttpServer((_req, res) => res.end(REPORT_PNG))
  await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', () => resolve()))
  mediaBase = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}`
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-rpc-e2e-'))
  outbox = join(dir, 'outbox.jsonl')
  writeFileChannelPlugin(join(dir, 'channel-file'), outbox)
  const configPath = join(dir, 'openclaw.json')
  writeFileSync(configPath, JSON.stringify({
    gateway: { auth: { token: TOKEN } },
    models: {
      providers: {
        openai: { baseUrl: model.baseUrl, apiKey: 'test-key', maxRetries: 0, models: ['scripted-model'] },
        ollama: { baseUrl: model.baseUrl, apiKey: 'ollama', api: 'openai-completions', models: [{ id: 'llama3.2', name: 'Llama 3.2', contextWindow: 128000 }] },
      },
    },
    agents: { defaults: { model: 'openai/scripted-model' } },
    delivery: { media: { allowedHostnames: ['127.0.0.1'] } },
    plugins: { load: { paths: [join(dir, 'channel-file')] } },
  }))

  gateway = await spawnGateway({ stateDir: dir, configPath, timeoutMs: 25_000 })
  url = gateway.url
}, 30_000)

afterAll(async () => {
  await gateway?.kill('SIGTERM')
  await model?.close()
  await new Promise<void>((resolve) => (mediaServer ? mediaServer.close(() => resolve()) : resolve()))
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const modelCalls = () => model.requests.filter((r) => r.path === '/v1/chat/completions').length
const cli = (...args: string[]) => ['node', 'openclaw', ...args]
/** argv for a gateway-backed command, pointed at the spawned gateway with the right token. */
const remote = (...args: string[]) => cli(...args, '--url', url, '--token', TOKEN)

describe('gateway-backed commands against a running gateway', () => {
  it('health: prints ok and exits 0', async () => {
    const { io, stdout, stderr } = captureIo()
    expect(await runCli(remote('health'), io)).toBe(0)
    expect(stderr()).toBe('')
    expect(stdout()).toMatch(new RegExp(`^ok: gateway \\d+\\.\\d+\\.\\d+ at ${url}, up \\d+`))
  })

  it('health --json / status: the answers as JSON, and a summary naming the loaded channel plugin', async () => {
    const json = captureIo()
    expect(await runCli(remote('health', '--json'), json.io)).toBe(0)
    expect(JSON.parse(json.stdout())).toMatchObject({ ok: true, uptimeMs: expect.any(Number) })

    const status = captureIo()
    expect(await runCli(remote('status'), status.io)).toBe(0)
    expect(status.stdout()).toContain(`at ${url}: ok`)
    expect(status.stdout()).toMatch(/\n {2}channels {2}file\n/)
    expect(status.stdout()).toMatch(/\n {2}channel:file +started +1\.0\.0\n/)
  })

  it('connects with OPENCLAW_GATEWAY_URL and OPENCLAW_GATEWAY_TOKEN, and with the config file and OPENCLAW_GATEWAY_PORT', async () => {
    const fromEnv = captureIo({ OPENCLAW_GATEWAY_URL: url, OPENCLAW_GATEWAY_TOKEN: TOKEN })
    expect(await runCli(cli('health'), fromEnv.io)).toBe(0)

    // the token from gateway.auth.token in the gateway's own config file
    const fromConfig = captureIo({ OPENCLAW_GATEWAY_PORT: new URL(url).port })
    expect(await runCli(cli('health', '--config', join(dir, 'openclaw.json'), '--state-dir', dir), fromConfig.io)).toBe(0)
    expect(fromConfig.stdout()).toMatch(/^ok: /)
  })

  it('gateway call health: prints the payload as JSON', async () => {
    const { io, stdout } = captureIo()
    expect(await runCli(remote('gateway', 'call', 'health', '--params', '{"probe":true}'), io)).toBe(0)
    expect(JSON.parse(stdout())).toMatchObject({ ok: true, channels: [{ id: 'file' }], agents: [{ id: 'main' }] })
  })

  it('gateway call: bad --params JSON exits 2; an RPC error answer exits 1 with its code', async () => {
    const bad = captureIo()
    expect(await runCli(remote('gateway', 'call', 'health', '--params', '{nope'), bad.io)).toBe(2)
    expect(bad.stderr()).toContain("option '--params <json>' argument '{nope' is invalid. expected JSON")

    const unknown = captureIo()
    expect(await runCli(remote('gateway', 'call', 'no.such.method'), unknown.io)).toBe(1)
    expect(unknown.stderr()).toBe('error [INVALID_REQUEST]: unknown method: no.such.method (RPC_ERR_METHOD_UNKNOWN)\n')

    const invalid = captureIo()
    expect(await runCli(remote('gateway', 'call', 'health', '--params', '{"bogus":1}'), invalid.io)).toBe(1)
    expect(invalid.stderr()).toMatch(/^error \[INVALID_REQUEST\]: invalid params for 'health': .*bogus.* \(RPC_ERR_INVALID_PARAMS\)\n$/)
  })

  it('agent --json: prints the final answer with the scripted reply, after one model call', async () => {
    model.reply({ text: 'Hello through the gateway' })
    const before = modelCalls()
    const { io, stdout, stderr } = captureIo()
    expect(await runCli(remote('agent', '-m', 'hi', '--session-id', 'e2e-json', '--json'), io)).toBe(0)
    expect(stderr()).toBe('')
    expect(JSON.parse(stdout())).toMatchObject({
      status: 'ok',
      summary: 'completed',
      sessionKey: 'agent:main:e2e-json',
      result: { payloads: [{ text: 'Hello through the gateway' }], meta: { agentMeta: { model: 'openai/scripted-model' } } },
    })
    expect(modelCalls() - before).toBe(1)
  })

  it('agent: streams the reply to stdout as agent events arrive', async () => {
    model.reply({ text: 'one two three four', chunkDelayMs: 150 })
    const captured = captureIo()
    const running = runCli(remote('agent', '-m', 'count', '--session-id', 'e2e-stream'), captured.io)
    // 1. the first words are printed while the model is still streaming
    const early = await captured.waitForStdout('one')
    expect(early).not.toContain('four')
    // 2. the whole reply, ending with a newline
    expect(await running).toBe(0)
    expect(captured.stdout()).toBe('one two three four\n')
  })

  it('agent --run-id: the same key never runs twice; the repeat prints the stored reply', async () => {
    model.reply({ text: 'only once' })
    const before = modelCalls()
    for (let i = 0; i < 2; i++) {
      const { io, stdout } = captureIo()
      expect(await runCli(remote('agent', '-m', 'once', '--session-id', 'e2e-idem', '--run-id', 'e2e-run-1'), io)).toBe(0)
      expect(stdout()).toBe('only once\n')
    }
    expect(modelCalls() - before).toBe(1)
  })

  it('agent: a run that fails exits 1 with its coded error; --timeout ends a hanging run with exit 1', async () => {
    model.fail({ status: 500 })
    const failed = captureIo()
    expect(await runCli(remote('agent', '-m', 'hi', '--session-id', 'e2e-fail'), failed.io)).toBe(1)
    expect(failed.stderr()).toMatch(/^error \[[A-Z_]+\]: /)

    model.hang()
    const timedOut = captureIo()
    expect(await runCli(remote('agent', '-m', 'hi', '--session-id', 'e2e-timeout', '--timeout', '0.5', '--json'), timedOut.io)).toBe(1)
    expect(JSON.parse(timedOut.stdout())).toMatchObject({ status: 'timeout' })
    expect(timedOut.stderr()).toContain('error [CORE_ERR_RUN_TIMEOUT]')
  })

  it('agent: SIGINT aborts the run on the gateway (chat.abort) and exits 130', async () => {
    model.hang()
    const captured = captureIo()
    const running = runCli(remote('agent', '-m', 'hi', '--session-id', 'e2e-abort'), captured.io)
    await vi.waitFor(() => expect(model.inFlight).toBe(1), { timeout: 10_000 })
    captured.signal('SIGINT')
    expect(await running).toBe(130)
    expect(captured.stderr()).toMatch(/^error \[CORE_ERR_RUN_ABORTED\]/m)
  })

  it('models list: the configured catalogue, the default model tagged', async () => {
    const table = captureIo()
    expect(await runCli(remote('models', 'list'), table.io)).toBe(0)
    expect(table.stdout()).toMatch(/^MODEL +NAME +INPUT +CTX +TAGS\n/)
    expect(table.stdout()).toMatch(/\nopenai\/scripted-model +scripted-model +text +- +default,configured\n/)
    expect(table.stdout()).toMatch(/\nollama\/llama3\.2 +Llama 3\.2 +text +128k +configured\n/)

    const json = captureIo()
    expect(await runCli(remote('models', 'list', '--provider', 'ollama', '--json'), json.io)).toBe(0)
    expect(JSON.parse(json.stdout())).toEqual({ models: [{ id: 'llama3.2', name: 'Llama 3.2', provider: 'ollama', tags: ['configured'], contextWindow: 128000, input: ['text'] }] })
  })

  it('sessions list / history / reset: the session of an agent run, its messages, then cleared', async () => {
    model.reply({ text: 'noted' })
    expect(await runCli(remote('agent', '-m', 'remember this', '--session-id', 'e2e-sessions'), captureIo().io)).toBe(0)

    const list = captureIo()
    expect(await runCli(remote('sessions', 'list', '--json'), list.io)).toBe(0)
    const { sessions } = JSON.parse(list.stdout()) as { sessions: { key: string; messageCount: number }[] }
    expect(sessions).toContainEqual(expect.objectContaining({ key: 'agent:main:e2e-sessions', messageCount: 2 }))

    const table = captureIo()
    expect(await runCli(remote('sessions', 'list', '--agent', 'main'), table.io)).toBe(0)
    expect(table.stdout()).toMatch(/^KEY +AGENT +MESSAGES +UPDATED +ORIGIN\n/)
    expect(table.stdout()).toMatch(/\nagent:main:e2e-sessions +main +2 +\d{4}-\d\d-\d\dT/)

    const history = captureIo()
    expect(await runCli(remote('sessions', 'history', 'e2e-sessions'), history.io)).toBe(0)
    expect(history.stdout()).toMatch(/^agent:main:e2e-sessions \(2 messages\)\n\[[^\]]+\] user: remember this\n\[[^\]]+\] assistant: noted\n$/)

    const reset = captureIo()
    expect(await runCli(remote('sessions', 'reset', 'e2e-sessions'), reset.io)).toBe(0)
    expect(reset.stdout()).toBe('Reset agent:main:e2e-sessions: its transcript is cleared.\n')
    const after = captureIo()
    expect(await runCli(remote('sessions', 'history', 'agent:main:e2e-sessions', '--json'), after.io)).toBe(0)
    expect(JSON.parse(after.stdout())).toMatchObject({ messages: [] })

    const missing = captureIo()
    expect(await runCli(remote('sessions', 'reset', 'never-existed'), missing.io)).toBe(1)
    expect(missing.stderr()).toContain('error [INVALID_REQUEST]')
    expect(missing.stderr()).toContain('(RPC_ERR_SESSION_NOT_FOUND)')
  })

  it('message send --channel nope: exits 1 naming the channel', async () => {
    const { io, stderr } = captureIo()
    expect(await runCli(remote('message', 'send', '--channel', 'nope', '--target', 'x', '-m', 'hi'), io)).toBe(1)
    expect(stderr()).toBe("error [INVALID_REQUEST]: invalid channel: 'nope' is not installed (installed: file) (RPC_ERR_CHANNEL_INVALID)\n")
  })

  it('message send: delivers once through the on-disk channel plugin, with buttons and card', async () => {
    const buttons = '[[{"text":"Yes","data":"y"},{"text":"No","data":"n"}]]'
    const { io, stdout, stderr } = captureIo()
    const code = await runCli(
      remote('message', 'send', '--channel', 'file', '--target', 'alice', '-m', 'Deploy finished', '--media', `${mediaBase}/report.png`, '--buttons', buttons, '--card', '{"title":"Deploy"}'),
      io,
    )
    expect(stderr()).toBe('')
    expect(code).toBe(0)
    expect(stdout()).toBe('Sent to file alice (message id file-1).\n')
    const lines = readFileSync(outbox, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({
      channel: 'file',
      to: 'alice',
      text: 'Deploy finished',
      attachments: [{ kind: 'image', mimeType: 'image/png', name: 'report.png', data: REPORT_PNG.toString('base64') }],
      buttons: [[{ text: 'Yes', data: 'y' }, { text: 'No', data: 'n' }]],
      card: { title: 'Deploy' },
    })
  })

  it('message send: refuses a local --media path (exit 2) and needs --message or --media (exit 2)', async () => {
    const path = captureIo()
    expect(await runCli(remote('message', 'send', '--channel', 'file', '--target', 'alice', '--media', './report.png'), path.io)).toBe(2)
    expect(path.stderr()).toContain("error [CLI_ERR_MEDIA_PATH_UNSUPPORTED]: --media './report.png' is not an http(s) URL")

    const empty = captureIo()
    expect(await runCli(remote('message', 'send', '--channel', 'file', '--target', 'alice'), empty.io)).toBe(2)
    expect(empty.stderr()).toContain('one of --message or --media is required')
    expect(existsSync(outbox) ? readFileSync(outbox, 'utf8').trim().split('\n') : []).toHaveLength(1)
  })

  it('a wrong token: exit 1 with CLI_ERR_GATEWAY_AUTH saying where the token came from', async () => {
    const { io, stdout, stderr } = captureIo()
    expect(await runCli(cli('health', '--url', url, '--token', 'wrong-token'), io)).toBe(1)
    expect(stdout()).toBe('')
    expect(stderr()).toBe(
      `error [CLI_ERR_GATEWAY_AUTH]: The gateway at '${url}' refused the connection (unauthorized: gateway token mismatch): the token came from --token: pass the gateway's token with --token or OPENCLAW_GATEWAY_TOKEN; on the gateway host \`openclaw gateway token\` prints it\n`,
    )
  })

  it('no gateway: exit 1 with CLI_ERR_GATEWAY_UNREACHABLE naming the URL and how to start one', async () => {
    const down = `ws://127.0.0.1:${await freePort()}`
    for (const args of [['health'], ['agent', '-m', 'hi'], ['gateway', 'call', 'status']]) {
      const { io, stderr } = captureIo()
      expect(await runCli(cli(...args, '--url', down, '--token', TOKEN), io), args.join(' ')).toBe(1)
      expect(stderr()).toBe(
        `error [CLI_ERR_GATEWAY_UNREACHABLE]: Cannot reach the gateway at '${down}' (ECONNREFUSED; URL from --url): start it with \`openclaw gateway\`, or point --url or OPENCLAW_GATEWAY_URL at a running one\n`,
      )
    }
  })
})
