import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { EXIT_FAILURE, EXIT_SIGNAL } from '../exit-codes.js'
import type { GatewayEvent } from '../gateway-client.js'
import { watchShutdownSignals } from '../shutdown-signals.js'
import { withGateway } from '../with-gateway.js'
import type { AgentCommandOptions } from './agent.js'

/** The longest run the gateway's `agent` method accepts (`timeout` in seconds): what `--timeout 0` asks for. */
const MAX_RUN_TIMEOUT_S = 172_800
/** How long past `--timeout` the CLI waits for the gateway's final answer (which reports the timeout itself). */
const FINAL_ANSWER_GRACE_MS = 30_000

/** The `agent` method's final answer. */
interface AgentFinal {
  readonly runId: string
  readonly status: 'ok' | 'error' | 'timeout'
  readonly summary?: string
  readonly sessionKey?: string
  readonly result?: { readonly payloads?: readonly { readonly text?: string }[] }
  readonly error?: { readonly code?: string; readonly message?: string }
}

/** The `agent` method's ack: `status` is `accepted`, or `in_flight` when the run id is already running. */
interface AgentAck {
  readonly runId?: string
  readonly sessionKey?: string
  readonly status?: string
}

function agentParams(options: AgentCommandOptions): Record<string, unknown> {
  return {
    message: options.message,
    ...(options.runId !== undefined ? { idempotencyKey: options.runId } : {}),
    ...(options.agent !== undefined ? { agentId: options.agent } : {}),
    ...(options.sessionId !== undefined ? { sessionKey: options.sessionId } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(options.channel !== undefined ? { channel: options.channel } : {}),
    ...(options.deliver ? { deliver: true } : {}),
    ...(options.thinking !== undefined ? { thinking: options.thinking } : {}),
    ...(options.timeout !== undefined ? { timeout: options.timeout === 0 ? MAX_RUN_TIMEOUT_S : Math.min(MAX_RUN_TIMEOUT_S, options.timeout) } : {}),
  }
}

/** The text of an `agent` event's `assistant` delta, if it is one. */
function assistantDelta(event: GatewayEvent): string | undefined {
  if (event.event !== 'agent') return undefined
  const payload = event.payload as { stream?: unknown; data?: { delta?: unknown } } | null
  return payload?.stream === 'assistant' && typeof payload.data?.delta === 'string' ? payload.data.delta : undefined
}

/**
 * `openclaw agent` without `--local`: the turn runs on a running gateway through its `agent` method.
 * The reply streams to stdout from the run's `agent` events (`--json`: the final answer instead);
 * a run that does not end `ok` prints its coded error and exits 1. SIGINT/SIGTERM ask the gateway
 * to stop the run (`chat.abort`) and exit 130/143 once it has. It never falls back to an embedded run.
 */
export async function runAgentRemote(options: AgentCommandOptions, io: CliIo): Promise<void> {
  const timeoutMs = options.timeout === undefined || options.timeout === 0 ? 0 : Math.round(options.timeout * 1000) + FINAL_ANSWER_GRACE_MS
  let streamed = false
  let endsWithNewline = true
  const write = (text: string) => {
    io.stdout.write(text)
    streamed = true
    endsWithNewline = text.endsWith('\n')
  }

  const { final, signal } = await withGateway(options, io, async (client) => {
    let ack: AgentAck | undefined
    const abort = () => {
      if (ack?.sessionKey === undefined) return // not accepted yet: aborted as soon as it is
      void client.call('chat.abort', { sessionKey: ack.sessionKey, ...(ack.runId ? { runId: ack.runId } : {}) }).catch(() => undefined)
    }
    const signals = watchShutdownSignals(io, abort)
    try {
      const answer = await client.call<AgentFinal>('agent', agentParams(options), {
        timeoutMs,
        onAck: (payload) => {
          ack = payload as AgentAck
          if (ack.status === 'in_flight') io.stderr.write(`run ${ack.runId ?? '?'} is already running on the gateway; following it\n`)
          if (signals.received !== undefined) abort()
        },
        onEvent: (event) => {
          const delta = assistantDelta(event)
          if (!options.json && delta !== undefined && delta !== '') write(delta)
        },
      })
      return { final: answer, signal: signals.received }
    } finally {
      signals.dispose()
    }
  })

  if (options.json) io.stdout.write(`${JSON.stringify(final, null, 2)}\n`)
  else {
    // A run id that already finished is answered from the gateway's store, without events.
    if (!streamed) {
      const text = (final.result?.payloads ?? []).map((p) => p.text ?? '').filter((t) => t !== '').join('\n')
      if (text !== '') write(text)
    }
    if (!endsWithNewline) io.stdout.write('\n')
  }
  if (final.status === 'ok') return
  io.stderr.write(
    final.error?.code ? `error [${final.error.code}]: ${final.error.message ?? ''}\n` : `error: the run ended with status '${final.status}'${final.summary ? ` (${final.summary})` : ''}\n`,
  )
  throw new CliExit(signal ? EXIT_SIGNAL[signal] : EXIT_FAILURE)
}
