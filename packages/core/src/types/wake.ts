/** A wake: text for an agent's heartbeat, from `/hooks/wake`, RPC `wake` or a cron systemEvent. */
export interface WakeRequest {
  readonly text: string
  /** `now` runs a heartbeat at once; `next-heartbeat` queues the text for the next one. */
  readonly mode: 'now' | 'next-heartbeat'
  readonly agentId?: string
  /** The session the event is for; default the agent's main session. */
  readonly sessionKey?: string
  /** Where it came from (`hooks`, `rpc`, `cron:<jobId>`), kept with the queued event. */
  readonly source: string
}

export interface WakeResult {
  readonly mode: 'now' | 'next-heartbeat'
  readonly agentId: string
  readonly sessionKey: string
  /** The heartbeat run started by `mode: now`. */
  readonly runId?: string
}

/**
 * Queued system events and the heartbeat that reads them: provided by the scheduler plugin (`cron`)
 * as `Tokens.Wake`. Surfaces that take wakes resolve it when it is registered.
 */
export interface WakeService {
  wake(request: WakeRequest): Promise<WakeResult>
}
