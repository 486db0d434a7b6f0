import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { callOf, RESPONDED } from './call-context.js'
import type { RpcMethodDeps } from './rpc-method-deps.js'
import { RunPayloads } from './run-payloads.js'
import { ThinkingParam } from './thinking-param.js'

const ChatSendParams = z.strictObject({
  sessionKey: z.string().min(1).max(512),
  message: z.string().max(1_000_000),
  idempotencyKey: z.string().min(1).max(256),
  agentId: z.string().min(1).max(64).optional(),
  thinking: ThinkingParam.optional(),
  /** Deliver the reply to the session's last route too. */
  deliver: z.boolean().optional(),
  timeoutMs: z.number().int().positive().max(172_800_000).optional(),
})

/**
 * `chat.send`: a chat turn in a session. Answers `{ runId, status: 'started' }` at once
 * (`'in_flight'` for a duplicate of a running key); the reply arrives as `chat` events (`delta`,
 * then `final` | `aborted` | `error`). A key whose run finished answers its stored status and a
 * `chat` `final` event with the stored reply; it never runs twice.
 */
export function createChatSendMethod(deps: RpcMethodDeps): RpcMethodDefinition<z.output<typeof ChatSendParams>, unknown> {
  return {
    name: 'chat.send',
    description: 'Send a chat message to a session; the reply streams as chat events',
    params: ChatSendParams,
    async handler(params, ctx) {
      const { connection, id } = callOf(ctx)
      const { broadcast, admission } = await deps.tracker.begin({
        message: params.message,
        sessionKey: params.sessionKey,
        idempotencyKey: params.idempotencyKey,
        ...(params.agentId ? { agentId: params.agentId } : {}),
        ...(params.thinking ? { thinking: params.thinking } : {}),
        ...(params.timeoutMs ? { timeoutMs: params.timeoutMs } : {}),
        ...(params.deliver ? { deliver: true } : {}),
        origin: { channel: 'webchat', peer: ctx.client.id },
      })
      const ack = (status: string) => JSON.stringify({ runId: broadcast.runId, sessionKey: broadcast.sessionKey, status })
      if (admission === 'joined') {
        connection.sendOk(id, ack('in_flight'))
        broadcast.addChatSubscriber(connection)
        return RESPONDED
      }
      broadcast.addChatSubscriber(connection)
      return broadcast.storedResult().then((stored) => {
        if (stored) {
          connection.sendOk(id, ack(RunPayloads.status(stored)))
          broadcast.finishStored(stored)
        } else {
          connection.sendOk(id, ack('started'))
          broadcast.start()
        }
        return RESPONDED
      })
    },
  }
}
