import type { AgentRunOptions, RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { callOf, RESPONDED } from './call-context.js'
import { RPC_ERR_CHANNEL_INVALID, RPC_ERR_DELIVERY_TARGET } from './errors.js'
import type { RpcMethodDeps } from './rpc-method-deps.js'
import { ThinkingParam } from './thinking-param.js'

const AgentParams = z.strictObject({
  message: z.string(),
  /** Required: the run's id for clients, and the guarantee that a retry never runs twice. */
  idempotencyKey: z.string().min(1).max(256),
  agentId: z.string().min(1).max(64).optional(),
  sessionKey: z.string().min(1).max(512).optional(),
  /** Delivery target; an `agent:` key here is taken as the session key. */
  to: z.string().min(1).max(512).optional(),
  channel: z.string().min(1).max(128).optional(),
  accountId: z.string().min(1).max(256).optional(),
  threadId: z.union([z.string().min(1).max(256), z.number()]).optional(),
  thinking: ThinkingParam.optional(),
  deliver: z.boolean().optional(),
  /** With `deliver`, a missing target is not an error: the reply is just not delivered. */
  bestEffortDeliver: z.boolean().optional(),
  /** Seconds; 0 or absent = the agent's default. */
  timeout: z.number().min(0).max(172_800).optional(),
  /** `provider/model` override. */
  model: z.string().min(3).max(256).optional(),
  extraSystemPrompt: z.string().max(100_000).optional(),
  label: z.string().max(256).optional(),
  /**
   * OpenClaw's session id (`openclaw agent --session-id`). Sessions here are known by key alone, so it
   * selects the session keyed by it (`agent:<agentId>:<sessionId>`, a bare key scoped to the agent)
   * when `sessionKey` is left out.
   */
  sessionId: z.string().min(1).max(256).optional(),
  /** OpenClaw's delivery overrides: where the reply goes, when they are set (they win over `channel`/`to`/`accountId`). */
  replyTo: z.string().min(1).max(512).optional(),
  replyChannel: z.string().min(1).max(128).optional(),
  replyAccountId: z.string().min(1).max(256).optional(),
  /** Accepted for OpenClaw's clients; each changes nothing here (docs/rpc.md says why). */
  provider: z.string().min(1).max(128).optional(),
  lane: z.string().min(1).max(128).optional(),
  promptMode: z.enum(['full', 'minimal', 'none']).optional(),
  attachments: z.array(z.unknown()).max(0, 'attachments are not supported over RPC agent yet').optional(),
})

type AgentParams = z.output<typeof AgentParams>

/** The kernel run options for `agent` params; throws coded errors for unknown channels and missing targets. */
async function runOptions(deps: RpcMethodDeps, params: AgentParams, clientId: string): Promise<AgentRunOptions> {
  const { gateway } = deps
  const target = params.replyTo ?? params.to
  const channel = params.replyChannel ?? params.channel
  const accountId = params.replyAccountId ?? params.accountId
  const toIsSession = target?.startsWith('agent:') === true
  const sessionKey = params.sessionKey ?? (toIsSession ? target : undefined) ?? params.sessionId
  const to = toIsSession ? undefined : target
  if (channel !== undefined && !gateway.registry.channels.has(channel)) {
    throw new RPC_ERR_CHANNEL_INVALID(`'${channel}' is not installed (installed: ${gateway.registry.channels.keys().join(', ') || 'none'})`)
  }
  let deliver: AgentRunOptions['deliver']
  if (params.deliver === true) {
    if (channel !== undefined && to !== undefined) {
      deliver = {
        channel,
        to,
        ...(accountId ? { accountId } : {}),
        ...(params.threadId !== undefined ? { threadId: String(params.threadId) } : {}),
      }
    } else {
      const resolved = gateway.agent.resolveSessionKey({ ...(params.agentId ? { agentId: params.agentId } : {}), ...(sessionKey ? { sessionKey } : {}) })
      if ((await gateway.sessions.get(resolved.sessionKey))?.lastRoute) deliver = true
      else if (params.bestEffortDeliver !== true) throw new RPC_ERR_DELIVERY_TARGET(resolved.sessionKey)
    }
  }
  return {
    message: params.message,
    idempotencyKey: params.idempotencyKey,
    ...(params.agentId ? { agentId: params.agentId } : {}),
    ...(sessionKey ? { sessionKey } : {}),
    ...(params.thinking ? { thinking: params.thinking } : {}),
    ...(params.timeout ? { timeoutMs: Math.max(1, Math.round(params.timeout * 1000)) } : {}),
    ...(params.model ? { model: params.model } : {}),
    ...(params.extraSystemPrompt ? { instructions: params.extraSystemPrompt } : {}),
    ...(deliver !== undefined ? { deliver } : {}),
    origin: { channel: 'rpc', peer: clientId },
  }
}

/**
 * `agent`: run an agent turn. Answers twice on the request id: at once `{ runId, status: 'accepted' }`
 * (`'in_flight'` for a duplicate of a running key), then, after the `agent` events, the final
 * `{ runId, status, summary, result }`. A key whose run already finished gets only the final answer,
 * from the kernel's store: the same key never runs twice.
 */
export function createAgentMethod(deps: RpcMethodDeps): RpcMethodDefinition<AgentParams, unknown> {
  return {
    name: 'agent',
    description: 'Run an agent turn; acknowledges at once, streams agent events, then answers with the result',
    params: AgentParams,
    async handler(params, ctx) {
      const { connection, id } = callOf(ctx)
      const { broadcast, admission } = await deps.tracker.begin(await runOptions(deps, params, ctx.client.id))
      const ack = (status: 'accepted' | 'in_flight') =>
        JSON.stringify({ runId: broadcast.runId, sessionKey: broadcast.sessionKey, agentId: broadcast.agentId, status, acceptedAt: broadcast.acceptedAt })
      if (admission === 'joined') {
        // Answer before subscribing: the ack must precede this connection's first event of the run.
        connection.sendOk(id, ack('in_flight'))
        broadcast.addAgentSubscriber(connection, id)
        return RESPONDED
      }
      broadcast.addAgentSubscriber(connection, id)
      return broadcast.storedResult().then((stored) => {
        if (stored) broadcast.finishStored(stored)
        else {
          connection.sendOk(id, ack('accepted'))
          broadcast.start()
        }
        return RESPONDED
      })
    },
  }
}
