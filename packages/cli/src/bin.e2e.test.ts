import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawnGateway } from './spawn-gateway.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-bin-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('the openclaw binary', () => {
  it('should serve /healthz once it prints "listening", and exit 0 on SIGTERM', async () => {
    // 1. wait for the "listening" line (no config file: the defaults)
    const gateway = await spawnGateway({ stateDir: dir, timeoutMs: 15_000 })

    // 2. it answers
    const response = await fetch(`${gateway.httpUrl}/healthz`)
    expect(response.status).toBe(200)

    // 3. SIGTERM: a graceful stop, exit code 0
    expect(await gateway.kill('SIGTERM')).toBe(0)
    expect(gateway.stdout()).toContain('Gateway stopped.')
  })
})
