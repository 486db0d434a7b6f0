import type { PluginApi, RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import createRpc, { PLUGIN_NAME, RpcConfigSchema } from './index.js'
import type { RpcConfig } from './rpc-config.js'

const rpc = createRpc()

/** Just enough of a PluginApi for register(): what it registers is recorded. */
function fakeApi(): { api: PluginApi<RpcConfig>; methods: RpcMethodDefinition[]; upgrades: string[] } {
  const methods: RpcMethodDefinition[] = []
  const upgrades: string[] = []
  const api = {
    id: PLUGIN_NAME,
    config: RpcConfigSchema.parse({}),
    log: { info() {}, warn() {}, error() {}, debug() {} },
    gateway: { agent: {} },
    rpc: { method: (m: RpcMethodDefinition) => methods.push(m) },
    http: { upgrade: (u: { path: string }) => upgrades.push(u.path), route() {} },
  }
  return { api: api as unknown as PluginApi<RpcConfig>, methods, upgrades }
}

describe('rpc plugin', () => {
  it('should declare a surface plugin at gateway.rpc that needs core:http', () => {
    expect(rpc).toMatchObject({ id: 'rpc', kind: 'surface', configKey: 'gateway.rpc', dependsOn: ['core:http'] })
    expect(rpc.config).toBe(RpcConfigSchema)
  })

  it('should register its methods through api.rpc.method and upgrades on / and /ws, synchronously', () => {
    const { api, methods, upgrades } = fakeApi()
    const returned: unknown = rpc.register(api)
    expect(returned).toBeUndefined()
    expect(upgrades).toEqual(['/', '/ws'])
    expect(methods.map((m) => m.name)).toEqual([
      'health', 'status', 'agent', 'agent.wait', 'send', 'message.action', 'wake', 'chat.send', 'chat.history', 'chat.abort',
      'sessions.list', 'sessions.reset', 'sessions.delete', 'tools.invoke', 'models.list',
      'channels.status', 'deliveries.list', 'deliveries.retry', 'deliveries.drop', 'pairing.list', 'pairing.approve', 'inbox.list',
    ])
    for (const method of methods) expect(method.params, method.name).toBeDefined()
  })
})
