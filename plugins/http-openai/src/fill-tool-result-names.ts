import type { GatewayRuntime } from '@openclaw/plugin-sdk'

type ToolResultInput = { readonly toolCallId: string; readonly name?: string; readonly content: string }

const LOOKBACK = 50

/**
 * Name each tool result after the call it answers, found among the session's recent assistant
 * messages (the request names only the call id). Results whose call is not found keep no name.
 */
export async function fillToolResultNames(sessions: GatewayRuntime['sessions'], sessionKey: string, results: readonly ToolResultInput[]): Promise<ToolResultInput[]> {
  if (results.every((r) => r.name !== undefined)) return [...results]
  const names = new Map<string, string>()
  for (const entry of (await sessions.history(sessionKey, { order: 'desc', limit: LOOKBACK })).items) {
    if (entry.role === 'assistant') for (const call of entry.toolCalls ?? []) if (!names.has(call.id)) names.set(call.id, call.name)
  }
  return results.map((r) => {
    const name = r.name ?? names.get(r.toolCallId)
    return name === undefined ? r : { ...r, name }
  })
}
