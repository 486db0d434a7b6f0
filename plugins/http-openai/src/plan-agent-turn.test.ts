import { describe, expect, it } from 'vitest'
import { planAgentTurn, type ConversationItem } from './plan-agent-turn.js'

type Item = ConversationItem<string>
const user = (text: string, media: string[] = []): Item => ({ role: 'user', text, media })
const assistant = (text: string, calls: { id: string; name: string; arguments: string }[] = []): Item => ({ role: 'assistant', text, toolCalls: calls })
const tool = (toolCallId: string, text: string): Item => ({ role: 'tool', toolCallId, name: undefined, text })

describe('planAgentTurn', () => {
  it('should take the last user message as the message, with its media', () => {
    expect(planAgentTurn([user('hi', ['img'])], { hasHistory: false, field: 'messages' })).toEqual({ message: 'hi', toolResults: [], media: ['img'], history: [] })
  })

  it('should join the user messages after the last assistant message', () => {
    const plan = planAgentTurn([user('a'), assistant('b'), user('c'), user('d')], { hasHistory: true, field: 'messages' })
    expect(plan.message).toBe('c\n\nd')
  })

  it('should turn trailing tool messages into tool results named after the replayed call, when the session has history', () => {
    const items = [user('weather?'), assistant('', [{ id: 'c1', name: 'get_weather', arguments: '{}' }]), tool('c1', '21')]
    expect(planAgentTurn(items, { hasHistory: true, field: 'messages' })).toEqual({
      message: '',
      toolResults: [{ toolCallId: 'c1', name: 'get_weather', content: '21' }],
      media: [],
      history: [],
    })
  })

  it('should hand earlier messages to a fresh session as real messages: tool calls, then their results', () => {
    const items = [user('weather?', ['old-image']), assistant('checking', [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }]), tool('c1', '21')]
    const plan = planAgentTurn(items, { hasHistory: false, field: 'messages' })
    expect(plan).toEqual({
      message: '',
      toolResults: [{ toolCallId: 'c1', name: 'get_weather', content: '21' }],
      media: [],
      history: [
        { role: 'user', content: 'weather? [1 attachment(s) not shown]' },
        { role: 'assistant', content: 'checking', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }] },
      ],
    })
  })

  it('should keep earlier tool results as tool messages, and arguments that are not JSON as sent', () => {
    const items = [
      user('a'),
      assistant('', [{ id: 'c1', name: 'lookup', arguments: 'not json' }]),
      tool('c1', 'found'),
      assistant('done'),
      user('b'),
    ]
    expect(planAgentTurn(items, { hasHistory: false, field: 'messages' }).history).toEqual([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup', arguments: 'not json' }] },
      { role: 'tool', toolCallId: 'c1', name: 'lookup', content: 'found' },
      { role: 'assistant', content: 'done' },
    ])
  })

  it('should refuse a conversation with no user message or tool result', () => {
    expect(() => planAgentTurn([user('a'), assistant('b')], { hasHistory: false, field: 'input' })).toThrow('Missing user message in `input`.')
    expect(() => planAgentTurn([], { hasHistory: false, field: 'messages' })).toThrow(expect.objectContaining({ code: 'OAI_ERR_MISSING_USER_MESSAGE' }))
  })
})
