import { describe, expect, it } from 'vitest'
import type { NewTranscriptEntry } from '../sessions/session-store.js'
import { NO_TOOL_RESULT, pendingToolCalls, toModelMessages } from './model-messages.js'

const user = (text: string): NewTranscriptEntry => ({ role: 'user', text })
const asked = (...ids: string[]): NewTranscriptEntry => ({ role: 'assistant', text: '', toolCalls: ids.map((id) => ({ id, name: `tool_${id}`, arguments: {} })) })
const answer = (id: string, text = 'ok'): NewTranscriptEntry => ({ role: 'tool', toolCallId: id, name: `tool_${id}`, text })

describe('pendingToolCalls', () => {
  it('should be the unanswered calls of the last assistant message', () => {
    expect([...pendingToolCalls([user('a'), asked('c1', 'c2'), answer('c1')])]).toEqual([['c2', 'tool_c2']])
    expect(pendingToolCalls([user('a'), asked('c1'), answer('c1')]).size).toBe(0)
  })

  it('should drop calls abandoned by a later user or assistant message', () => {
    expect(pendingToolCalls([asked('c1'), user('never mind')]).size).toBe(0)
    expect([...pendingToolCalls([asked('c1'), asked('c2')]).keys()]).toEqual(['c2'])
  })
})

describe('toModelMessages', () => {
  it('should keep a well-formed conversation as it is', () => {
    expect(toModelMessages([user('a'), asked('c1'), answer('c1', '42'), { role: 'assistant', text: 'done' }, { role: 'system', text: 'note' }])).toEqual([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'tool_c1', arguments: {} }] },
      { role: 'tool', toolCallId: 'c1', name: 'tool_c1', content: '42' },
      { role: 'assistant', content: 'done' },
    ])
  })

  it('should leave out results that answer no open call: unknown, repeated, or after the conversation moved on', () => {
    const messages = toModelMessages([user('a'), answer('ghost'), asked('c1'), answer('c1'), answer('c1'), { role: 'assistant', text: 'done' }, answer('c1')])
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
  })

  it('should answer calls left open with an error result, before the next message and at the end', () => {
    const messages = toModelMessages([asked('c1', 'c2'), answer('c2'), user('never mind'), asked('c3')])
    expect(messages).toMatchObject([
      { role: 'assistant' },
      { role: 'tool', toolCallId: 'c2', content: 'ok' },
      { role: 'tool', toolCallId: 'c1', name: 'tool_c1', content: NO_TOOL_RESULT, isError: true },
      { role: 'user', content: 'never mind' },
      { role: 'assistant' },
      { role: 'tool', toolCallId: 'c3', content: NO_TOOL_RESULT, isError: true },
    ])
  })
})
