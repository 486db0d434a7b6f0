import type { ModelRequest } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { isReasoningModel, toChatCompletionRequest } from './chat-completion-request.js'

const options = { maxTokensField: 'max_tokens', reasoning: false } as const

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return { model: 'gpt-test', system: 'Be brief.', messages: [], tools: [], signal: new AbortController().signal, ...overrides }
}

describe('toChatCompletionRequest', () => {
  it('should put the system message first and ask for a stream with usage', () => {
    const body = toChatCompletionRequest(request({ messages: [{ role: 'user', content: 'hi' }] }), options)
    expect(body).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    })
  })

  it('should ask for the whole answer, without stream_options, when the request does not stream', () => {
    const body = toChatCompletionRequest(request({ messages: [{ role: 'user', content: 'hi' }], stream: false }), options)
    expect(body.stream).toBe(false)
    expect(body).not.toHaveProperty('stream_options')
    expect(toChatCompletionRequest(request({ stream: true }), options)).toMatchObject({ stream: true, stream_options: { include_usage: true } })
  })

  it('should leave out an empty system prompt', () => {
    expect(toChatCompletionRequest(request({ system: '' }), options).messages).toEqual([])
  })

  it('should map assistant tool calls and tool results', () => {
    const body = toChatCompletionRequest(
      request({
        messages: [
          { role: 'user', content: 'weather?' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'weather', arguments: { city: 'Paris' } }, { id: 'call_2', name: 'raw', arguments: 'not json' }] },
          { role: 'tool', toolCallId: 'call_1', name: 'weather', content: '{"temp":21}' },
          { role: 'tool', toolCallId: 'call_2', name: 'raw', content: 'failed', isError: true },
          { role: 'assistant', content: 'It is 21 °C.' },
        ],
      }),
      options,
    )
    expect(body.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'raw', arguments: 'not json' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'failed' },
      { role: 'assistant', content: 'It is 21 °C.' },
    ])
  })

  it('should turn images into image_url parts, inline PDFs into file parts, and say so for what it cannot pass', () => {
    const body = toChatCompletionRequest(
      request({
        messages: [
          {
            role: 'user',
            content: 'what is this?',
            attachments: [
              { kind: 'image', url: 'https://example.test/cat.png' },
              { kind: 'image', data: 'AAAA', mimeType: 'image/jpeg' },
              { kind: 'file', data: 'JVBERi0=', mimeType: 'application/pdf', name: 'report.pdf' },
              { kind: 'file', url: 'https://example.test/doc.pdf' },
            ],
          },
        ],
      }),
      options,
    )
    expect(body.messages[1]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'what is this?' },
        { type: 'image_url', image_url: { url: 'https://example.test/cat.png' } },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } },
        { type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
        { type: 'text', text: '[An attachment was sent that this model API cannot take, so it is not shown: file]' },
      ],
    })
  })

  it('should send tools as functions, with the tool choice mapped', () => {
    const tools = [{ name: 'weather', description: 'Get the weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }]
    const forced = toChatCompletionRequest(request({ tools, toolChoice: { name: 'weather' } }), options)
    expect(forced.tools).toEqual([{ type: 'function', function: { name: 'weather', description: 'Get the weather', parameters: tools[0]!.parameters } }])
    expect(forced.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } })
    expect(toChatCompletionRequest(request({ tools, toolChoice: 'required' }), options).tool_choice).toBe('required')
    expect(toChatCompletionRequest(request({ tools }), options).tool_choice).toBeUndefined()
    expect(toChatCompletionRequest(request({ toolChoice: 'none' }), options)).not.toHaveProperty('tool_choice')
  })

  it('should send maxTokens in the configured field, and temperature', () => {
    expect(toChatCompletionRequest(request({ maxTokens: 100, temperature: 0.2 }), options)).toMatchObject({ max_tokens: 100, temperature: 0.2 })
    const official = toChatCompletionRequest(request({ maxTokens: 100 }), { ...options, maxTokensField: 'max_completion_tokens' })
    expect(official.max_completion_tokens).toBe(100)
    expect(official).not.toHaveProperty('max_tokens')
  })

  it('should send reasoning_effort only to reasoning models, and not when thinking is off', () => {
    const reasoning = { ...options, reasoning: true }
    expect(toChatCompletionRequest(request({ model: 'o3-mini', thinking: 'high' }), reasoning).reasoning_effort).toBe('high')
    expect(toChatCompletionRequest(request({ model: 'o3-mini', thinking: 'minimal' }), reasoning).reasoning_effort).toBe('low')
    expect(toChatCompletionRequest(request({ model: 'gpt-5-mini', thinking: 'minimal' }), reasoning).reasoning_effort).toBe('minimal')
    expect(toChatCompletionRequest(request({ model: 'o3', thinking: 'off' }), reasoning)).not.toHaveProperty('reasoning_effort')
    expect(toChatCompletionRequest(request({ model: 'gpt-4o', thinking: 'high' }), options)).not.toHaveProperty('reasoning_effort')
    expect([isReasoningModel('o1'), isReasoningModel('o4-mini'), isReasoningModel('gpt-5'), isReasoningModel('gpt-4o')]).toEqual([true, true, true, false])
  })
})
