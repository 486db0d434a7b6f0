import { z } from 'zod'
import type { SessionStore } from '../sessions/session-store.js'
import type { ToolDefinition } from '../types/tools.js'

/** Tools every gateway has: look at sessions and their history. */
export function createCoreTools(sessions: SessionStore): ToolDefinition[] {
  const sessionsList: ToolDefinition<{ agentId?: string | undefined; limit: number; cursor?: string | undefined }> = {
    name: 'sessions_list',
    description: 'List sessions (key, agent, message count, last update). Pages with cursor.',
    parameters: z.strictObject({
      agentId: z.string().optional(),
      limit: z.number().int().min(1).max(200).default(20),
      cursor: z.string().optional(),
    }),
    execute: (args) => sessions.list(args),
  }
  const sessionsHistory: ToolDefinition<{ sessionKey?: string | undefined; limit: number; cursor?: string | undefined }> = {
    name: 'sessions_history',
    description: "Read a session's transcript, newest first. Defaults to the current session.",
    parameters: z.strictObject({
      sessionKey: z.string().optional(),
      limit: z.number().int().min(1).max(200).default(20),
      cursor: z.string().optional(),
    }),
    execute: (args, ctx) => {
      const key = (args.sessionKey ?? ctx.sessionKey ?? '').toLowerCase()
      return sessions.history(key, { order: 'desc', limit: args.limit, ...(args.cursor ? { cursor: args.cursor } : {}) })
    },
  }
  const sessionStatus: ToolDefinition<{ sessionKey?: string | undefined }> = {
    name: 'session_status',
    description: 'Status of a session (defaults to the current one): agent, message count, created and updated times, last delivery route.',
    parameters: z.strictObject({ sessionKey: z.string().optional() }),
    execute: async (args, ctx) => {
      const key = (args.sessionKey ?? ctx.sessionKey ?? '').toLowerCase()
      return (await sessions.get(key)) ?? { key, exists: false }
    },
  }
  return [sessionsList, sessionsHistory, sessionStatus] as ToolDefinition[]
}
