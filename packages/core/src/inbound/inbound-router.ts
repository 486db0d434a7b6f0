import type { Clock } from '../clock/clock.js'
import { hasTaps, type KernelHooks } from '../hooks/kernel-hooks.js'
import type { Logger } from '../logging/logger.js'
import type { AgentRuntime, InboundOutcome } from '../plugins/plugin-api.js'
import type { SqlStore } from '../store/state-store.js'
import type { InboundMessage } from '../types/messages.js'

/** The session a channel message belongs to: `agent:<agent>:<channel>:<peer kind>:<peer id>[:thread:<id>]`. */
export function sessionKeyFor(message: InboundMessage, agentId: string): string {
  const base = `agent:${agentId}:${message.channel}:${message.peer.kind}:${message.peer.id}`
  return (message.threadId ? `${base}:thread:${message.threadId}` : base).toLowerCase()
}

/**
 * Routes channel messages to agents: de-duplicates by channel and message id, runs the
 * `inboundMessage` and `messageReceived` hooks, then runs the agent with the reply delivered back to
 * where the message came from.
 */
export class InboundRouter {
  constructor(
    private readonly db: SqlStore,
    private readonly hooks: KernelHooks,
    private readonly agent: AgentRuntime,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async receive(original: InboundMessage): Promise<InboundOutcome> {
    const { changes: fresh } = await this.db.run('INSERT INTO core_inbound_seen (channel, message_id, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
      original.channel, original.id, this.clock.now(),
    ])
    if (fresh === 0) return { status: 'duplicate' }
    const message = hasTaps(this.hooks.inboundMessage) ? await this.hooks.inboundMessage.promise(original) : original
    if (message === null) {
      this.log.debug({ channel: original.channel, id: original.id }, 'inbound message dropped by a tap')
      return { status: 'dropped' }
    }
    if (hasTaps(this.hooks.messageReceived)) await this.hooks.messageReceived.promise(message)
    const { agentId, sessionKey } = this.agent.resolveSessionKey({
      ...(message.agentId ? { agentId: message.agentId } : {}),
      sessionKey: message.sessionKey ?? sessionKeyFor(message, message.agentId ?? 'main'),
    })
    const result = await this.agent.run({
      agentId,
      sessionKey,
      message: message.text,
      ...(message.attachments?.length ? { attachments: message.attachments } : {}),
      idempotencyKey: `inbound:${message.channel}:${message.id}`,
      origin: { channel: message.channel, peer: message.peer.id },
      deliver: { channel: message.channel, to: message.peer.id, ...(message.accountId ? { accountId: message.accountId } : {}), ...(message.threadId ? { threadId: message.threadId } : {}) },
    })
    return { status: 'routed', runId: result.runId, sessionKey }
  }
}
