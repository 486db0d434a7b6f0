import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { captureIo } from '../capture-io.js'
import { runCli } from '../run-cli.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-plugins-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('openclaw plugins list', () => {
  it('should list the first-party plugins with state, version and source as JSON', async () => {
    const { io, stdout } = captureIo()
    expect(await runCli(['node', 'openclaw', 'plugins', 'list', '--json', '--state-dir', dir], io)).toBe(0)
    const plugins = JSON.parse(stdout()) as { id: string; state: string; version: string; source: string }[]
    const ids = plugins.map((p) => p.id)
    expect(ids).toEqual(expect.arrayContaining(['core:http', 'provider:openai', 'provider:anthropic']))
    expect(plugins.find((p) => p.id === 'core:http')).toMatchObject({ state: 'loaded', version: '1.0.0', source: 'inline' })
  })

  it('should print a table by default', async () => {
    const { io, stdout } = captureIo()
    expect(await runCli(['node', 'openclaw', 'plugins', 'list', '--state-dir', dir], io)).toBe(0)
    expect(stdout()).toMatch(/^ID\s+STATE\s+VERSION\s+KIND\s+SOURCE\n/)
    expect(stdout()).toMatch(/\ncore:http\s+loaded\s+1\.0\.0\s+surface\s+inline\n/)
  })
})
