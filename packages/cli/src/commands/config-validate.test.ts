import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { captureIo } from '../capture-io.js'
import { runCli } from '../run-cli.js'

let dir: string
let path: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-validate-'))
  path = join(dir, 'openclaw.json')
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

async function validateFile(config: unknown, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  writeFileSync(path, JSON.stringify(config))
  const { io, stdout, stderr } = captureIo(env)
  const code = await runCli(validate(), io)
  return { code, stdout: stdout(), stderr: stderr() }
}

const validate = () => ['node', 'openclaw', 'config', 'validate', '--config', path, '--state-dir', dir]

describe('openclaw config validate', () => {
  it('should print OK for a valid file', async () => {
    writeFileSync(path, JSON.stringify({ gateway: { port: 18800 }, models: { providers: { openai: { baseUrl: 'http://127.0.0.1:11434/v1' } } } }))
    const { io, stdout } = captureIo()
    expect(await runCli(validate(), io)).toBe(0)
    expect(stdout()).toBe(`OK: ${path} is valid\n`)
  })

  it('should list every problem, core and plugin sections alike, and exit 78', async () => {
    writeFileSync(path, JSON.stringify({ gateway: { port: -1 }, models: { providers: { openai: { baseUrl: 'ftp://x' } } }, unknownSection: {} }))
    const { io, stdout, stderr } = captureIo()
    expect(await runCli(validate(), io)).toBe(78)
    expect(stdout()).toBe('')
    expect(stderr()).toContain(`error [CORE_ERR_CONFIG_INVALID]: ${path}: Invalid config:`)
    expect(stderr()).toContain("unknown key 'unknownSection'")
    expect(stderr()).toContain('- gateway.port:')
    expect(stderr()).toContain('- models.providers.openai.baseUrl:')
  })

  it('should refuse durations beyond Node\'s timer limit in the core and every plugin section, naming each path', async () => {
    const tooLong = 3_000_000_000
    const { code, stderr } = await validateFile({
      gateway: { rpc: { handshakeTimeoutMs: tooLong, tickIntervalMs: tooLong, methodTimeoutMs: tooLong }, http: { headersTimeoutMs: tooLong, requestTimeoutMs: tooLong }, shutdownTimeoutMs: tooLong },
      plugins: { stopTimeoutMs: tooLong },
      agents: { defaults: { timeoutSeconds: 3_000_000 } },
      models: { providers: { vllm: { baseUrl: 'http://127.0.0.1:8000/v1', timeoutSeconds: 3_000_000 } } },
    })
    expect(code).toBe(78)
    for (const key of [
      'gateway.rpc.handshakeTimeoutMs', 'gateway.rpc.tickIntervalMs', 'gateway.rpc.methodTimeoutMs', 'gateway.http.headersTimeoutMs',
      'gateway.http.requestTimeoutMs', 'gateway.shutdownTimeoutMs', 'plugins.stopTimeoutMs',
    ]) {
      expect(stderr).toContain(`- ${key}: must be at most 2147483647 ms`)
    }
    expect(stderr).toContain('- agents.defaults.timeoutSeconds: must be at most 2147483 s')
    expect(stderr).toContain('- models.providers.vllm.timeoutSeconds: must be at most 2147483 s')
  })

  it('should refuse durations beyond the timer limit in every provider entry, once the provider APIs are known', async () => {
    const tooLong = 3_000_000_000
    const { code, stderr } = await validateFile({
      models: {
        providers: {
          openai: { timeoutMs: tooLong, extra: { ollama: { baseUrl: 'http://127.0.0.1:11434/v1', timeoutMs: tooLong } } },
          anthropic: { timeoutMs: tooLong },
        },
      },
    })
    expect(code).toBe(78)
    for (const key of ['models.providers.openai.timeoutMs', 'models.providers.openai.extra.ollama.timeoutMs', 'models.providers.anthropic.timeoutMs']) {
      expect(stderr).toContain(`- ${key}: must be at most 2147483647 ms`)
    }
  })

  it('should refuse a provider whose api no plugin speaks, naming the path and the known APIs', async () => {
    const { code, stderr } = await validateFile({ models: { providers: { gem: { api: 'google-generative-ai', models: [{ id: 'gemini-3' }] } } } })
    expect(code).toBe(78)
    expect(stderr).toContain('models.providers.gem.api: unknown API "google-generative-ai" (known: anthropic-messages, openai-completions)')
  })

  it('should accept durations up to the timer limit', async () => {
    const { code, stdout } = await validateFile({ gateway: { rpc: { handshakeTimeoutMs: 2_147_483_647 } }, plugins: { stopTimeoutMs: 2_147_483_647 } })
    expect({ code, stdout }).toEqual({ code: 0, stdout: `OK: ${path} is valid\n` })
  })

  it('should refuse password mode without a password, as the gateway does (78), and count OPENCLAW_GATEWAY_PASSWORD', async () => {
    const refused = await validateFile({ gateway: { auth: { mode: 'password' } } })
    expect(refused.code).toBe(78)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toBe(
      `error [HTTP_ERR_PASSWORD_MISSING]: ${path}: core:http would not start: gateway.auth.mode is 'password' but no password is set: set gateway.auth.password or the OPENCLAW_GATEWAY_PASSWORD environment variable\n`,
    )

    expect((await validateFile({ gateway: { auth: { mode: 'password' } } }, { OPENCLAW_GATEWAY_PASSWORD: 'from-the-environment' })).code).toBe(0)
  })

  it('should refuse auth mode none on a non-loopback bind (78), and accept it on loopback', async () => {
    const refused = await validateFile({ gateway: { auth: { mode: 'none' }, bind: 'lan' } })
    expect(refused.code).toBe(78)
    expect(refused.stderr).toMatch(/^error \[HTTP_ERR_AUTH_REQUIRED\]: .*core:http would not start: Refusing to bind the gateway to 'lan' without auth/)
    expect((await validateFile({ gateway: { auth: { mode: 'none' } } })).code).toBe(0)
  })

  it('should refuse hooks enabled without a token of their own (78)', async () => {
    const missing = await validateFile({ hooks: { enabled: true } })
    expect(missing.code).toBe(78)
    expect(missing.stderr).toMatch(/^error \[HOOKS_ERR_TOKEN_MISSING\]: .*http:hooks would not start: hooks\.enabled is true but hooks\.token is not set/)

    const reused = await validateFile({ gateway: { auth: { token: 'same-secret-0123456789' } }, hooks: { enabled: true, token: 'same-secret-0123456789' } })
    expect(reused.code).toBe(78)
    expect(reused.stderr).toContain('error [HOOKS_ERR_TOKEN_REUSED]')
    expect(reused.stderr).toContain('it equals gateway.auth.token')
    expect(reused.stderr).not.toContain('same-secret-0123456789')

    const own = await validateFile({ gateway: { auth: { token: 'gateway-secret-0123456789' } }, hooks: { enabled: true, token: 'hooks-secret-0123456789' } })
    expect(own.code).toBe(0)
  })

  it('should count the gateway token from OPENCLAW_GATEWAY_TOKEN and from the generated token file', async () => {
    const fromEnv = await validateFile({ hooks: { enabled: true, token: 'env-secret-0123456789' } }, { OPENCLAW_GATEWAY_TOKEN: 'env-secret-0123456789' })
    expect(fromEnv.code).toBe(78)
    expect(fromEnv.stderr).toContain('it equals OPENCLAW_GATEWAY_TOKEN')

    writeFileSync(join(dir, 'gateway.token'), 'generated-secret-0123456789\n', { mode: 0o600 })
    const fromFile = await validateFile({ hooks: { enabled: true, token: 'generated-secret-0123456789' } })
    expect(fromFile.code).toBe(78)
    expect(fromFile.stderr).toContain('it equals the generated token file (gateway.token)')
  })

  it('should start nothing: no token file generated, no state database, no port', async () => {
    const { code } = await validateFile({ gateway: { port: 1 }, hooks: { enabled: true, token: 'hooks-secret-0123456789' } })
    expect(code).toBe(0)
    expect(readdirSync(dir)).toEqual(['openclaw.json'])
  })

  it('should refuse a missing file named by OPENCLAW_CONFIG_PATH (78) instead of validating the defaults', async () => {
    const missing = join(dir, 'missing.json')
    const { io, stdout, stderr } = captureIo({ OPENCLAW_CONFIG_PATH: missing })
    expect(await runCli(['node', 'openclaw', 'config', 'validate', '--state-dir', dir], io)).toBe(78)
    expect(stdout()).toBe('')
    expect(stderr()).toContain(`error [CORE_ERR_CONFIG_NOT_FOUND]: Config file '${missing}' does not exist`)
    expect(existsSync(missing)).toBe(false)
  })

  it('should exit 78 when the file is not JSON5', async () => {
    writeFileSync(path, '{ gateway: ')
    const { io, stderr } = captureIo()
    expect(await runCli(validate(), io)).toBe(78)
    expect(stderr()).toMatch(/^error \[CORE_ERR_CONFIG_PARSE\]/)
  })
})
