import type { NewTranscriptEntry } from '../sessions/session-store.js'
import type { ModelMessage } from '../types/providers.js'

/** What the model is told for a tool call the transcript holds no result for. */
export const NO_TOOL_RESULT = 'No result: this tool call was not answered.'

/**
 * The tool calls of the transcript's last assistant message that no tool result answers yet (id →
 * tool name): what a caller's `toolResults` may answer. A user or assistant message after them
 * leaves them abandoned, not pending.
 */
export function pendingToolCalls(entries: readonly NewTranscriptEntry[]): Map<string, string> {
  let open = new Map<string, string>()
  for (const e of entries) {
    if (e.role === 'tool') open.delete(e.toolCallId)
    else if (e.role === 'user') open = new Map()
    else if (e.role === 'assistant') open = new Map((e.toolCalls ?? []).map((c) => [c.id, c.name]))
  }
  return open
}

/**
 * A transcript as the messages of a model request. Model APIs refuse a conversation in which a tool
 * result answers no call of the assistant message before it, or an assistant's tool call is not
 * answered before the next message: a session holding either (a client that never returned a tool
 * result, or a transcript written before results were checked) would fail every later turn. So a
 * result that answers nothing open is left out, and a call left unanswered gets {@link NO_TOOL_RESULT}
 * as an error result.
 */
export function toModelMessages(entries: readonly NewTranscriptEntry[]): ModelMessage[] {
  const out: ModelMessage[] = []
  let open = new Map<string, string>()
  const closeOpen = () => {
    for (const [toolCallId, name] of open) out.push({ role: 'tool', toolCallId, name, content: NO_TOOL_RESULT, isError: true })
    open = new Map()
  }
  for (const e of entries) {
    if (e.role === 'tool') {
      if (!open.delete(e.toolCallId)) continue
      out.push({ role: 'tool', toolCallId: e.toolCallId, name: e.name, content: e.text, ...(e.isError ? { isError: true } : {}) })
    } else if (e.role === 'user') {
      closeOpen()
      out.push({ role: 'user', content: e.text, ...(e.attachments ? { attachments: e.attachments } : {}) })
    } else if (e.role === 'assistant') {
      closeOpen()
      out.push({ role: 'assistant', content: e.text, ...(e.toolCalls?.length ? { toolCalls: e.toolCalls } : {}) })
      open = new Map((e.toolCalls ?? []).map((c) => [c.id, c.name]))
    }
  }
  closeOpen()
  return out
}

/**
 * A client's earlier turns ({@link AgentRunOptions.history}) as transcript entries of run `runId`.
 * Attachments are dropped: earlier media is never replayed.
 */
export function historyEntries(history: readonly ModelMessage[], runId: string): NewTranscriptEntry[] {
  return history.map((m): NewTranscriptEntry => {
    switch (m.role) {
      case 'user':
        return { role: 'user', runId, text: m.content }
      case 'assistant':
        return { role: 'assistant', runId, text: m.content, ...(m.toolCalls?.length ? { toolCalls: m.toolCalls } : {}) }
      case 'tool':
        return { role: 'tool', runId, toolCallId: m.toolCallId, name: m.name, text: m.content, ...(m.isError ? { isError: true } : {}) }
    }
  })
}
