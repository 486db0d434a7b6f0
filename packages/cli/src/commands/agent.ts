import type { ThinkingLevel } from '@openclaw/core'
import type { CliIo } from '../cli-io.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'

export interface AgentCommandOptions extends GatewayConnectionOptions {
  /** Run the turn in this process instead of on a running gateway. */
  readonly local?: boolean
  readonly message: string
  readonly agent?: string
  /** A session key (`agent:<id>:<rest>`, or `<rest>` scoped to the agent). */
  readonly sessionId?: string
  readonly thinking?: ThinkingLevel
  /** Seconds; 0 means no limit. Default: `agents.defaults.timeoutSeconds`, else the core's. */
  readonly timeout?: number
  /** Print the run's result as JSON instead of streaming the reply text. */
  readonly json?: boolean
  // ── gateway only ──
  /** Delivery target; an `agent:` key is taken as the session key. */
  readonly to?: string
  /** Delivery channel (with `deliver`). */
  readonly channel?: string
  /** Deliver the reply to `channel`/`to`, or to the session's last route. */
  readonly deliver?: boolean
  /** The run's idempotency key: a repeat never runs twice. Default: a generated one. */
  readonly runId?: string
}

/** `openclaw agent`: one agent turn, embedded (`--local`) or on a running gateway. */
export async function runAgent(options: AgentCommandOptions, io: CliIo): Promise<void> {
  if (options.local) {
    const { runAgentLocal } = await import('./agent-local.js')
    return runAgentLocal(options, io)
  }
  const { runAgentRemote } = await import('./agent-remote.js')
  return runAgentRemote(options, io)
}
