import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScriptedModelServer, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { captureIo } from '../capture-io.js'
import { runCli } from '../run-cli.js'

let model: ScriptedModelServer
let dir: string
let configPath: string

beforeEach(async () => {
  model = await createScriptedModelServer()
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-agent-'))
  configPath = join(dir, 'openclaw.json')
  writeFileSync(configPath, JSON.stringify({
    models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'test-key', maxRetries: 0 } } },
    agents: { defaults: { model: 'openai/scripted-model' } },
  }))
})

afterEach(async () => {
  await model.close()
  rmSync(dir, { recursive: true, force: true })
})

const agent = (...args: string[]) => ['node', 'openclaw', 'agent', '--local', '--config', configPath, '--state-dir', dir, ...args]

describe('openclaw agent --local', () => {
  it('should print the AgentRunResult as JSON with --json', async () => {
    model.reply({ text: 'Hello from the script' })
    const { io, stdout, stderr } = captureIo()
    const code = await runCli(agent('--message', 'hi', '--json'), io)
    expect(stderr()).toBe('')
    expect(code).toBe(0)
    const result = JSON.parse(stdout()) as { status: string; text: string; model: string; sessionKey: string }
    expect(result).toMatchObject({ status: 'ok', text: 'Hello from the script', model: 'openai/scripted-model', sessionKey: 'agent:main:main' })
  })

  it('should stream the reply text to stdout, ending with a newline', async () => {
    model.reply({ text: 'streamed reply' })
    const { io, stdout } = captureIo()
    expect(await runCli(agent('-m', 'hi'), io)).toBe(0)
    expect(stdout()).toBe('streamed reply\n')
  })

  it('should use --session-id and --agent to pick the session', async () => {
    model.reply({ text: 'ok' })
    const { io, stdout } = captureIo()
    expect(await runCli(agent('-m', 'hi', '--agent', 'main', '--session-id', 'demo', '--json'), io)).toBe(0)
    expect(JSON.parse(stdout())).toMatchObject({ sessionKey: 'agent:main:demo', agentId: 'main' })
  })

  it('should exit 1 and print the coded error when the run fails', async () => {
    model.fail({ status: 500 })
    const { io, stdout, stderr } = captureIo()
    expect(await runCli(agent('-m', 'hi', '--json'), io)).toBe(1)
    expect(JSON.parse(stdout())).toMatchObject({ status: 'error' })
    expect(stderr()).toMatch(/^error \[[A-Z_]+\]: /m)
    // the core's warn line about the failed run stays on stderr, without a stack
    expect(stderr()).not.toContain('"stack"')
  })

  it('should keep stacks in log lines with OPENCLAW_DEBUG=1', async () => {
    model.fail({ status: 500 })
    const { io, stderr } = captureIo({ OPENCLAW_DEBUG: '1' })
    expect(await runCli(agent('-m', 'hi'), io)).toBe(1)
    expect(stderr()).toContain('"stack"')
  })

  it('should exit 130 when SIGINT aborts the run', async () => {
    model.hang()
    const captured = captureIo()
    const running = runCli(agent('-m', 'hi'), captured.io)
    // 1. wait until the model request is in flight, 2. interrupt.
    await vi.waitFor(() => expect(model.inFlight).toBe(1))
    captured.signal('SIGINT')
    expect(await running).toBe(130)
    expect(captured.stderr()).toContain('error [CORE_ERR_RUN_ABORTED]')
  })

  it('should give up after --timeout seconds with exit 1', async () => {
    model.hang()
    const { io, stdout, stderr } = captureIo()
    expect(await runCli(agent('-m', 'hi', '--timeout', '0.3', '--json'), io)).toBe(1)
    expect(JSON.parse(stdout())).toMatchObject({ status: 'timeout' })
    expect(stderr()).toContain('error [CORE_ERR_RUN_TIMEOUT]: The run did not finish within 300 ms')
  })

  it('should exit 1 with the core error when the agent is unknown', async () => {
    const { io, stderr } = captureIo()
    expect(await runCli(agent('-m', 'hi', '--agent', 'nobody'), io)).toBe(1)
    expect(stderr()).toContain('error [CORE_ERR_AGENT_UNKNOWN]')
  })

  it('should exit 78 when the config file is invalid', async () => {
    writeFileSync(configPath, JSON.stringify({ agents: { defaults: { model: 'no-slash' } }, bogus: true }))
    const { io, stderr } = captureIo()
    expect(await runCli(agent('-m', 'hi'), io)).toBe(78)
    expect(stderr()).toContain('error [CORE_ERR_CONFIG_INVALID]')
    expect(stderr()).toContain('agents.defaults.model')
    expect(stderr()).toContain("unknown key 'bogus'")
  })
})
