import type { ModelMessage } from '@openclaw/plugin-sdk'
import { OAI_ERR_MISSING_USER_MESSAGE } from './errors.js'
import { withParam } from './openai-error.js'

/** A tool call as an OpenAI client replays it. */
export interface ReplayedToolCall {
  readonly id: string
  readonly name: string
  /** JSON text. */
  readonly arguments: string
}

/** One message of the conversation a request carries, whatever its wire format. `M` is a media part. */
export type ConversationItem<M> =
  | { readonly role: 'user'; readonly text: string; readonly media: readonly M[] }
  | { readonly role: 'assistant'; readonly text: string; readonly toolCalls: readonly ReplayedToolCall[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly name: string | undefined; readonly text: string }

/** What the agent run gets from the conversation. */
export interface AgentTurnPlan<M> {
  readonly message: string
  /** Tool results of the current turn, named after the calls they answer when the request shows them. */
  readonly toolResults: readonly { readonly toolCallId: string; readonly name?: string; readonly content: string }[]
  /** Media of the current user turn; earlier media is never replayed. */
  readonly media: readonly M[]
  /** The earlier turns as real messages, for a session without a transcript (else empty: the session holds them). */
  readonly history: readonly ModelMessage[]
}

/** A replayed call's arguments: the parsed JSON, or the text as sent when it is not JSON. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** One earlier item of the request as the message the model gets. */
function toModelMessage<M>(item: ConversationItem<M>, names: ReadonlyMap<string, string>): ModelMessage {
  switch (item.role) {
    case 'user': {
      const note = item.media.length > 0 ? `${item.text === '' ? '' : ' '}[${item.media.length} attachment(s) not shown]` : ''
      return { role: 'user', content: `${item.text}${note}` }
    }
    case 'assistant':
      return {
        role: 'assistant',
        content: item.text,
        ...(item.toolCalls.length > 0 ? { toolCalls: item.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: parseArguments(c.arguments) })) } : {}),
      }
    case 'tool':
      return { role: 'tool', toolCallId: item.toolCallId, name: item.name ?? names.get(item.toolCallId) ?? 'unknown', content: item.text }
  }
}

/**
 * Split a request's conversation into what the agent run needs. The current turn is everything after
 * the last assistant message: its user messages become `message` (and their media the attachments),
 * its tool messages become `toolResults`.
 *
 * The session is the source of truth: when it already has a transcript, earlier messages of the
 * request are not replayed (the session holds them). When it has none — a fresh session, or a client
 * that keeps the history itself — the earlier messages go to the run as `history`, real messages:
 * user and assistant turns, assistant tool calls followed by their `tool` results. The run writes them
 * to the new session before this turn, so the model sees the conversation as the client does, and
 * this turn's tool results answer calls the session now holds.
 */
export function planAgentTurn<M>(items: readonly ConversationItem<M>[], options: { readonly hasHistory: boolean; readonly field: string }): AgentTurnPlan<M> {
  let lastAssistant = -1
  items.forEach((item, i) => {
    if (item.role === 'assistant') lastAssistant = i
  })
  const prior = items.slice(0, lastAssistant + 1)
  const current = items.slice(lastAssistant + 1)
  const users = current.filter((i): i is Extract<ConversationItem<M>, { role: 'user' }> => i.role === 'user')
  const tools = current.filter((i): i is Extract<ConversationItem<M>, { role: 'tool' }> => i.role === 'tool')
  const media = users.flatMap((u) => u.media)
  const userText = users.map((u) => u.text).filter((t) => t !== '').join('\n\n')
  if (userText === '' && media.length === 0 && tools.length === 0) throw withParam(new OAI_ERR_MISSING_USER_MESSAGE(options.field), options.field)

  const names = new Map<string, string>()
  for (const item of prior) if (item.role === 'assistant') for (const call of item.toolCalls) names.set(call.id, call.name)
  const toolResults = tools.map((t) => {
    const name = t.name ?? names.get(t.toolCallId)
    return { toolCallId: t.toolCallId, content: t.text, ...(name !== undefined ? { name } : {}) }
  })
  return { message: userText, toolResults, media, history: options.hasHistory ? [] : prior.map((item) => toModelMessage(item, names)) }
}
