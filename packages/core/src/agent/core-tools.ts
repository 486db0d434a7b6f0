import { z } from 'zod'
import type { GatewayConfig } from '../config/config-schema.js'
import { CORE_ERR_TOOL_DENIED } from '../errors/codes.js'
import { resolveSessionKey } from '../sessions/session-key.js'
import type { SessionStore } from '../sessions/session-store.js'
import type { ToolContext, ToolDefinition } from '../types/tools.js'

type SessionToolsSettings = GatewayConfig['session']['tools']

/**
 * What the session tools may see from the calling session: `own` when the config limits them
 * (`session.tools.visibility`, or `hooksVisibility` for a session a webhook created), else `all`.
 * A model can otherwise read any session's transcript: a path for prompt injection between sessions.
 */
async function visibilityOf(sessions: SessionStore, settings: SessionToolsSettings, ctx: ToolContext): Promise<'all' | 'own'> {
  const origin = ctx.sessionKey !== undefined ? (await sessions.get(ctx.sessionKey))?.origin : undefined
  return origin?.channel === 'hooks' ? settings.hooksVisibility : settings.visibility
}

/** The session a tool call asks about, normalised like every session key (its own when none). */
function targetKey(requested: string | undefined, ctx: ToolContext): string {
  if (requested === undefined) return ctx.sessionKey ?? ''
  try {
    return resolveSessionKey({ ...(ctx.agentId ? { agentId: ctx.agentId } : {}), sessionKey: requested }).sessionKey
  } catch {
    return requested.toLowerCase()
  }
}

async function refuseOthers(tool: string, key: string, ctx: ToolContext, sessions: SessionStore, settings: SessionToolsSettings): Promise<void> {
  if (key === ctx.sessionKey || (await visibilityOf(sessions, settings, ctx)) === 'all') return
  throw new CORE_ERR_TOOL_DENIED(tool, 'session tools see only the current session here (session.tools.visibility / hooksVisibility is "own")')
}

/** Tools every gateway has: look at sessions and their history, as far as `session.tools` allows. */
export function createCoreTools(sessions: SessionStore, settings: SessionToolsSettings = { visibility: 'all', hooksVisibility: 'own' }): ToolDefinition[] {
  const sessionsList: ToolDefinition<{ agentId?: string | undefined; limit: number; cursor?: string | undefined }> = {
    name: 'sessions_list',
    description: 'List sessions (key, agent, message count, last update). Pages with cursor.',
    parameters: z.strictObject({
      agentId: z.string().optional(),
      limit: z.number().int().min(1).max(200).default(20),
      cursor: z.string().optional(),
    }),
    execute: async (args, ctx) => {
      if ((await visibilityOf(sessions, settings, ctx)) === 'own') {
        const own = ctx.sessionKey !== undefined ? await sessions.get(ctx.sessionKey) : undefined
        return { items: own ? [own] : [] }
      }
      return sessions.list(args)
    },
  }
  const sessionsHistory: ToolDefinition<{ sessionKey?: string | undefined; limit: number; cursor?: string | undefined }> = {
    name: 'sessions_history',
    description: "Read a session's transcript, newest first. Defaults to the current session.",
    parameters: z.strictObject({
      sessionKey: z.string().optional(),
      limit: z.number().int().min(1).max(200).default(20),
      cursor: z.string().optional(),
    }),
    execute: async (args, ctx) => {
      const key = targetKey(args.sessionKey, ctx)
      await refuseOthers('sessions_history', key, ctx, sessions, settings)
      return sessions.history(key, { order: 'desc', limit: args.limit, ...(args.cursor ? { cursor: args.cursor } : {}) })
    },
  }
  const sessionStatus: ToolDefinition<{ sessionKey?: string | undefined }> = {
    name: 'session_status',
    description: 'Status of a session (defaults to the current one): agent, message count, created and updated times, last delivery route.',
    parameters: z.strictObject({ sessionKey: z.string().optional() }),
    execute: async (args, ctx) => {
      const key = targetKey(args.sessionKey, ctx)
      await refuseOthers('session_status', key, ctx, sessions, settings)
      return (await sessions.get(key)) ?? { key, exists: false }
    },
  }
  return [sessionsList, sessionsHistory, sessionStatus] as ToolDefinition[]
}
