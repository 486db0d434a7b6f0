import type { ModelStreamEvent } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { readChatCompletionStream } from './chat-completion-stream.js'
import type { SseEvent } from '@openclaw/plugin-sdk'

async function* events(data: readonly (object | string)[]): AsyncGenerator<SseEvent> {
  for (const item of data) yield { event: undefined, data: typeof item === 'string' ? item : JSON.stringify(item) }
}

/** What `streamModelCall` hands the reader. */
const call = { provider: 'openai', errorDetails: (retryable: boolean) => ({ provider: 'openai', upstreamStatus: undefined, retryAfterMs: undefined, retryable }) }

async function collect(data: readonly (object | string)[]): Promise<ModelStreamEvent[]> {
  const out: ModelStreamEvent[] = []
  for await (const event of readChatCompletionStream(events(data), call)) out.push(event)
  return out
}

const delta = (d: object, finish: string | null = null) => ({ choices: [{ index: 0, delta: d, finish_reason: finish }] })

describe('readChatCompletionStream', () => {
  it('should yield text deltas, then usage, then finish', async () => {
    expect(
      await collect([
        delta({ role: 'assistant', content: '' }),
        delta({ content: 'Hel' }),
        delta({ content: 'lo' }),
        delta({}, 'stop'),
        { choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
        '[DONE]',
      ]),
    ).toEqual([
      { type: 'text', delta: 'Hel' },
      { type: 'text', delta: 'lo' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } },
      { type: 'finish', reason: 'stop' },
    ])
  })

  it('should join interleaved tool-call deltas by index and yield each call once complete', async () => {
    const out = await collect([
      delta({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"y"' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: ':2}' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      delta({}, 'tool_calls'),
      '[DONE]',
    ])
    expect(out).toEqual([
      { type: 'tool_call', call: { id: 'call_a', name: 'a', arguments: { x: 1 } } },
      { type: 'tool_call', call: { id: 'call_b', name: 'b', arguments: { y: 2 } } },
      { type: 'finish', reason: 'tool_calls' },
    ])
  })

  it('should keep arguments that are not JSON as the raw text, and treat none as {}', async () => {
    const out = await collect([
      delta({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'raw', arguments: 'not json' } }, { index: 1, id: 'c2', function: { name: 'empty' } }] }),
      delta({}, 'tool_calls'),
      '[DONE]',
    ])
    expect(out.slice(0, 2)).toEqual([
      { type: 'tool_call', call: { id: 'c1', name: 'raw', arguments: 'not json' } },
      { type: 'tool_call', call: { id: 'c2', name: 'empty', arguments: {} } },
    ])
  })

  it('should tell calls apart by id when a server reuses an index, and make up missing ids', async () => {
    const out = await collect([
      delta({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'a', arguments: '{}' } }] }),
      delta({ tool_calls: [{ index: 0, id: 'c2', function: { name: 'b', arguments: '{}' } }] }),
      delta({ tool_calls: [{ function: { name: 'c', arguments: '{}' } }] }),
      delta({}, 'stop'),
    ])
    const calls = out.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []))
    expect(calls.map((c) => c.name)).toEqual(['a', 'b', 'c'])
    expect(calls[0]?.id).toBe('c1')
    expect(calls[1]?.id).toBe('c2')
    expect(calls[2]?.id).toMatch(/^call_/)
    // A server that says `stop` after tool calls still finishes with tool_calls.
    expect(out.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' })
  })

  it('should map length and content_filter finish reasons', async () => {
    expect((await collect([delta({ content: 'x' }, 'length'), '[DONE]'])).at(-1)).toEqual({ type: 'finish', reason: 'length' })
    expect((await collect([delta({}, 'content_filter'), '[DONE]'])).at(-1)).toEqual({ type: 'finish', reason: 'content_filter' })
  })

  it('should accept a stream that ends after its finish reason without [DONE]', async () => {
    expect(await collect([delta({ content: 'x' }, 'stop')])).toEqual([
      { type: 'text', delta: 'x' },
      { type: 'finish', reason: 'stop' },
    ])
  })

  it('should throw OPENAI_ERR_UPSTREAM when the stream ends before a finish reason or [DONE]', async () => {
    await expect(collect([delta({ content: 'x' })])).rejects.toMatchObject({ code: 'OPENAI_ERR_UPSTREAM', retryable: true })
  })

  it('should throw OPENAI_ERR_UPSTREAM with the message of an error event', async () => {
    await expect(collect([{ error: { message: 'The server had an error', type: 'server_error' } }])).rejects.toMatchObject({
      code: 'OPENAI_ERR_UPSTREAM',
      message: expect.stringContaining('The server had an error'),
    })
  })

  it('should throw a non-retryable OPENAI_ERR_UPSTREAM on malformed data', async () => {
    await expect(collect(['{not json'])).rejects.toMatchObject({ code: 'OPENAI_ERR_UPSTREAM', retryable: false })
  })
})
