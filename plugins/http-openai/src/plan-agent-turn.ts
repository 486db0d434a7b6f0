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
  readonly toolResults: readonly { readonly toolCallId: string; readonly name?: string; readonly content: string }[]
  /** Media of the current user turn; earlier media is never replayed. */
  readonly media: readonly M[]
}

function foldItem<M>(item: ConversationItem<M>): string {
  switch (item.role) {
    case 'user': {
      const note = item.media.length > 0 ? ` [${item.media.length} attachment(s) not shown]` : ''
      return `User: ${item.text}${note}`
    }
    case 'assistant': {
      const calls = item.toolCalls.map((c) => `Assistant called tool ${c.name} (${c.id}) with ${c.arguments}`)
      return [...(item.text !== '' ? [`Assistant: ${item.text}`] : []), ...calls].join('\n')
    }
    case 'tool':
      return `Tool:${item.name ?? 'unknown'} (${item.toolCallId}): ${item.text}`
  }
}

/**
 * Split a request's conversation into what the agent run needs. The current turn is everything after
 * the last assistant message: its user messages become `message` (and their media the attachments),
 * its tool messages become `toolResults`.
 *
 * The session is the source of truth: when it already has a transcript, earlier messages of the
 * request are not replayed (the session holds them). When it has none — a fresh session, or a client
 * that keeps the history itself — earlier messages are folded into `message` as a labelled transcript
 * (`User:`/`Assistant:`/`Tool:<name>`), and so are tool results, which have no tool call to answer.
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

  if (options.hasHistory) {
    return {
      message: userText,
      toolResults: tools.map((t) => {
        const name = t.name ?? names.get(t.toolCallId)
        return { toolCallId: t.toolCallId, content: t.text, ...(name !== undefined ? { name } : {}) }
      }),
      media,
    }
  }

  const folded = [...prior, ...tools].map((item) => foldItem(item.role === 'tool' && item.name === undefined ? { ...item, name: names.get(item.toolCallId) } : item))
  if (folded.length === 0) return { message: userText, toolResults: [], media }
  const closing = userText !== '' ? `User: ${userText}` : tools.length > 0 ? 'Continue from the tool results above.' : 'User: (see the attached media)'
  return { message: [...folded, closing].join('\n\n'), toolResults: [], media }
}
