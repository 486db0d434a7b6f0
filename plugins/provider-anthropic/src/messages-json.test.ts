import type { ModelStreamEvent } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { readMessage } from './messages-json.js'

/** What `streamModelCall` hands the reader. */
const call = { provider: 'anthropic', errorDetails: (retryable: boolean) => ({ provider: 'anthropic', upstreamStatus: undefined, retryAfterMs: undefined, retryable }) }

const read = (body: unknown): ModelStreamEvent[] => [...readMessage(body, call)]

const message = (content: readonly object[], stop_reason: string | null = 'end_turn', usage: object = { input_tokens: 10, output_tokens: 7 }) => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-test',
  content,
  stop_reason,
  stop_sequence: null,
  usage,
})

describe('readMessage', () => {
  it('should yield the text as one event, then usage, then finish', () => {
    expect(read(message([{ type: 'text', text: 'Hello' }]))).toEqual([
      { type: 'text', delta: 'Hello' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 7, totalTokens: 17 } },
      { type: 'finish', reason: 'stop' },
    ])
  })

  it('should join several text blocks into one text event, and yield none for no text', () => {
    expect(read(message([{ type: 'text', text: 'One, ' }, { type: 'text', text: 'two.' }])).slice(0, 1)).toEqual([{ type: 'text', delta: 'One, two.' }])
    expect(read(message([])).map((e) => e.type)).toEqual(['usage', 'finish'])
  })

  it('should yield each tool_use block as a tool call, its input as the arguments', () => {
    const out = read(
      message(
        [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} },
          { type: 'tool_use', id: 'toolu_3', name: 'bare' },
        ],
        'tool_use',
      ),
    )
    expect(out).toEqual([
      { type: 'text', delta: 'Checking.' },
      { type: 'tool_call', call: { id: 'toolu_1', name: 'weather', arguments: { city: 'Paris' } } },
      { type: 'tool_call', call: { id: 'toolu_2', name: 'now', arguments: {} } },
      { type: 'tool_call', call: { id: 'toolu_3', name: 'bare', arguments: {} } },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 7, totalTokens: 17 } },
      { type: 'finish', reason: 'tool_calls' },
    ])
  })

  it('should read past thinking, redacted thinking and unknown blocks', () => {
    const out = read(
      message([
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
        { type: 'text', text: 'ok' },
      ]),
    )
    expect(out.filter((e) => e.type !== 'usage')).toEqual([
      { type: 'text', delta: 'ok' },
      { type: 'finish', reason: 'stop' },
    ])
  })

  it('should count cached input tokens', () => {
    const out = read(message([{ type: 'text', text: 'x' }], 'end_turn', { input_tokens: 5, cache_creation_input_tokens: 100, cache_read_input_tokens: 20, output_tokens: 9 }))
    expect(out).toContainEqual({ type: 'usage', usage: { inputTokens: 125, outputTokens: 9, totalTokens: 134 } })
  })

  it('should map stop reasons as the stream reader does', () => {
    const reason = (stopReason: string | null) => read(message([{ type: 'text', text: 'x' }], stopReason)).at(-1)
    expect(reason('max_tokens')).toEqual({ type: 'finish', reason: 'length' })
    expect(reason('stop_sequence')).toEqual({ type: 'finish', reason: 'stop' })
    expect(reason('refusal')).toEqual({ type: 'finish', reason: 'content_filter' })
    expect(reason(null)).toEqual({ type: 'finish', reason: 'stop' })
  })

  it('should throw as an error event does on an error answer', () => {
    expect(() => read({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toThrow(
      expect.objectContaining({ code: 'ANTHROPIC_ERR_UPSTREAM', retryable: true, message: expect.stringContaining('Overloaded') }),
    )
    expect(() => read({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } })).toThrow(expect.objectContaining({ code: 'ANTHROPIC_ERR_RATE_LIMITED' }))
  })

  it('should throw a non-retryable ANTHROPIC_ERR_UPSTREAM on an answer without content, or not an object', () => {
    expect(() => read({ type: 'message' })).toThrow(expect.objectContaining({ code: 'ANTHROPIC_ERR_UPSTREAM', retryable: false, message: expect.stringContaining('no content') }))
    expect(() => read('text')).toThrow(expect.objectContaining({ code: 'ANTHROPIC_ERR_UPSTREAM', retryable: false, message: expect.stringContaining('not an object') }))
  })
})
