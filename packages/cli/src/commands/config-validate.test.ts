import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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

  it('should exit 78 when the file is not JSON5', async () => {
    writeFileSync(path, '{ gateway: ')
    const { io, stderr } = captureIo()
    expect(await runCli(validate(), io)).toBe(78)
    expect(stderr()).toMatch(/^error \[CORE_ERR_CONFIG_PARSE\]/)
  })
})
