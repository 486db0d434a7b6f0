import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { RPC_ERR_SESSION_NOT_FOUND } from './errors.js'
import type { RpcMethodDeps } from './rpc-method-deps.js'

const ListParams = z.strictObject({
  agentId: z.string().min(1).max(64).optional(),
  /** Only keys starting with this. */
  prefix: z.string().min(1).max(512).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().min(1).max(512).optional(),
})

/** `key` as OpenClaw sends it; `sessionKey` is accepted too. */
const KeyParams = z
  .strictObject({
    key: z.string().min(1).max(512).optional(),
    sessionKey: z.string().min(1).max(512).optional(),
    agentId: z.string().min(1).max(64).optional(),
  })
  .refine((p) => p.key !== undefined || p.sessionKey !== undefined, { message: "'key' is required", path: ['key'] })

type KeyParams = z.output<typeof KeyParams>

/** `sessions.list`, `sessions.reset` (clear the transcript, keep the session) and `sessions.delete`. */
export function createSessionsMethods(deps: RpcMethodDeps): RpcMethodDefinition<never, object>[] {
  const { gateway } = deps
  const keyOf = (params: KeyParams): string =>
    gateway.agent.resolveSessionKey({ sessionKey: (params.key ?? params.sessionKey)!, ...(params.agentId ? { agentId: params.agentId } : {}) }).sessionKey
  const list: RpcMethodDefinition<z.output<typeof ListParams>, object> = {
    name: 'sessions.list',
    description: 'List sessions, by key, a page at a time',
    params: ListParams,
    async handler(params) {
      const page = await gateway.sessions.list({
        ...(params.agentId ? { agentId: params.agentId } : {}),
        ...(params.prefix ? { prefix: params.prefix } : {}),
        ...(params.limit ? { limit: params.limit } : {}),
        ...(params.cursor ? { cursor: params.cursor } : {}),
      })
      return { sessions: page.items, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) }
    },
  }
  const reset: RpcMethodDefinition<KeyParams, object> = {
    name: 'sessions.reset',
    description: "Clear a session's transcript",
    params: KeyParams,
    async handler(params) {
      const key = keyOf(params)
      if (!(await gateway.sessions.reset(key))) throw new RPC_ERR_SESSION_NOT_FOUND(key)
      return { ok: true, key }
    },
  }
  const remove: RpcMethodDefinition<KeyParams, object> = {
    name: 'sessions.delete',
    description: 'Delete a session and its transcript',
    params: KeyParams,
    async handler(params) {
      const key = keyOf(params)
      if (!(await gateway.sessions.delete(key))) throw new RPC_ERR_SESSION_NOT_FOUND(key)
      return { ok: true, key, deleted: true }
    },
  }
  return [list, reset, remove] as unknown as RpcMethodDefinition<never, object>[]
}
