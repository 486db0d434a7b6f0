import type { ModelStreamEvent } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { readChatCompletion } from './chat-completion-json.js'

/** What `streamModelCall` hands the reader. */
const call = { provider: 'openai', errorDetails: (retryable: boolean) => ({ provider: 'openai', upstreamStatus: undefined, retryAfterMs: undefined, retryable }) }

const read = (body: unknown): ModelStreamEvent[] => [...readChatCompletion(body, call)]

const completion = (message: object, finish: string | null = 'stop', usage: object | null = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
  ...(usage !== null && { usage }),
})

describe('readChatCompletion', () => {
  it('should yield the text as one event, then usage, then finish', () => {
    expect(read(completion({ content: 'Hello' }))).toEqual([
      { type: 'text', delta: 'Hello' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } },
      { type: 'finish', reason: 'stop' },
    ])
  })

  it('should yield a refusal as text, and no text event for empty or null content', () => {
    expect(read(completion({ content: null, refusal: 'I cannot help with that.' }, 'stop', null))).toEqual([
      { type: 'text', delta: 'I cannot help with that.' },
      { type: 'finish', reason: 'stop' },
    ])
    expect(read(completion({ content: '' }, 'stop', null))).toEqual([{ type: 'finish', reason: 'stop' }])
  })

  it('should yield each tool call with its arguments parsed as the stream reader does', () => {
    const out = read(
      completion(
        {
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
            { id: 'call_b', type: 'function', function: { name: 'raw', arguments: 'not json' } },
            { id: 'call_c', type: 'function', function: { name: 'empty', arguments: '' } },
            { id: 'call_d', type: 'function', function: { name: 'object', arguments: { y: 2 } } },
            { type: 'function', function: { name: 'no_id', arguments: '{}' } },
          ],
        },
        'tool_calls',
      ),
    )
    const calls = out.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []))
    expect(calls.slice(0, 4)).toEqual([
      { id: 'call_a', name: 'a', arguments: { x: 1 } },
      { id: 'call_b', name: 'raw', arguments: 'not json' },
      { id: 'call_c', name: 'empty', arguments: {} },
      { id: 'call_d', name: 'object', arguments: { y: 2 } },
    ])
    expect(calls[4]).toMatchObject({ name: 'no_id', id: expect.stringMatching(/^call_/) })
    expect(out.slice(-2).map((e) => e.type)).toEqual(['usage', 'finish'])
    expect(out.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' })
  })

  it('should map finish reasons as the stream reader does', () => {
    const reason = (finish: string | null, message: object = { content: 'x' }) => read(completion(message, finish)).at(-1)
    expect(reason('length')).toEqual({ type: 'finish', reason: 'length' })
    expect(reason('content_filter')).toEqual({ type: 'finish', reason: 'content_filter' })
    expect(reason(null)).toEqual({ type: 'finish', reason: 'stop' })
    // A server that says `stop` after tool calls still finishes with tool_calls.
    expect(reason('stop', { content: null, tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{}' } }] })).toEqual({ type: 'finish', reason: 'tool_calls' })
  })

  it('should read the first choice (index 0) only', () => {
    const body = { choices: [{ index: 1, message: { content: 'other' }, finish_reason: 'stop' }, { index: 0, message: { content: 'first' }, finish_reason: 'stop' }] }
    expect(read(body)).toEqual([
      { type: 'text', delta: 'first' },
      { type: 'finish', reason: 'stop' },
    ])
  })

  it('should throw a retryable OPENAI_ERR_UPSTREAM with the message of an error object', () => {
    expect(() => read({ error: { message: 'The server had an error', type: 'server_error' } })).toThrow(
      expect.objectContaining({ code: 'OPENAI_ERR_UPSTREAM', retryable: true, message: expect.stringContaining('The server had an error') }),
    )
  })

  it('should throw a non-retryable OPENAI_ERR_UPSTREAM on an answer without choices, or not an object', () => {
    expect(() => read({ detail: 'nope' })).toThrow(expect.objectContaining({ code: 'OPENAI_ERR_UPSTREAM', retryable: false, message: expect.stringContaining('no choice') }))
    expect(() => read({ choices: [] })).toThrow(expect.objectContaining({ code: 'OPENAI_ERR_UPSTREAM', retryable: false }))
    expect(() => read(['a'])).toThrow(expect.objectContaining({ code: 'OPENAI_ERR_UPSTREAM', retryable: false, message: expect.stringContaining('not an object') }))
    expect(() => read(null)).toThrow(expect.objectContaining({ code: 'OPENAI_ERR_UPSTREAM', retryable: false }))
  })
})
