import type { Attachment } from './messages.js'
import type { Usage } from './providers.js'
import type { ToolCall } from './tools.js'

/** A session's metadata. */
export interface SessionInfo {
  /** `agent:<agentId>:<rest>`, lowercase. */
  readonly key: string
  readonly agentId: string
  /** Epoch milliseconds. */
  readonly createdAt: number
  readonly updatedAt: number
  readonly messageCount: number
  /** When the current transcript began: the session's creation, or its last reset (what `session.reset` daily looks at). */
  readonly startedAt: number
  /** The last channel message recorded while a `session.reset` policy looks at idleness. */
  readonly lastInteractionAt?: number
  readonly origin?: { readonly channel?: string; readonly peer?: string }
  /** Where the last reply of this session was delivered; `deliver: true` goes there. */
  readonly lastRoute?: { readonly channel: string; readonly to: string; readonly accountId?: string; readonly threadId?: string }
}

/** One entry of a session's transcript. */
export type TranscriptEntry =
  | { readonly seq: number; readonly at: number; readonly runId?: string; readonly role: 'user'; readonly text: string; readonly attachments?: readonly Attachment[] }
  | { readonly seq: number; readonly at: number; readonly runId?: string; readonly role: 'assistant'; readonly text: string; readonly toolCalls?: readonly ToolCall[]; readonly usage?: Usage; readonly model?: string }
  | { readonly seq: number; readonly at: number; readonly runId?: string; readonly role: 'tool'; readonly toolCallId: string; readonly name: string; readonly text: string; readonly isError?: boolean }
  | { readonly seq: number; readonly at: number; readonly runId?: string; readonly role: 'system'; readonly text: string }

export interface Page<T> {
  readonly items: readonly T[]
  /** Pass as `cursor` to get the next page; absent on the last page. */
  readonly nextCursor?: string
}

export interface ListSessionsOptions {
  readonly agentId?: string
  /** Only keys starting with this prefix. */
  readonly prefix?: string
  readonly limit?: number
  readonly cursor?: string
}

export interface HistoryOptions {
  /** Newest entries first when `order` is `desc` (default `asc`). */
  readonly order?: 'asc' | 'desc'
  readonly limit?: number
  readonly cursor?: string
}
