import type { ModelStreamEvent } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { readMessagesStream } from './messages-stream.js'
import type { SseEvent } from '@openclaw/plugin-sdk'

async function* events(data: readonly object[]): AsyncGenerator<SseEvent> {
  for (const item of data) yield { event: (item as { type: string }).type, data: JSON.stringify(item) }
}

/** What `streamModelCall` hands the reader. */
const call = { provider: 'anthropic', errorDetails: (retryable: boolean) => ({ provider: 'anthropic', upstreamStatus: undefined, retryAfterMs: undefined, retryable }) }

async function collect(data: readonly object[]): Promise<ModelStreamEvent[]> {
  const out: ModelStreamEvent[] = []
  for await (const event of readMessagesStream(events(data), call)) out.push(event)
  return out
}

const start = (usage: object = { input_tokens: 10, output_tokens: 1 }) => ({ type: 'message_start', message: { id: 'msg_1', usage } })
const stop = (stop_reason: string, usage: object = { output_tokens: 7 }) => [{ type: 'message_delta', delta: { stop_reason }, usage }, { type: 'message_stop' }]

describe('readMessagesStream', () => {
  it('should yield text deltas, then usage, then finish', async () => {
    expect(
      await collect([
        start(),
        { type: 'ping' },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
        { type: 'content_block_stop', index: 0 },
        ...stop('end_turn'),
      ]),
    ).toEqual([
      { type: 'text', delta: 'Hel' },
      { type: 'text', delta: 'lo' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 7, totalTokens: 17 } },
      { type: 'finish', reason: 'stop' },
    ])
  })

  it('should join input_json_delta pieces and yield the tool call when its block stops', async () => {
    const out = await collect([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: 'ris"}' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} } },
      { type: 'content_block_stop', index: 1 },
      ...stop('tool_use'),
    ])
    expect(out.slice(0, 2)).toEqual([
      { type: 'tool_call', call: { id: 'toolu_1', name: 'weather', arguments: { city: 'Paris' } } },
      { type: 'tool_call', call: { id: 'toolu_2', name: 'now', arguments: {} } },
    ])
    expect(out.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' })
  })

  it('should skip thinking blocks', async () => {
    const out = await collect([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'ok' } },
      { type: 'content_block_stop', index: 1 },
      ...stop('end_turn'),
    ])
    expect(out.filter((e) => e.type !== 'usage')).toEqual([
      { type: 'text', delta: 'ok' },
      { type: 'finish', reason: 'stop' },
    ])
  })

  it('should count cached input tokens and keep counts that a later null would erase', async () => {
    const out = await collect([
      start({ input_tokens: 5, cache_creation_input_tokens: 100, cache_read_input_tokens: 20, output_tokens: 1 }),
      ...stop('end_turn', { output_tokens: 9, input_tokens: null }),
    ])
    expect(out).toContainEqual({ type: 'usage', usage: { inputTokens: 125, outputTokens: 9, totalTokens: 134 } })
  })

  it('should map stop reasons', async () => {
    const reason = async (stopReason: string) => (await collect([start(), ...stop(stopReason)])).at(-1)
    expect(await reason('max_tokens')).toEqual({ type: 'finish', reason: 'length' })
    expect(await reason('stop_sequence')).toEqual({ type: 'finish', reason: 'stop' })
    expect(await reason('refusal')).toEqual({ type: 'finish', reason: 'content_filter' })
  })

  it('should throw ANTHROPIC_ERR_UPSTREAM on an overloaded error event, as retryable', async () => {
    await expect(collect([start(), { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }])).rejects.toMatchObject({
      code: 'ANTHROPIC_ERR_UPSTREAM',
      retryable: true,
      message: expect.stringContaining('Overloaded'),
    })
  })

  it('should throw ANTHROPIC_ERR_RATE_LIMITED on a rate_limit_error event', async () => {
    await expect(collect([{ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }])).rejects.toMatchObject({ code: 'ANTHROPIC_ERR_RATE_LIMITED' })
  })

  it('should throw ANTHROPIC_ERR_UPSTREAM when the stream ends before message_stop', async () => {
    await expect(collect([start(), { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }])).rejects.toMatchObject({
      code: 'ANTHROPIC_ERR_UPSTREAM',
      retryable: true,
    })
  })
})
