import { isCodedError, type RouteReply } from '@openclaw/plugin-sdk'
import type { ZodError } from 'zod'

/** OpenClaw's webhook error body: `{ ok: false, error: "<message>" }`, plus our coded error's `code` when there is one. */
export function hookErrorBody(message: string, code?: string): { ok: false; error: string; code?: string } {
  return { ok: false, error: message, ...(code !== undefined ? { code } : {}) }
}

/** Answer a webhook with `{ ok: false, error: "<message>" }`. */
export function replyError(reply: RouteReply, statusCode: number, message: string, code?: string): RouteReply {
  return reply.code(statusCode).send(hookErrorBody(message, code))
}

/** `formatError` of the webhook routes: what the HTTP server answers for them (bad JSON, 413, 401…) in the same shape. */
export function formatHookError(error: { readonly code: string; readonly message: string }): unknown {
  return hookErrorBody(error.message, error.code)
}

/** Answer a body that failed its schema with 400, naming each bad field. */
export function replyInvalidBody(reply: RouteReply, error: ZodError): RouteReply {
  const message = error.issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : 'body'}: ${i.message}`).join('; ')
  return replyError(reply, 400, message)
}

/**
 * Answer a coded error the plugin or the agent runtime raised with its 4xx/503 status; anything
 * else is rethrown for the server to answer 500 (and log).
 */
export function replyCodedError(reply: RouteReply, err: unknown): RouteReply {
  if (isCodedError(err) && err.statusCode !== undefined && ((err.statusCode >= 400 && err.statusCode < 500) || err.statusCode === 503)) {
    return replyError(reply, err.statusCode, err.message, err.code)
  }
  throw err
}
