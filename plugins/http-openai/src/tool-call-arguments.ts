import type { ToolCall } from '@openclaw/plugin-sdk'

/** A tool call's arguments as the JSON text OpenAI clients expect (`"{}"` when there are none). */
export function toolCallArguments(call: Pick<ToolCall, 'arguments'>): string {
  if (typeof call.arguments === 'string') return call.arguments
  return JSON.stringify(call.arguments ?? {})
}

/** Split JSON text into fragments of at most `size` characters, for streaming. */
export function argumentFragments(args: string, size = 256): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i += size) out.push(args.slice(i, i + size))
  return out
}
