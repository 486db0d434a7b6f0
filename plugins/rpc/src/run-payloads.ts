import type { AgentRunResult } from '@openclaw/plugin-sdk'

/** The protocol's run status: a kernel `aborted` run is an `error` whose summary says `aborted`. */
export type ProtocolRunStatus = 'ok' | 'error' | 'timeout'

const SUMMARY: Readonly<Record<AgentRunResult['status'], string>> = {
  ok: 'completed',
  error: 'failed',
  timeout: 'timeout',
  aborted: 'aborted',
}

function protocolStatusOf(result: AgentRunResult): ProtocolRunStatus {
  return result.status === 'ok' ? 'ok' : result.status === 'timeout' ? 'timeout' : 'error'
}

/**
 * Payloads of a run's answers: the `agent` final `res` (`{ runId, status, summary, result: { payloads,
 * meta } }`), what `agent.wait` reports, and the assistant message of `chat` events.
 */
export const RunPayloads = Object.freeze({
  status: protocolStatusOf,

  /** `{ role: 'assistant', content: [{ type: 'text', text }], timestamp }`, as OpenClaw clients render it. */
  assistantMessage(text: string, timestamp: number): { role: 'assistant'; content: { type: 'text'; text: string }[]; timestamp: number } {
    return { role: 'assistant', content: text === '' ? [] : [{ type: 'text', text }], timestamp }
  },

  agentFinal(runId: string, result: AgentRunResult): object {
    return {
      runId,
      status: protocolStatusOf(result),
      summary: SUMMARY[result.status],
      sessionKey: result.sessionKey,
      agentId: result.agentId,
      result: {
        payloads: result.text === '' ? [] : [{ text: result.text }],
        meta: {
          durationMs: Math.round(result.durationMs),
          stopReason: result.finishReason,
          agentMeta: { sessionKey: result.sessionKey, agentId: result.agentId, model: result.model, usage: result.usage },
          ...(result.toolCalls.length > 0 ? { toolSummary: { calls: result.toolCalls.length, tools: [...new Set(result.toolCalls.map((c) => c.name))] } } : {}),
        },
      },
      ...(result.error ? { error: result.error } : {}),
    }
  },

  wait(runId: string, result: AgentRunResult): object {
    return {
      runId,
      status: protocolStatusOf(result),
      durationMs: Math.round(result.durationMs),
      stopReason: result.finishReason,
      ...(result.status === 'aborted' ? { aborted: true } : {}),
      ...(result.error ? { error: result.error } : {}),
    }
  },
})
