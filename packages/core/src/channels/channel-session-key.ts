import type { ChannelChat } from '../types/channel-events.js'

/** How direct chats map to sessions (OpenClaw's `session.dmScope`). */
export type DmScope = 'main' | 'per-peer' | 'per-channel-peer' | 'per-account-channel-peer'
/** How groups map to sessions (OpenClaw's `session.groupScope`). */
export type GroupScope = 'per-group' | 'main'

export interface ChannelSessionKeyInput {
  readonly agentId: string
  readonly channel: string
  readonly accountId?: string | undefined
  readonly chat: ChannelChat
  /** The sender: a direct chat's peer is its sender when the channel gives no chat id of its own. */
  readonly senderId?: string | undefined
  readonly threadId?: string | undefined
  readonly dmScope?: DmScope | undefined
  readonly groupScope?: GroupScope | undefined
}

/** Characters a key segment keeps; `:` separates segments, so it (and whitespace) is escaped. */
function segment(value: string): string {
  const v = value.trim().toLowerCase()
  return v === '' ? 'unknown' : v.replace(/[\s:%]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/**
 * The session an event belongs to, in OpenClaw's grammar (lowercase):
 * - direct: `agent:<id>:<channel>:direct:<peer>` (`per-channel-peer`, the default here),
 *   `agent:<id>:direct:<peer>` (`per-peer`), `agent:<id>:<channel>:<account>:direct:<peer>`
 *   (`per-account-channel-peer`) or `agent:<id>:main` (`main`);
 * - group: `agent:<id>:<channel>:group:<id>`, a room `…:channel:<id>`, a topic `…:group:<id>:topic:<n>`;
 * - a thread inside any of them appends `:thread:<id>`.
 */
export function channelSessionKey(input: ChannelSessionKeyInput): string {
  const agent = segment(input.agentId)
  const channel = segment(input.channel)
  const thread = input.threadId ? `:thread:${segment(input.threadId)}` : ''
  const { chat } = input
  if (chat.kind === 'direct') {
    const peer = segment(input.senderId ?? chat.id)
    const scope = input.dmScope ?? 'per-channel-peer'
    if (scope === 'main') return `agent:${agent}:main${thread}`
    if (scope === 'per-peer') return `agent:${agent}:direct:${peer}${thread}`
    if (scope === 'per-account-channel-peer') return `agent:${agent}:${channel}:${segment(input.accountId ?? 'default')}:direct:${peer}${thread}`
    return `agent:${agent}:${channel}:direct:${peer}${thread}`
  }
  if (input.groupScope === 'main') return `agent:${agent}:main${thread}`
  if (chat.kind === 'topic') return `agent:${agent}:${channel}:group:${segment(chat.id)}:topic:${segment(chat.topicId ?? 'general')}${thread}`
  return `agent:${agent}:${channel}:${chat.kind}:${segment(chat.id)}${thread}`
}
