/** The reply that means "nothing to deliver". */
export const NO_REPLY = 'NO_REPLY'
/** A heartbeat's "nothing needs attention". */
export const HEARTBEAT_OK = 'HEARTBEAT_OK'
/** What is left of a reply may be at most this long for a leading or trailing HEARTBEAT_OK to drop it. */
const HEARTBEAT_ACK_MAX_CHARS = 300

/**
 * The text to deliver, or `undefined` when the reply is silent: `NO_REPLY` alone, or `HEARTBEAT_OK`
 * at the start or end of a reply whose rest is at most 300 characters (OpenClaw's rule).
 */
export function deliverableText(reply: string): string | undefined {
  const text = reply.trim()
  if (text === '' || text === NO_REPLY) return undefined
  for (const token of [HEARTBEAT_OK, NO_REPLY]) {
    if (text.startsWith(token) || text.endsWith(token)) {
      const rest = (text.startsWith(token) ? text.slice(token.length) : text.slice(0, -token.length)).trim()
      if (rest.length <= HEARTBEAT_ACK_MAX_CHARS) return undefined
    }
  }
  return text
}
