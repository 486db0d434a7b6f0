import type { Clock } from '../clock/clock.js'
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

/** How long the all-transcripts total is trusted before it is summed again. */
export const TRANSCRIPT_TOTAL_TTL_MS = 10_000

/**
 * The size of all transcripts together, summed from the store at most every `ttlMs` and moved on by
 * what this process lets in meanwhile. A per-process cache, not the truth: summing every session's
 * size is a scan of the sessions table, too slow for every run start, and the total limit is a bound
 * on disk use, not an exact quota (other replicas' runs, resets and deletes show at the next sum).
 */
export class TranscriptTotal {
  #bytes = 0
  #summedAt = Number.NEGATIVE_INFINITY

  constructor(
    private readonly sessions: Pick<SessionStore, 'totalTranscriptBytes'>,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly ttlMs = TRANSCRIPT_TOTAL_TTL_MS,
  ) {}

  async bytes(): Promise<number> {
    const now = this.clock.now()
    if (now - this.#summedAt >= this.ttlMs) {
      this.#bytes = await this.sessions.totalTranscriptBytes()
      this.#summedAt = now
    }
    return this.#bytes
  }

  /** Count bytes a run was let in with, until the next sum sees them in the store. */
  add(bytes: number): void {
    this.#bytes += bytes
  }
}

/**
 * Refuse a run before it starts when its input would take the session's transcript, or all
 * transcripts together, over the configured limits (413 coded errors that say what to do). Checked
 * when the run is asked for: the reply of a run let in may pass the limit, and the next is refused.
 */
export async function assertTranscriptRoom(
  sessions: SessionStore,
  total: TranscriptTotal,
  limits: TranscriptLimits,
  sessionKey: string,
  options: AgentRunOptions,
): Promise<void> {
  const adding = incomingBytes(options)
  const session = (await sessions.transcriptBytes(sessionKey)) + adding
  if (session > limits.maxSessionBytes) throw new CORE_ERR_TRANSCRIPT_TOO_LARGE(sessionKey, session, limits.maxSessionBytes)
  const all = (await total.bytes()) + adding
  if (all > limits.maxTotalBytes) throw new CORE_ERR_TRANSCRIPTS_FULL(all, limits.maxTotalBytes)
  total.add(adding)
}
