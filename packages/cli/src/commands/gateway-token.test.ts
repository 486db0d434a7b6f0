import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GATEWAY_TOKEN_FILE } from '@openclaw/plugin-http-server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { captureIo } from '../capture-io.js'
import { runCli } from '../run-cli.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-token-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const token = (...args: string[]) => ['node', 'openclaw', 'gateway', 'token', '--state-dir', dir, ...args]

describe('openclaw gateway token', () => {
  it('should exit 1 and say how to create one when there is no token yet', async () => {
    const { io, stdout, stderr } = captureIo()
    expect(await runCli(token(), io)).toBe(1)
    expect(stdout()).toBe('')
    expect(stderr()).toContain('error [CLI_ERR_TOKEN_MISSING]')
    expect(stderr()).toContain('start the gateway once (`openclaw gateway`)')
  })

  it('should print the generated token file', async () => {
    writeFileSync(join(dir, GATEWAY_TOKEN_FILE), 'generated-token-0123456789abcdef\n', { mode: 0o600 })
    const { io, stdout } = captureIo()
    expect(await runCli(token(), io)).toBe(0)
    expect(stdout()).toBe('generated-token-0123456789abcdef\n')
  })

  it('should prefer gateway.auth.token, then OPENCLAW_GATEWAY_TOKEN, over the file', async () => {
    writeFileSync(join(dir, GATEWAY_TOKEN_FILE), 'generated-token-0123456789abcdef\n', { mode: 0o600 })
    const fromEnv = captureIo({ OPENCLAW_GATEWAY_TOKEN: 'env-token' })
    expect(await runCli(token(), fromEnv.io)).toBe(0)
    expect(fromEnv.stdout()).toBe('env-token\n')

    writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { token: 'config-token' } } }))
    const fromConfig = captureIo({ OPENCLAW_GATEWAY_TOKEN: 'env-token' })
    expect(await runCli(token(), fromConfig.io)).toBe(0)
    expect(fromConfig.stdout()).toBe('config-token\n')
  })

  it('should accept --state-dir before the subcommand too', async () => {
    writeFileSync(join(dir, GATEWAY_TOKEN_FILE), 'generated-token-0123456789abcdef\n', { mode: 0o600 })
    const { io, stdout } = captureIo()
    expect(await runCli(['node', 'openclaw', 'gateway', '--state-dir', dir, 'token'], io)).toBe(0)
    expect(stdout()).toBe('generated-token-0123456789abcdef\n')
  })

  it('should exit 1 when the gateway uses a password instead of a token', async () => {
    writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({ gateway: { auth: { mode: 'password' } } }))
    const { io, stderr } = captureIo()
    expect(await runCli(token(), io)).toBe(1)
    expect(stderr()).toContain("error [CLI_ERR_TOKEN_NOT_USED]: gateway.auth.mode is 'password'")
  })
})
