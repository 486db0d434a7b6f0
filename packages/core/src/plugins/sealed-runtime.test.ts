import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Tokens } from '../di/tokens.js'
import { createGateway, type CreateGatewayOptions } from '../gateway.js'
import { createSilentLogger } from '../logging/logger.js'
import type { PluginApi } from './plugin-api.js'
import type { PluginDefinition } from './plugin-definition.js'

function gw(options: CreateGatewayOptions) {
  return createGateway({ stateDir: mkdtempSync(join(tmpdir(), 'openclaw-sealed-')), store: ':memory:', logger: createSilentLogger(), env: {}, config: {}, ...options })
}

/** A plugin that keeps its API for the test to probe. */
function spy(extra: Partial<PluginDefinition> = {}): { plugin: PluginDefinition; api: () => PluginApi } {
  let api: PluginApi | undefined
  return {
    plugin: { id: 'spy', version: '1.0.0', register: (a) => void (api = a), ...extra },
    api: () => api!,
  }
}

const tool = (name: string) => ({ name, description: 'd', parameters: {}, execute: () => 1 })

describe('the sealed runtime (api.gateway)', () => {
  it('is a frozen object of what a plugin may do, not the kernel', async () => {
    const { plugin, api } = spy()
    const g = await gw({ plugins: [plugin] })
    const runtime = api().gateway as unknown as Record<string, unknown>
    expect(runtime).not.toBe(g)
    expect(Object.isFrozen(runtime)).toBe(true)
    for (const part of ['agent', 'sessions', 'tools', 'inbound', 'delivery', 'registry']) expect(Object.isFrozen(runtime[part])).toBe(true)
    // The kernel's own: hooks that can be called, root services, the root store, the lifecycle.
    for (const hidden of ['hooks', 'services', 'store', 'stop', 'start', 'log', 'hookStats', 'checkConfig']) expect(runtime[hidden]).toBeUndefined()
    expect(() => {
      runtime.stop = () => {}
    }).toThrow(TypeError)
    // The agent runner's kernel-only parts (abortAll, toolPolicy) and the session store's writers are not there.
    expect((runtime.agent as Record<string, unknown>).abortAll).toBeUndefined()
    expect((runtime.sessions as Record<string, unknown>).append).toBeUndefined()
    await g.stop()
  })

  it('cannot call a hook, reach root services or stop the gateway', async () => {
    const { plugin, api } = spy()
    const g = await gw({ plugins: [plugin] })
    const a = api()
    expect((a.hooks.agentEnd as unknown as Record<string, unknown>).promise).toBeUndefined()
    expect((a.hooks.agentEnd as unknown as Record<string, unknown>).call).toBeUndefined()
    // Tokens.Gateway resolves to the same sealed object, never the kernel.
    expect(a.services.resolve(Tokens.Gateway)).toBe(a.gateway)
    expect((a.services.resolve(Tokens.Gateway) as unknown as Record<string, unknown>).stop).toBeUndefined()
    await g.start()
    expect(g.state).toBe('started')
    await g.stop()
  })

  it('offers read-only registries that follow what plugins registered', async () => {
    const { plugin, api } = spy({ register: undefined as never })
    let seen: PluginApi | undefined
    plugin.register = (a) => {
      seen = a
      a.tools.register(tool('mine'))
    }
    const g = await gw({ plugins: [plugin] })
    expect(seen!.gateway.registry.tools.has('mine')).toBe(true)
    expect(seen!.gateway.registry.tools.owner('mine')).toBe('spy')
    expect((seen!.gateway.registry.tools as unknown as Record<string, unknown>).add).toBeUndefined()
    expect((seen!.gateway.registry.tools as unknown as Record<string, unknown>).removeOwner).toBeUndefined()
    expect(api).toBeDefined()
    await g.stop()
  })

  it('runs agent turns, lists sessions and reports plugins through the sealed object', async () => {
    const { plugin, api } = spy()
    const g = await gw({ plugins: [plugin] })
    await g.start()
    const runtime = api().gateway
    expect(runtime.plugins.map((p) => [p.id, p.state])).toEqual([['spy', 'started']])
    expect(runtime.isReady()).toBe(true)
    expect(runtime.agent.agentIds()).toEqual(['main'])
    expect(runtime.agent.resolveSessionKey({ sessionKey: 'agent:main:x' })).toEqual({ agentId: 'main', sessionKey: 'agent:main:x' })
    await g.stop()
  })
})

describe('register() closes when it returns', () => {
  it('refuses a registration made in a microtask after register() returned', async () => {
    let late: unknown
    const plugin: PluginDefinition = {
      id: 'late',
      version: '1.0.0',
      register(api) {
        queueMicrotask(() => {
          try {
            api.tools.register(tool('late'))
          } catch (err) {
            late = err
          }
        })
      },
    }
    const g = await gw({ plugins: [plugin] })
    expect(late).toMatchObject({ code: 'CORE_ERR_PLUGIN_API_CLOSED' })
    expect(g.registry.tools.has('late')).toBe(false)
    await g.stop()
  })

  it('drops the taps of a plugin whose register() throws, and keeps those of the others', async () => {
    const fired: string[] = []
    const bad: PluginDefinition = {
      id: 'bad',
      version: '1.0.0',
      register(api) {
        api.hooks.gatewayStart.tap('bad', () => void fired.push('bad'))
        throw new Error('kaboom')
      },
    }
    const good: PluginDefinition = { id: 'good', version: '1.0.0', register: (api) => api.hooks.gatewayStart.tap('good', () => void fired.push('good')) }
    const g = await gw({ plugins: [bad, good] })
    expect(g.hooks.gatewayStart.taps.map((t) => t.name)).toEqual(['good'])
    await g.start()
    expect(fired).toEqual(['good'])
    await g.stop()
  })

  it('holds taps back until register() returns, then adds them in order', async () => {
    let duringRegister = -1
    const plugin: PluginDefinition = {
      id: 'p',
      version: '1.0.0',
      register(api) {
        api.hooks.agentEnd.tap('first', () => {})
        api.hooks.agentEnd.tap('second', () => {})
        duringRegister = api.hooks.agentEnd.isUsed() ? 1 : 0
      },
    }
    const g = await gw({ plugins: [plugin] })
    expect(duringRegister).toBe(0)
    expect(g.hooks.agentEnd.taps.map((t) => t.name)).toEqual(['first', 'second'])
    await g.stop()
  })
})
