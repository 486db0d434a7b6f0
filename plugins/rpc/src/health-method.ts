import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import type { RpcMethodDeps } from './rpc-method-deps.js'

const HealthParams = z.strictObject({
  /** Also list agents, channels and plugins (slower; for dashboards, not for pingers). */
  probe: z.boolean().optional(),
})

/** `health {probe?}` → `{ ok, ts, durationMs, uptimeMs }` (+ `agents`, `channels`, `plugins` with `probe`). Cheap: pingers call it. */
export function createHealthMethod(deps: RpcMethodDeps): RpcMethodDefinition<z.output<typeof HealthParams>, object> {
  const { gateway } = deps
  return {
    name: 'health',
    description: 'Gateway health snapshot',
    params: HealthParams,
    handler(params) {
      const ts = Date.now()
      if (params.probe !== true) return { ok: gateway.isReady(), ts, durationMs: 0, uptimeMs: ts - deps.startedAt }
      const plugins = gateway.plugins
      return {
        ok: gateway.isReady() && plugins.every((p) => !p.required || p.state === 'started'),
        ts,
        durationMs: Date.now() - ts,
        uptimeMs: ts - deps.startedAt,
        version: gateway.version,
        agents: gateway.agent.agentIds().map((id) => ({ id })),
        channels: gateway.registry.channels.keys().map((id) => ({ id })),
        plugins: plugins.map((p) => ({ id: p.id, state: p.state })),
      }
    },
  }
}
