import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const BIN = fileURLToPath(new URL('./bin.ts', import.meta.url))
let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-bin-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('the openclaw binary', () => {
  it('should serve /healthz once it prints "listening", and exit 0 on SIGTERM', async () => {
    const env = { ...process.env }
    delete env.OPENCLAW_CONFIG_PATH
    delete env.OPENCLAW_GATEWAY_PORT
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, 'gateway', '--port', '0', '--state-dir', dir], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

    // 1. wait for the "listening" line
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" line; stdout: ${stdout} stderr: ${stderr}`)), 15_000)
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)
        if (match) {
          clearTimeout(timer)
          resolve(match[1]!)
        }
      })
      void exited.then((code) => reject(new Error(`exited with ${code}; stderr: ${stderr}`)))
    })

    // 2. it answers
    const response = await fetch(`${url}/healthz`)
    expect(response.status).toBe(200)

    // 3. SIGTERM: a graceful stop, exit code 0
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(stdout).toContain('Gateway stopped.')
  })
})
