import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScriptedModelServer, startFakeTelegram, type FakeTelegram, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { captureIo } from './capture-io.js'
import { runCli } from './run-cli.js'
import { spawnGateway, type SpawnedGateway } from './spawn-gateway.js'

// `openclaw gateway` as users run it (a child process, its default plugins, a config file) with a
// Telegram bot pointed at the SDK's fake Bot API server: a DM is answered, and `openclaw channels
// status` shows the account's liveness.

const TOKEN = 'telegram-cli-e2e-token-0123456789'
let dir: string | undefined
let tg: FakeTelegram | undefined
let model: ScriptedModelServer | undefined
let gateway: SpawnedGateway | undefined

afterEach(async () => {
  await gateway?.kill('SIGKILL')
  await tg?.close()
  await model?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  gateway = tg = model = dir = undefined
})

async function cli(...args: string[]): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers
  const { io, stdout, stderr } = captureIo()
  const code = await runCli(['node', 'openclaw', ...args, '--url', gateway!.url, '--token', TOKEN], io)
  if (code !== 0) throw new Error(`openclaw ${args.join(' ')} exited ${code}: ${stderr()}`)
  return JSON.parse(stdout())
}

/** Start the fake Telegram server, a model answering `reply`, and `openclaw gateway` polling the fake. */
async function startGateway(reply: string, extra: { delivery?: object; telegram?: object } = {}): Promise<void> {
  tg = await startFakeTelegram()
  model = await createScriptedModelServer()
  model.replyWith(() => ({ text: reply }))
  dir = mkdtempSync(join(tmpdir(), 'openclaw-telegram-cli-'))
  const configPath = join(dir, 'openclaw.json')
  writeFileSync(configPath, JSON.stringify({
    gateway: { auth: { token: TOKEN } },
    models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'test-key', maxRetries: 0, models: ['scripted-model'] } } },
    agents: { defaults: { model: 'openai/scripted-model' } },
    ...(extra.delivery ? { delivery: extra.delivery } : {}),
    channels: { telegram: { botToken: tg.token, apiRoot: tg.apiRoot, dmPolicy: 'open', allowFrom: ['*'], polling: { timeoutSeconds: 1, stallGraceMs: 1000 }, ...extra.telegram } },
  }))
  gateway = await spawnGateway({ stateDir: dir, configPath })
}

describe('openclaw gateway with channels.telegram', () => {
  it('answers a Telegram DM and reports the account in channels status', { timeout: 60_000 }, async () => {
    await startGateway('from the **gateway**')
    const ada = tg!.user({ firstName: 'Ada' })
    tg!.sendDm(ada, 'hello gateway')
    const [reply] = await tg!.waitForMessages(ada.id, 1, { timeoutMs: 30_000 })
    expect(reply!.text).toBe('from the <b>gateway</b>')
    const status = await cli('channels', 'status', '--json')
    const account = status.channels.find((s: { channel: string }) => s.channel === 'telegram')
    expect(account).toMatchObject({ accountId: 'default', healthy: true, state: 'ok' })
    expect(gateway!.log()).not.toContain(tg!.token.split(':')[1]!)
  })

  it('shows a reply sent again after its answer was lost as "in doubt" in channels status', { timeout: 60_000 }, async () => {
    await startGateway('maybe twice', { delivery: { baseDelayMs: 50 }, telegram: { streaming: 'off' } })
    tg!.dropConnections('sendMessage', { when: 'after' })
    const ada = tg!.user({ firstName: 'Ada' })
    tg!.sendDm(ada, 'hello')
    await tg!.waitForMessages(ada.id, 2, { timeoutMs: 30_000 })
    const { io, stdout } = captureIo()
    expect(await runCli(['node', 'openclaw', 'channels', 'status', '--url', gateway!.url, '--token', TOKEN], io)).toBe(0)
    const [header, row] = stdout().split('\n')
    expect(header).toMatch(/LAST SEND\s+IN DOUBT\s+LAST ERROR/)
    expect(row).toMatch(/^telegram\s+default\s+.*\s1 \(last /)
    expect((await cli('channels', 'status', '--json')).channels[0]).toMatchObject({ channel: 'telegram', inDoubt: { count: 1 } })
    expect(gateway!.log()).toContain('it may arrive twice')
  })
})
