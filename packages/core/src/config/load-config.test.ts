import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { isCodedError } from '../errors/create-error.js'
import { createGateway } from '../gateway.js'
import { createSilentLogger } from '../logging/logger.js'
import { configJsonSchema } from './config-json-schema.js'
import { parseCoreConfig, readConfigFile, resolvePaths } from './load-config.js'

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'openclaw-config-')), 'openclaw.json')
  writeFileSync(path, text)
  return path
}

describe('config', () => {
  it('finds the state dir and config file from options, then env, then ~/.openclaw', () => {
    expect(resolvePaths({ env: { OPENCLAW_STATE_DIR: '/srv/oc' } })).toEqual({ stateDir: '/srv/oc', configPath: '/srv/oc/openclaw.json', configRequired: false })
    expect(resolvePaths({ env: { OPENCLAW_STATE_DIR: '/srv/oc', OPENCLAW_CONFIG_PATH: '/etc/oc.json' } })).toMatchObject({ configPath: '/etc/oc.json', configRequired: true })
    expect(resolvePaths({ configPath: '/etc/oc.json', env: {} }).configRequired).toBe(true)
    expect(resolvePaths({ env: { OPENCLAW_STATE_DIR: '/srv/oc', OPENCLAW_CONFIG_PATH: '' } })).toMatchObject({ configPath: '/srv/oc/openclaw.json', configRequired: false })
    expect(resolvePaths({ stateDir: '/a', env: { OPENCLAW_STATE_DIR: '/b' } }).stateDir).toBe('/a')
    expect(resolvePaths({ env: {} }).stateDir).toMatch(/\.openclaw$/)
  })

  it('reads JSON5 with comments and trailing commas, and fills ${VAR}', () => {
    const path = file(`{
      // the gateway
      gateway: { port: 18790, auth: { token: "\${GW_TOKEN}" }, },
      agents: { defaults: { systemPrompt: "cost: $\${NOT_A_VAR}" } },
    }`)
    const raw = readConfigFile(path, { env: { GW_TOKEN: 's3cret' } })
    expect(raw).toEqual({ gateway: { port: 18790, auth: { token: 's3cret' } }, agents: { defaults: { systemPrompt: 'cost: ${NOT_A_VAR}' } } })
  })

  it('names a missing environment variable and where it is used', () => {
    const path = file(`{ models: { providers: { openai: { apiKey: "\${OPENAI_API_KEY}" } } } }`)
    expect(() => readConfigFile(path, { env: {} })).toThrowError(
      "Environment variable 'OPENAI_API_KEY' is not set (referenced at config path 'models.providers.openai.apiKey')",
    )
  })

  it('reports a JSON5 syntax error with the file', () => {
    const path = file('{ gateway: ')
    const err = (() => {
      try {
        readConfigFile(path)
      } catch (e) {
        return e as Error
      }
    })()
    expect(isCodedError(err, 'CORE_ERR_CONFIG_PARSE')).toBe(true)
    expect(err!.message).toContain(path)
  })

  it('treats a missing default file as empty, a missing explicit file as an error', () => {
    expect(readConfigFile('/nonexistent/openclaw.json')).toEqual({})
    expect(() => readConfigFile('/nonexistent/openclaw.json', { required: true })).toThrowError(/does not exist/)
  })

  it('lists every bad path with what was expected and what was found', () => {
    const err = (() => {
      try {
        parseCoreConfig({ agents: { entries: { Main: {}, ops: { model: 'gpt4', maxToolTurns: 0 } } }, plugins: { deny: 'x' }, typo: 1 })
      } catch (e) {
        return e as Error
      }
    })()!
    expect(isCodedError(err, 'CORE_ERR_CONFIG_INVALID')).toBe(true)
    const lines = err.message.split('\n').filter((l) => l.startsWith('- '))
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^- \(root\): unknown key 'typo'/),
        expect.stringMatching(/^- agents\.entries\.Main: .*lowercase agent id/),
        expect.stringMatching(/^- agents\.entries\.ops\.model: expected "provider\/model" \(found "gpt4"\)/),
        expect.stringMatching(/^- agents\.entries\.ops\.maxToolTurns: .*>=1.*\(found 0\)/),
        expect.stringMatching(/^- plugins\.deny: .*expected array, received string \(found "x"\)/),
      ]),
    )
  })

  it('refuses durations that feed a timer beyond Node\'s limit, naming the path', () => {
    // A longer timer fires after 1 ms: a 3e9 ms stop timeout would give plugins no time at all.
    const err = (() => {
      try {
        parseCoreConfig({ plugins: { stopTimeoutMs: 3_000_000_000 }, agents: { defaults: { timeoutSeconds: 3_000_000 } } })
      } catch (e) {
        return e as Error
      }
    })()!
    expect(isCodedError(err, 'CORE_ERR_CONFIG_INVALID')).toBe(true)
    expect(err.message).toContain('- plugins.stopTimeoutMs: must be at most 2147483647 ms')
    expect(err.message).toContain('- agents.defaults.timeoutSeconds: must be at most 2147483 s')
    expect(parseCoreConfig({ plugins: { stopTimeoutMs: 2_147_483_647 }, agents: { defaults: { timeoutSeconds: 2_147_483 } } }).plugins.stopTimeoutMs).toBe(2_147_483_647)
  })

  it('applies defaults', () => {
    const config = parseCoreConfig({})
    expect(config.session).toEqual({
      maxQueue: 16,
      idempotencyTtlHours: 24,
      dmScope: 'per-channel-peer',
      groupScope: 'per-group',
      resetTriggers: ['/new', '/reset'],
      reset: { mode: 'none', atHour: 4 },
      maxTranscriptBytes: 32 * 1024 * 1024,
      maxTotalTranscriptBytes: 2048 * 1024 * 1024,
      tools: { visibility: 'all', hooksVisibility: 'own' },
    })
    expect(config.inbound.dedupeWindowHours).toBe(24)
    expect(config.delivery).toMatchObject({ maxAttempts: 8, retentionHours: 72 })
    expect(config.plugins.stopTimeoutMs).toBe(12_000)
    expect(config.agents.entries).toEqual({})
  })

  it('exports one JSON Schema with each plugin’s part at its key', () => {
    const schema = configJsonSchema([{ configKey: 'channels.telegram', schema: z.object({ token: z.string() }) }]) as {
      properties: Record<string, { properties?: Record<string, { properties?: Record<string, unknown> }> }>
    }
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['gateway', 'agents', 'plugins', 'channels']))
    expect(schema.properties.channels!.properties!.telegram!.properties).toHaveProperty('token')
  })

  it('createGateway refuses a missing file named by OPENCLAW_CONFIG_PATH instead of starting on defaults', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'oc-'))
    const missing = join(stateDir, 'nope.json')
    await expect(createGateway({ stateDir, store: ':memory:', logger: createSilentLogger(), env: { OPENCLAW_CONFIG_PATH: missing } }))
      .rejects.toMatchObject({ code: 'CORE_ERR_CONFIG_NOT_FOUND', message: expect.stringContaining(missing) })
  })

  it('createGateway reads the file named by configPath', async () => {
    const path = file(`{ agents: { entries: { ops: { systemPrompt: "ops" } } } }`)
    const g = await createGateway({ configPath: path, stateDir: mkdtempSync(join(tmpdir(), 'oc-')), store: ':memory:', logger: createSilentLogger(), env: {} })
    expect(g.agent.agentIds()).toEqual(['main', 'ops'])
    await g.stop()
  })
})
