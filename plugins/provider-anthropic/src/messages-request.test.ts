import type { ModelRequest } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { toMessagesRequest } from './messages-request.js'

const options = { maxTokens: 1000 }

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return { model: 'claude-test', system: 'Be brief.', messages: [], tools: [], signal: new AbortController().signal, ...overrides }
}

const toolTurn: ModelRequest['messages'] = [
  { role: 'user', content: 'weather in Paris and Rome?' },
  {
    role: 'assistant',
    content: 'Checking.',
    toolCalls: [
      { id: 'toolu_1', name: 'weather', arguments: { city: 'Paris' } },
      { id: 'toolu_2', name: 'weather', arguments: '{"city":"Rome"}' },
    ],
  },
  { role: 'tool', toolCallId: 'toolu_1', name: 'weather', content: '{"temp":21}' },
  { role: 'tool', toolCallId: 'toolu_2', name: 'weather', content: 'service down', isError: true },
]

describe('toMessagesRequest', () => {
  it('should put the system prompt at the top level and stream', () => {
    expect(toMessagesRequest(request({ messages: [{ role: 'user', content: 'hi' }] }), options)).toEqual({
      model: 'claude-test',
      max_tokens: 1000,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    })
  })

  it('should ask for the whole answer when the request does not stream', () => {
    expect(toMessagesRequest(request({ stream: false }), options).stream).toBe(false)
    expect(toMessagesRequest(request({ stream: true }), options).stream).toBe(true)
  })

  it('should leave out an empty system prompt, and prefer the request maxTokens', () => {
    const body = toMessagesRequest(request({ system: '', maxTokens: 50 }), options)
    expect(body).not.toHaveProperty('system')
    expect(body.max_tokens).toBe(50)
  })

  it('should map tool calls to tool_use blocks and merge consecutive tool results into one user message', () => {
    const body = toMessagesRequest(request({ messages: [...toolTurn, { role: 'user', content: 'thanks' }] }), options)
    expect(body.messages).toEqual([
      { role: 'user', content: 'weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"temp":21}' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'service down', is_error: true },
        ],
      },
      { role: 'user', content: 'thanks' },
    ])
  })

  it('should turn tool arguments that are not an object into an object input', () => {
    const body = toMessagesRequest(
      request({
        messages: [
          { role: 'assistant', content: '', toolCalls: [{ id: 'a', name: 't', arguments: 'not json' }, { id: 'b', name: 't', arguments: [1] }, { id: 'c', name: 't', arguments: undefined }] },
        ],
      }),
      options,
    )
    expect(body.messages[0]?.content).toEqual([
      { type: 'tool_use', id: 'a', name: 't', input: { input: 'not json' } },
      { type: 'tool_use', id: 'b', name: 't', input: { input: [1] } },
      { type: 'tool_use', id: 'c', name: 't', input: {} },
    ])
  })

  it('should drop empty assistant turns', () => {
    const body = toMessagesRequest(request({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: '' }, { role: 'user', content: 'b' }] }), options)
    expect(body.messages).toEqual([
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
    ])
  })

  it('should send images and PDFs as blocks before the text, and say so for what it cannot pass', () => {
    const body = toMessagesRequest(
      request({
        messages: [
          {
            role: 'user',
            content: 'what is this?',
            attachments: [
              { kind: 'image', data: 'AAAA', mimeType: 'image/jpeg' },
              { kind: 'image', url: 'https://example.test/cat.png' },
              { kind: 'file', data: 'JVBERi0=', mimeType: 'application/pdf', name: 'report.pdf' },
              { kind: 'audio', url: 'https://example.test/a.mp3' },
            ],
          },
        ],
      }),
      options,
    )
    expect(body.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'AAAA' } },
      { type: 'image', source: { type: 'url', url: 'https://example.test/cat.png' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'report.pdf' },
      { type: 'text', text: '[An attachment was sent that this model API cannot take, so it is not shown: audio]' },
      { type: 'text', text: 'what is this?' },
    ])
  })

  it('should send tools with input_schema and map the tool choice', () => {
    const tools = [{ name: 'weather', description: 'Get the weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }]
    const body = toMessagesRequest(request({ tools }), options)
    expect(body.tools).toEqual([{ name: 'weather', description: 'Get the weather', input_schema: tools[0]!.parameters }])
    expect(body).not.toHaveProperty('tool_choice')
    const choice = (toolChoice: ModelRequest['toolChoice']) => toMessagesRequest(request({ tools, toolChoice }), options).tool_choice
    expect([choice('auto'), choice('none'), choice('required'), choice({ name: 'weather' })]).toEqual([
      { type: 'auto' },
      { type: 'none' },
      { type: 'any' },
      { type: 'tool', name: 'weather' },
    ])
  })

  it('should enable thinking with a budget on top of max_tokens, and drop the temperature', () => {
    const body = toMessagesRequest(request({ messages: [{ role: 'user', content: 'hi' }], thinking: 'medium', temperature: 0.3 }), options)
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 })
    expect(body.max_tokens).toBe(8192 + 1000)
    expect(body).not.toHaveProperty('temperature')
    const custom = toMessagesRequest(request({ thinking: 'high' }), { ...options, thinkingBudgets: { minimal: 1024, low: 1024, medium: 1024, high: 5000 } })
    expect(custom.thinking).toEqual({ type: 'enabled', budget_tokens: 5000 })
  })

  it('should keep thinking off when the level is off or unset, and send the temperature', () => {
    expect(toMessagesRequest(request({ thinking: 'off', temperature: 0.3 }), options)).toMatchObject({ temperature: 0.3, max_tokens: 1000 })
    expect(toMessagesRequest(request({ thinking: 'off' }), options)).not.toHaveProperty('thinking')
    expect(toMessagesRequest(request(), options)).not.toHaveProperty('thinking')
  })

  it('should keep thinking off with a forced tool choice, and when the turn continues after tool calls', () => {
    const tools = [{ name: 'weather', description: 'd', parameters: { type: 'object' } }]
    expect(toMessagesRequest(request({ tools, toolChoice: 'required', thinking: 'high' }), options)).not.toHaveProperty('thinking')
    expect(toMessagesRequest(request({ tools, toolChoice: { name: 'weather' }, thinking: 'high' }), options)).not.toHaveProperty('thinking')
    expect(toMessagesRequest(request({ messages: toolTurn, thinking: 'high' }), options)).not.toHaveProperty('thinking')
    const nextTurn = toMessagesRequest(request({ messages: [...toolTurn, { role: 'assistant', content: 'Done.' }, { role: 'user', content: 'and Oslo?' }], thinking: 'high' }), options)
    expect(nextTurn.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 })
  })
})
