import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createGateway, type CreateGatewayOptions } from '../gateway.js'
import { createSilentLogger, type Logger } from '../logging/logger.js'
import { createError, isCodedError } from '../errors/create-error.js'
import type { PluginDefinition } from './plugin-definition.js'

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'openclaw-plugins-'))
}

function gw(options: CreateGatewayOptions) {
  return createGateway({ stateDir: tmp(), store: ':memory:', logger: createSilentLogger(), env: {}, config: {}, ...options })
}

function plugin(id: string, extra: Partial<PluginDefinition<any>> = {}, log?: string[]): PluginDefinition<any> {
  return {
    id,
    version: '1.0.0',
    register: () => void log?.push(`register:${id}`),
    start: () => void log?.push(`start:${id}`),
    stop: () => void log?.push(`stop:${id}`),
    ...extra,
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a rejection')
}

/** A logger keeping `[level, fields, message]` of every line. */
function recordingLogger(lines: [string, Record<string, unknown>, string][] = []): Logger {
  const at = (level: string) => (fields: unknown, ...rest: unknown[]) =>
    void lines.push([level, typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>) : {}, rest.length > 0 ? String(rest[0]) : String(fields)])
  return { level: 'trace', trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => recordingLogger(lines) }
}

describe('plugin loading', () => {
  it('logs a coded refusal without a stack, an unexpected failure with one, and dependents as warnings', async () => {
    const lines: [string, Record<string, unknown>, string][] = []
    const Refused = createError<'TEST_ERR_REFUSED'>('TEST_ERR_REFUSED', 'set test.key first')
    const g = await gw({
      logger: recordingLogger(lines),
      plugins: [
        plugin('refuses', { start: () => { throw new Refused() } }),
        plugin('dependent', { dependsOn: ['refuses'] }),
        plugin('breaks', { start: () => { throw new TypeError('x is undefined') } }),
      ],
    })
    await g.start()
    await g.stop()
    const about = (id: string) => lines.filter(([, fields]) => fields.plugin === id)
    expect(about('refuses')).toEqual([['error', { plugin: 'refuses', code: 'CORE_ERR_PLUGIN_START_FAILED', cause: 'TEST_ERR_REFUSED' }, expect.stringContaining('set test.key first')]])
    expect(about('dependent')).toEqual([['warn', { plugin: 'dependent', code: 'CORE_ERR_PLUGIN_DEPENDENCY_FAILED' }, expect.stringContaining("dependency 'refuses' failed")]])
    expect(about('breaks')[0]![1].err).toBeInstanceOf(TypeError)
  })

  it('registers and starts in dependency order and stops in reverse', async () => {
    const log: string[] = []
    const g = await gw({ plugins: [plugin('c', { dependsOn: ['b'] }, log), plugin('b', { dependsOn: ['a'] }, log), plugin('a', {}, log)] })
    await g.start()
    await g.stop()
    expect(log).toEqual(['register:a', 'register:b', 'register:c', 'start:a', 'start:b', 'start:c', 'stop:c', 'stop:b', 'stop:a'])
  })

  it('flattens presets and skips falsy entries', async () => {
    const g = await gw({ plugins: [[plugin('a'), [plugin('b')]], false, null, undefined] })
    expect(g.plugins.map((p) => p.id)).toEqual(['a', 'b'])
  })

  it('refuses a dependency cycle before any plugin code runs', async () => {
    const log: string[] = []
    const err = await rejection(gw({ plugins: [plugin('a', { dependsOn: ['b'] }, log), plugin('b', { dependsOn: ['a'] }, log)] }))
    expect(isCodedError(err, 'CORE_ERR_PLUGIN_DEPENDENCY_CYCLE')).toBe(true)
    expect(err.message).toMatch(/a -> b -> a/)
    expect(log).toEqual([])
  })

  it('refuses duplicate ids, naming both sources', async () => {
    const err = await rejection(gw({ plugins: [plugin('a'), plugin('a')] }))
    expect(isCodedError(err, 'CORE_ERR_PLUGIN_DUPLICATE')).toBe(true)
    expect(err.message).toContain("'a'")
  })

  it('refuses a missing dependency, naming it', async () => {
    const err = await rejection(gw({ plugins: [plugin('a', { dependsOn: ['core:http'] })] }))
    expect(isCodedError(err, 'CORE_ERR_PLUGIN_DEPENDENCY_MISSING')).toBe(true)
    expect(err.message).toBe("Plugin 'a' requires 'core:http', which is not installed")
  })

  it('refuses a plugin whose API range the core does not satisfy, naming both versions', async () => {
    const log: string[] = []
    const g = await gw({ plugins: [plugin('old', { apiVersion: '^1.0.0' }, log), plugin('ok', {}, log), plugin('next', { apiVersion: '^2.0.0' }, log)] })
    const old = g.plugins.find((p) => p.id === 'old')!
    expect(old.state).toBe('failed')
    expect(old.error?.code).toBe('CORE_ERR_PLUGIN_API_VERSION')
    expect(old.error?.message).toBe("Plugin 'old' needs plugin API ^1.0.0, but this core provides 2.0.0")
    // No apiVersion: the current major is assumed.
    expect(log).toEqual(['register:ok', 'register:next'])
  })

  it('isolates a plugin that throws in register, and undoes what it registered', async () => {
    const g = await gw({
      plugins: [
        plugin('bad', {
          register(api) {
            api.tools.register({ name: 'half', description: 'x', parameters: {}, execute: () => 1 })
            api.hooks.agentEnd.tap('bad', () => {})
            throw new Error('kaboom')
          },
        }),
        plugin('dependent', { dependsOn: ['bad'] }),
        plugin('good'),
      ],
    })
    await g.start()
    const byId = Object.fromEntries(g.plugins.map((p) => [p.id, p]))
    expect(byId.bad).toMatchObject({ state: 'failed', error: { code: 'CORE_ERR_PLUGIN_REGISTER_FAILED' } })
    expect(byId.bad!.error!.message).toContain('kaboom')
    expect(byId.dependent).toMatchObject({ state: 'failed', error: { code: 'CORE_ERR_PLUGIN_DEPENDENCY_FAILED' } })
    expect(byId.good!.state).toBe('started')
    expect(g.registry.tools.has('half')).toBe(false)
    expect(g.hooks.agentEnd.taps).toHaveLength(0)
    expect(g.isReady()).toBe(true)
    await g.stop()
  })

  it('isolates a plugin that throws in start', async () => {
    const g = await gw({ plugins: [plugin('bad', { start: () => Promise.reject(new Error('no socket')) }), plugin('good')] })
    await g.start()
    expect(g.plugins.find((p) => p.id === 'bad')).toMatchObject({ state: 'failed', error: { code: 'CORE_ERR_PLUGIN_START_FAILED' } })
    expect(g.plugins.find((p) => p.id === 'good')?.state).toBe('started')
    await g.stop()
  })

  it('runs checkConfig right before start: a refusal fails the plugin as a throw in start does', async () => {
    const log: string[] = []
    const refuse = () => {
      log.push('check:bad')
      throw Object.assign(new Error('x.token is not set'), { code: 'X_ERR_TOKEN_MISSING' })
    }
    const g = await gw({ plugins: [plugin('bad', { checkConfig: refuse }, log), plugin('good', { checkConfig: () => void log.push('check:good') }, log)] })
    await g.start()
    expect(log).toEqual(['register:bad', 'register:good', 'check:bad', 'stop:bad', 'check:good', 'start:good'])
    const bad = g.plugins.find((p) => p.id === 'bad')
    expect(bad).toMatchObject({ state: 'failed', error: { code: 'CORE_ERR_PLUGIN_START_FAILED', message: "Plugin 'bad' failed in start(): x.token is not set" } })
    expect(bad?.error?.cause).toMatchObject({ code: 'X_ERR_TOKEN_MISSING' })
    await g.stop()
  })

  it('checkConfig() runs the config checks alone: nothing starts, no state changes, dependents of a refusal are skipped', async () => {
    const log: string[] = []
    const refuse = () => {
      throw Object.assign(new Error('x.token is not set'), { code: 'X_ERR_TOKEN_MISSING' })
    }
    const g = await gw({
      plugins: [
        plugin('bad', { checkConfig: refuse }, log),
        plugin('needs-bad', { dependsOn: ['bad'], checkConfig: () => void log.push('check:needs-bad') }, log),
        plugin('good', { checkConfig: () => void log.push('check:good') }, log),
      ],
    })
    expect(g.checkConfig()).toEqual([{ plugin: 'bad', error: { code: 'X_ERR_TOKEN_MISSING', message: 'x.token is not set' } }])
    expect(log).toEqual(['register:bad', 'register:needs-bad', 'register:good', 'check:good'])
    expect(g.plugins.map((p) => p.state)).toEqual(['loaded', 'loaded', 'loaded'])
    await g.start()
    expect(() => g.checkConfig()).toThrow(expect.objectContaining({ code: 'CORE_ERR_GATEWAY_STATE' }))
    await g.stop()
  })

  it('refuses to start when a required plugin fails, and stops the others', async () => {
    const log: string[] = []
    const g = await gw({
      config: { plugins: { entries: { bad: { required: true } } } },
      plugins: [plugin('good', {}, log), plugin('bad', { start: () => Promise.reject(new Error('no socket')) })],
    })
    const err = await rejection(g.start())
    expect(isCodedError(err, 'CORE_ERR_PLUGIN_REQUIRED_FAILED')).toBe(true)
    expect(log).toContain('stop:good')
  })

  it('refuses an async register()', async () => {
    const g = await gw({ plugins: [plugin('a', { register: (async () => {}) as never })] })
    expect(g.plugins[0]?.error?.code).toBe('CORE_ERR_PLUGIN_REGISTER_ASYNC')
  })

  it('disables plugins by entries, deny and allow, without running them', async () => {
    const log: string[] = []
    const g = await gw({
      config: { plugins: { entries: { a: { enabled: false } }, deny: ['b'], allow: ['a', 'b', 'd'] } },
      plugins: [plugin('a', {}, log), plugin('b', {}, log), plugin('c', {}, log), plugin('d', {}, log)],
    })
    const states = Object.fromEntries(g.plugins.map((p) => [p.id, [p.state, p.error?.message]]))
    expect(states).toEqual({
      a: ['disabled', 'plugins.entries.a.enabled is false'],
      b: ['disabled', 'denied by plugins.deny'],
      c: ['disabled', 'not in plugins.allow'],
      d: ['loaded', undefined],
    })
    expect(log).toEqual(['register:d'])
  })

  it('refuses a plugin that depends on a disabled one', async () => {
    const err = await rejection(gw({ config: { plugins: { deny: ['a'] } }, plugins: [plugin('a'), plugin('b', { dependsOn: ['a'] })] }))
    expect(isCodedError(err, 'CORE_ERR_PLUGIN_DEPENDENCY_DISABLED')).toBe(true)
  })

  it("validates each plugin's config before register, listing every bad path with the core's", async () => {
    const log: string[] = []
    const err = await rejection(
      gw({
        config: { gateway: {}, logging: { level: 'loud' }, plugins: { entries: { tg: { config: { token: 5 } } } } },
        plugins: [plugin('tg', { config: z.object({ token: z.string(), mode: z.enum(['poll', 'hook']) }) }, log)],
      }),
    )
    expect(isCodedError(err, 'CORE_ERR_CONFIG_INVALID')).toBe(true)
    expect(err.message).toContain('logging.level')
    expect(err.message).toContain('plugins.entries.tg.config.token: Invalid input: expected string, received number (found a value (hidden))')
    expect(err.message).toContain('plugins.entries.tg.config.mode')
    expect(log).toEqual([])
  })

  it('gives a plugin its validated config, from its configKey', async () => {
    let seen: unknown
    await gw({
      config: { channels: { telegram: { token: 't' } } },
      plugins: [plugin('channel:telegram', { configKey: 'channels.telegram', config: z.object({ token: z.string(), path: z.string().default('/tg') }), register: (api) => void (seen = api.config) })],
    })
    expect(seen).toEqual({ token: 't', path: '/tg' })
  })

  it("hands a plugin the environment variables it declared, from createGateway's env, and no others", async () => {
    const seen: Record<string, unknown>[] = []
    process.env.OPENCLAW_TEST_FROM_PROCESS = 'process-value'
    try {
      await gw({
        env: { TELEGRAM_BOT_TOKEN: '1:abc', OPENCLAW_GATEWAY_TOKEN: 'secret', EMPTY: '' },
        plugins: [
          plugin('reads', { env: ['TELEGRAM_BOT_TOKEN', 'EMPTY', 'OPENCLAW_TEST_FROM_PROCESS'], register: (api) => void seen.push(api.env) }),
          plugin('declares-nothing', { register: (api) => void seen.push(api.env) }),
        ],
      })
    } finally {
      delete process.env.OPENCLAW_TEST_FROM_PROCESS
    }
    expect(seen).toEqual([{ TELEGRAM_BOT_TOKEN: '1:abc' }, {}])
    expect(Object.isFrozen(seen[0])).toBe(true)
  })

  it("refuses an 'env' that is not a list of variable names", async () => {
    const err = await rejection(gw({ plugins: [plugin('bad', { env: ['NOT A NAME'] })] }))
    expect(err).toMatchObject({ code: 'CORE_ERR_PLUGIN_INVALID', message: expect.stringContaining("'env' must be an array of environment variable names") })
  })

  it('closes the registration API once register() returns', async () => {
    let api: Parameters<PluginDefinition['register']>[0] | undefined
    const g = await gw({ plugins: [plugin('late', { register: (a) => void (api = a) })] })
    await g.start()
    expect(() => api!.tools.register({ name: 't', description: 'd', parameters: {}, execute: () => 1 })).toThrowError(/after register\(\) returned/)
    await g.stop()
  })

  it('reports a duplicate tool naming both plugins', async () => {
    const tool = { name: 'same', description: 'd', parameters: {}, execute: () => 1 }
    const g = await gw({ plugins: [plugin('a', { register: (api) => api.tools.register(tool) }), plugin('b', { register: (api) => api.tools.register(tool) })] })
    expect(g.plugins.find((p) => p.id === 'b')?.error?.message).toContain("Tool 'same' from plugin 'b' is already registered by plugin 'a'")
  })

  it('stop() is idempotent and gives each plugin a bounded time', async () => {
    const log: string[] = []
    const g = await gw({
      config: { plugins: { stopTimeoutMs: 50 } },
      plugins: [plugin('quick', {}, log), plugin('stuck', { stop: () => new Promise(() => {}) })],
    })
    await g.start()
    const t0 = Date.now()
    await Promise.all([g.stop(), g.stop()])
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(g.plugins.find((p) => p.id === 'stuck')?.error?.code).toBe('CORE_ERR_PLUGIN_STOP_TIMEOUT')
    expect(log.filter((l) => l === 'stop:quick')).toHaveLength(1)
    expect(g.state).toBe('stopped')
  })
})

