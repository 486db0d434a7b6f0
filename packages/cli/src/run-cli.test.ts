import { describe, expect, it } from 'vitest'
import { captureIo } from './capture-io.js'
import { createCli } from './create-cli.js'
import { runCli } from './run-cli.js'

const argv = (...args: string[]) => ['node', 'openclaw', ...args]

describe('runCli', () => {
  it('should print the version and exit 0', async () => {
    const { io, stdout } = captureIo()
    expect(await runCli(argv('--version'), io)).toBe(0)
    expect(stdout()).toBe('1.0.0\n')
  })

  it('should print help to stdout and exit 0 with --help', async () => {
    const { io, stdout } = captureIo()
    expect(await runCli(argv('gateway', '--help'), io)).toBe(0)
    expect(stdout()).toContain('--port <n>')
    expect(stdout()).toContain('token')
  })

  it('should exit 2 on an unknown option, naming it on stderr', async () => {
    const { io, stdout, stderr } = captureIo()
    expect(await runCli(argv('agent', '--local', '-m', 'hi', '--bogus'), io)).toBe(2)
    expect(stderr()).toContain("unknown option '--bogus'")
    expect(stdout()).toBe('')
  })

  it('should exit 2 on an unknown command, a missing required option, a bad value, and no command at all', async () => {
    for (const args of [['frobnicate'], ['agent', '--local'], ['gateway', '--port', 'x'], ['agent', '-m', 'hi', '--timeout', '-1'], []]) {
      const { io } = captureIo()
      expect(await runCli(argv(...args), io), args.join(' ')).toBe(2)
    }
  })

  it('should exit 2 when --local is combined with flags only a running gateway understands', async () => {
    const { io, stderr } = captureIo()
    expect(await runCli(argv('agent', '--local', '-m', 'hi', '--deliver', '--to', 'x', '--url', 'ws://127.0.0.1:1'), io)).toBe(2)
    expect(stderr()).toContain('error: --url, --to, --deliver cannot be used with --local')
  })

  it('should exit 2 on a bad --url, --params, --buttons or --limit, and on --token with --password', async () => {
    for (const args of [
      ['health', '--url', 'ftp://x'],
      ['gateway', 'call', 'health', '--params', '[1]'],
      ['message', 'send', '-t', 'x', '-m', 'hi', '--buttons', '{"text":"a"}'],
      ['sessions', 'list', '--limit', '0'],
      ['status', '--token', 'a', '--password', 'b'],
    ]) {
      const { io } = captureIo()
      expect(await runCli(argv(...args), io), args.join(' ')).toBe(2)
    }
  })

  it('should exit 2 when OPENCLAW_GATEWAY_URL is not a gateway URL', async () => {
    const { io, stderr } = captureIo({ OPENCLAW_GATEWAY_URL: 'not a url', OPENCLAW_GATEWAY_TOKEN: 't' })
    expect(await runCli(argv('health'), io)).toBe(2)
    expect(stderr()).toBe("error [CLI_ERR_GATEWAY_URL_INVALID]: 'not a url' (from OPENCLAW_GATEWAY_URL) is not a gateway URL: expected ws://host:port or wss://host:port (http:// and https:// are accepted too), with no credentials or query in it (use --token / --password)\n")
  })

  it('should print one error line without a stack, and the stack with OPENCLAW_DEBUG=1', async () => {
    const quiet = captureIo()
    expect(await runCli(argv('gateway', 'token', '--config', '/nonexistent/openclaw.json'), quiet.io)).toBe(78)
    expect(quiet.stderr()).toBe("error [CORE_ERR_CONFIG_NOT_FOUND]: Config file '/nonexistent/openclaw.json' does not exist\n")

    const debug = captureIo({ OPENCLAW_DEBUG: '1' })
    expect(await runCli(argv('gateway', 'token', '--config', '/nonexistent/openclaw.json'), debug.io)).toBe(78)
    expect(debug.stderr().split('\n').length).toBeGreaterThan(3)
    expect(debug.stderr()).toMatch(/\n\s+at /)
  })
})

describe('createCli', () => {
  it('should throw commander errors instead of exiting the process', async () => {
    const { io } = captureIo()
    await expect(createCli(io).parseAsync(argv('--nope'))).rejects.toMatchObject({ code: 'commander.unknownOption' })
  })
})
