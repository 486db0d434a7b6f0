import type { GatewayRuntime } from '@openclaw/plugin-sdk'
import type { RpcConfig } from './rpc-config.js'
import type { RpcServerStats } from './rpc-server.js'
import type { RunTracker } from './run-tracker.js'

/** What this plugin's own RPC methods need: the runtime, the runs they follow, the limits. */
export interface RpcMethodDeps {
  readonly gateway: GatewayRuntime
  readonly tracker: RunTracker
  readonly config: RpcConfig
  /** When the plugin registered (epoch ms), for uptimes. */
  readonly startedAt: number
  /** Connection counters; zeros before the server runs. */
  stats(): RpcServerStats
  /** The scheduler's wake (`Tokens.Wake`) when the `cron` plugin is loaded. */
  wakeService(): { wake(request: { text: string; mode: 'now' | 'next-heartbeat'; agentId?: string; sessionKey?: string; source: string }): Promise<{ sessionKey: string; runId?: string }> } | undefined
}
