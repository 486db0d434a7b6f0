import { CORE_ERR_TRANSCRIPTS_FULL, CORE_ERR_TRANSCRIPT_TOO_LARGE } from '../errors/codes.js'
import type { SessionStore } from '../sessions/session-store.js'
import type { AgentRunOptions } from '../types/agent.js'

export interface TranscriptLimits {
  /** `session.maxTranscriptBytes`. */
  readonly maxSessionBytes: number
  /** `session.maxTotalTranscriptBytes`. */
  readonly maxTotalBytes: number
}

/** About what a run's input adds to its transcript. */
function incomingBytes(options: AgentRunOptions): number {
  let bytes = Buffer.byteLength(options.message)
  for (const attachment of options.attachments ?? []) bytes += Buffer.byteLength(JSON.stringify(attachment))
  for (const result of options.toolResults ?? []) bytes += Buffer.byteLength(JSON.stringify(result))
  return bytes
}

/**
 * Refuse a run before it starts when its input would take the session's transcript, or all
 * transcripts together, over the configured limits (413 coded errors that say what to do). Checked
 * when the run is asked for: the reply of a run let in may pass the limit, and the next is refused.
 */
export async function assertTranscriptRoom(sessions: SessionStore, limits: TranscriptLimits, sessionKey: string, options: AgentRunOptions): Promise<void> {
  const adding = incomingBytes(options)
  const session = (await sessions.transcriptBytes(sessionKey)) + adding
  if (session > limits.maxSessionBytes) throw new CORE_ERR_TRANSCRIPT_TOO_LARGE(sessionKey, session, limits.maxSessionBytes)
  const total = (await sessions.totalTranscriptBytes()) + adding
  if (total > limits.maxTotalBytes) throw new CORE_ERR_TRANSCRIPTS_FULL(total, limits.maxTotalBytes)
}
