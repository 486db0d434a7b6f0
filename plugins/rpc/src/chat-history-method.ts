import type { RpcMethodDefinition, TranscriptEntry } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import type { RpcMethodDeps } from './rpc-method-deps.js'

const DEFAULT_LIMIT = 200

const ChatHistoryParams = z.strictObject({
  sessionKey: z.string().min(1).max(512),
  agentId: z.string().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  /** `nextCursor` of the previous page: older messages. */
  cursor: z.string().min(1).max(64).optional(),
})

/** A transcript entry as a chat message: `{ role, content: [{ type: 'text', text }], timestamp, … }`. */
function messageOf(entry: TranscriptEntry): object {
  const base = { seq: entry.seq, timestamp: entry.at, content: entry.text === '' ? [] : [{ type: 'text', text: entry.text }], ...(entry.runId ? { runId: entry.runId } : {}) }
  switch (entry.role) {
    case 'user':
      return { role: 'user', ...base, ...(entry.attachments ? { attachments: entry.attachments } : {}) }
    case 'assistant':
      return { role: 'assistant', ...base, ...(entry.toolCalls ? { toolCalls: entry.toolCalls } : {}), ...(entry.model ? { model: entry.model } : {}) }
    case 'tool':
      return { role: 'toolResult', ...base, toolCallId: entry.toolCallId, toolName: entry.name, ...(entry.isError ? { isError: true } : {}) }
    default:
      return { role: 'system', ...base }
  }
}

/**
 * `chat.history {sessionKey, limit?, cursor?}` → `{ sessionKey, messages, hasMore, nextCursor? }`:
 * the newest `limit` messages, oldest first. An unknown session has no messages.
 */
export function createChatHistoryMethod(deps: RpcMethodDeps): RpcMethodDefinition<z.output<typeof ChatHistoryParams>, object> {
  const { gateway } = deps
  return {
    name: 'chat.history',
    description: "A session's recent messages",
    params: ChatHistoryParams,
    async handler(params) {
      const { sessionKey } = gateway.agent.resolveSessionKey({ sessionKey: params.sessionKey, ...(params.agentId ? { agentId: params.agentId } : {}) })
      const [page, info] = await Promise.all([gateway.sessions.history(sessionKey, { order: 'desc', limit: params.limit ?? DEFAULT_LIMIT, ...(params.cursor ? { cursor: params.cursor } : {}) }), gateway.sessions.get(sessionKey)])
      const messages = page.items.map(messageOf).reverse()
      const active = deps.tracker.activeInSession(sessionKey)
      return {
        sessionKey,
        messages,
        hasMore: page.nextCursor !== undefined,
        ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
        sessionInfo: info ?? null,
        ...(active.length > 0 ? { inFlightRun: { runId: active[0]!.runId } } : {}),
      }
    },
  }
}
