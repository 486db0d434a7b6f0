import type { AgentEvent, AgentRunOptions, GatewayRuntime } from '@openclaw/plugin-sdk'

/** A started streaming run: its event iterator, and the first event's promise, already requested. */
const noop = () => {}

export interface StartedAgentStream {
  readonly events: AsyncIterator<AgentEvent>
  readonly first: Promise<IteratorResult<AgentEvent>>
}

/**
 * Start a streaming run. The runner refuses bad input (unknown agent, busy session, invalid options)
 * synchronously as it starts; this waits for the first event — or at most one macrotask, when the
 * run queues behind another on its session — so such a refusal rejects here, before any byte of the
 * stream is sent, and the client gets a real HTTP status instead of an error event inside a 200.
 */
export async function startAgentStream(agent: GatewayRuntime['agent'], options: AgentRunOptions): Promise<StartedAgentStream> {
  const events = agent.stream(options)[Symbol.asyncIterator]()
  const first = events.next()
  let failure: { error: unknown } | undefined
  first.catch((error: unknown) => {
    failure = { error }
  })
  await Promise.race([first.then(noop, noop), new Promise<void>((resolve) => setImmediate(resolve))])
  if (failure) throw failure.error
  return { events, first }
}
