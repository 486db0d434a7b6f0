import type { IncomingHttpHeaders } from 'node:http'
import type { RouteReply } from '@openclaw/plugin-sdk'

export const SESSION_KEY_HEADER = 'x-openclaw-session-key'
export const AGENT_ID_HEADER = 'x-openclaw-agent-id'

/** Characters a header value carries as they are: printable ASCII and space. */
const OUTSIDE_HEADER_TEXT = /[^\x20-\x7e]+/g
/** A percent-encoded multi-byte UTF-8 sequence: a lead byte C2–F4, then continuation bytes 80–BF. */
const ENCODED_UTF8 = /%(?:[cC][2-9a-fA-F]|[dDeE][0-9a-fA-F]|[fF][0-4])(?:%[89abAB][0-9a-fA-F])+/g
const RAW_HIGH_BYTES = /[\x80-\xff]/

const percentEncode = (text: string): string => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')

/**
 * A session key as a response header value. Header values are bytes, and Node refuses characters
 * above U+00FF in them, so everything outside printable ASCII (a `user` of `李雷`, `José`, an emoji) is
 * percent-encoded as UTF-8: `agent:main:openai-user:%E6%9D%8E%E9%9B%B7`. {@link sessionKeyFromHeaders}
 * reads that form back, so a client can send the header it was given.
 */
export function toSessionKeyHeader(key: string): string {
  return key.replace(OUTSIDE_HEADER_TEXT, percentEncode)
}

/** The `x-openclaw-agent-id` and `x-openclaw-session-key` headers of a run's response. */
export function sessionHeaders(session: { readonly agentId: string; readonly sessionKey: string }): Record<string, string> {
  return { [AGENT_ID_HEADER]: toSessionKeyHeader(session.agentId), [SESSION_KEY_HEADER]: toSessionKeyHeader(session.sessionKey) }
}

/** Set {@link sessionHeaders} on a reply. */
export function setSessionHeaders(reply: RouteReply, session: { readonly agentId: string; readonly sessionKey: string }): void {
  for (const [name, value] of Object.entries(sessionHeaders(session))) reply.header(name, value)
}

/**
 * The session key a request asks for, if any: the first `x-openclaw-session-key`, trimmed. Clients
 * send non-ASCII either as raw UTF-8 (which Node reads as Latin-1: it is decoded again here) or
 * percent-encoded as {@link toSessionKeyHeader} writes it.
 */
export function sessionKeyFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const value = headers[SESSION_KEY_HEADER]
  let key = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!key) return undefined
  if (RAW_HIGH_BYTES.test(key)) {
    const utf8 = Buffer.from(key, 'latin1').toString('utf8')
    if (!utf8.includes('\uFFFD')) key = utf8
  }
  return key.replace(ENCODED_UTF8, (run) => {
    const decoded = Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8')
    return decoded.includes('\uFFFD') ? run : decoded
  })
}