describe('plugins from disk', () => {
  function writePlugin(dir: string, manifest: Record<string, unknown>, code: string): void {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'openclaw.plugin.json'), JSON.stringify({ entry: 'index.mjs', version: '1.0.0', ...manifest }))
    writeFileSync(join(dir, 'index.mjs'), code)
  }

  it('loads a plugin folder from plugins.load.paths and from <stateDir>/extensions', async () => {
    const stateDir = tmp()
    const own = join(tmp(), 'hello')
    writePlugin(own, { id: 'tool:hello' }, `export default { id: 'tool:hello', version: '1.0.0', register(api) { api.tools.register({ name: 'hello', description: 'd', parameters: {}, execute: () => 'hi' }) } }`)
    writePlugin(join(stateDir, 'extensions', 'node_modules', '@acme', 'x'), { id: 'acme:x' }, `export default () => ({ id: 'acme:x', version: '1.0.0', register() {} })`)
    const g = await gw({ stateDir, config: { plugins: { load: { paths: [own] } } } })
    expect(g.plugins.map((p) => [p.id, p.state])).toEqual([['tool:hello', 'loaded'], ['acme:x', 'loaded']])
    expect(g.registry.tools.owner('hello')).toBe('tool:hello')
  })

  it('validates config against the manifest before the plugin code runs', async () => {
    const dir = join(tmp(), 'p')
    const marker = join(dir, 'ran')
    writePlugin(
      dir,
      { id: 'p', configSchema: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'], additionalProperties: false } },
      `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'x'); export default { id: 'p', version: '1.0.0', register() {} }`,
    )
    const err = await rejection(gw({ config: { plugins: { load: { paths: [dir] }, entries: { p: { config: { url: 1 } } } } } }))
    expect(err.message).toContain('plugins.entries.p.config.url')
    expect(existsSync(marker)).toBe(false)
  })

  it('marks a plugin with a broken manifest failed, and keeps going', async () => {
    const root = tmp()
    mkdirSync(join(root, 'broken'))
    writeFileSync(join(root, 'broken', 'openclaw.plugin.json'), '{ id: ')
    writePlugin(join(root, 'fine'), { id: 'fine' }, `export default { id: 'fine', version: '1.0.0', register() {} }`)
    const g = await gw({ config: { plugins: { load: { paths: [root] } } } })
    expect(g.plugins.find((p) => p.id === 'invalid:broken')?.error?.code).toBe('CORE_ERR_PLUGIN_MANIFEST_INVALID')
    expect(g.plugins.find((p) => p.id === 'fine')?.state).toBe('loaded')
  })

  it('marks a plugin whose entry throws on import failed', async () => {
    const dir = join(tmp(), 'boom')
    writePlugin(dir, { id: 'boom' }, `throw new Error('import-time failure')`)
    const g = await gw({ config: { plugins: { load: { paths: [dir] } } } })
    expect(g.plugins[0]).toMatchObject({ state: 'failed', error: { code: 'CORE_ERR_PLUGIN_ENTRY_LOAD' } })
  })
})
