import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGateway } from '@openclaw/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configuredLogLevel, loadCliConfig, toGatewayConfigInput, withOverrides } from './cli-config.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-config-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('loadCliConfig', () => {
  it('should read <stateDir>/openclaw.json when no path is given, with ${VAR} filled in', () => {
    writeFileSync(join(dir, 'openclaw.json'), '{ gateway: { port: 1234, auth: { token: "${TOK}" } } } // JSON5')
    const config = loadCliConfig({ stateDir: dir }, { TOK: 'secret' })
    expect(config).toMatchObject({ stateDir: dir, configPath: join(dir, 'openclaw.json'), exists: true })
    expect(config.raw).toEqual({ gateway: { port: 1234, auth: { token: 'secret' } } })
  })

  it('should prefer OPENCLAW_CONFIG_PATH over the state dir file', () => {
    const other = join(dir, 'other.json')
    writeFileSync(other, '{ "logging": { "level": "debug" } }')
    const config = loadCliConfig({ stateDir: dir }, { OPENCLAW_CONFIG_PATH: other })
    expect(config.configPath).toBe(other)
    expect(configuredLogLevel(config, 'warn')).toBe('debug')
  })

  it('should use defaults when the default file is missing, and fail when --config is missing', () => {
    expect(loadCliConfig({ stateDir: dir }, {})).toMatchObject({ exists: false, raw: {} })
    expect(() => loadCliConfig({ stateDir: dir, config: join(dir, 'nope.json') }, {})).toThrow(expect.objectContaining({ code: 'CORE_ERR_CONFIG_NOT_FOUND' }))
  })

  it('should fail when the file named by OPENCLAW_CONFIG_PATH is missing, as for --config', () => {
    const missing = join(dir, 'nope.json')
    expect(() => loadCliConfig({ stateDir: dir }, { OPENCLAW_CONFIG_PATH: missing }))
      .toThrow(expect.objectContaining({ code: 'CORE_ERR_CONFIG_NOT_FOUND', message: `Config file '${missing}' does not exist` }))
    // An empty variable names no file: the default path, and its defaults, apply.
    expect(loadCliConfig({ stateDir: dir }, { OPENCLAW_CONFIG_PATH: '' })).toMatchObject({ configPath: join(dir, 'openclaw.json'), exists: false, raw: {} })
  })
})

describe('withOverrides', () => {
  it('should set only the defined keys of a section, keeping the rest', () => {
    expect(withOverrides({ gateway: { port: 1, bind: 'lan', auth: {} } }, 'gateway', { port: 0, bind: undefined }))
      .toEqual({ gateway: { port: 0, bind: 'lan', auth: {} } })
    const raw = { a: 1 }
    expect(withOverrides(raw, 'gateway', { port: undefined })).toBe(raw)
  })
})

describe('toGatewayConfigInput', () => {
  it('should keep an escaped $${VAR} literal through the core\'s second substitution', async () => {
    writeFileSync(join(dir, 'openclaw.json'), JSON.stringify({ gateway: { note: 'cost $${PRICE} for ${WHO}' } }))
    const config = loadCliConfig({ stateDir: dir }, { WHO: 'me' })
    expect((config.raw.gateway as { note: string }).note).toBe('cost ${PRICE} for me')
    const gateway = await createGateway({ config: toGatewayConfigInput(config.raw), stateDir: dir, store: ':memory:', env: {} })
    expect((gateway.config.gateway as { note: string }).note).toBe('cost ${PRICE} for me')
    await gateway.stop()
  })
})
