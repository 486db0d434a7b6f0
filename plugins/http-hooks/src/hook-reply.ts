import { isCodedError, type RouteReply } from '@openclaw/plugin-sdk'
import type { ZodError } from 'zod'

const TYPES: Readonly<Record<number, string>> = { 400: 'invalid_request', 429: 'rate_limited', 503: 'unavailable' }

/** Answer a webhook with `{ ok: false, error: { type, message } }`. */
export function replyError(reply: RouteReply, statusCode: number, message: string): RouteReply {
  return reply.code(statusCode).send({ ok: false, error: { type: TYPES[statusCode] ?? 'invalid_request', message } })
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
    return replyError(reply, err.statusCode, err.message)
  }
  throw err
}
