import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import type { RpcMethodDeps } from './rpc-method-deps.js'

const StatusParams = z.strictObject({})

/** `status {}` → a summary of the gateway: version, uptime, agents, channels, plugins and RPC counters. */
export function createStatusMethod(deps: RpcMethodDeps): RpcMethodDefinition<z.output<typeof StatusParams>, object> {
  const { gateway } = deps
  return {
    name: 'status',
    description: 'Gateway status summary',
    params: StatusParams,
    handler() {
      const now = Date.now()
      return {
        ok: gateway.isReady(),
        version: gateway.version,
        uptimeMs: now - deps.startedAt,
        ts: now,
        agents: gateway.agent.agentIds(),
        channels: gateway.registry.channels.keys().map((id) => ({ id, accounts: gateway.channels.status().filter((a) => a.channel === id) })),
        plugins: gateway.plugins.map((p) => ({ id: p.id, version: p.version, state: p.state, ...(p.error ? { error: { code: p.error.code, message: p.error.message } } : {}) })),
        rpc: { ...deps.stats(), activeRuns: deps.tracker.size, methods: gateway.registry.rpcMethods.keys().length },
      }
    },
  }
}
