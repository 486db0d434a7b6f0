import { describe, expect, it } from 'vitest'
import {
  ChatCompletionRequestSchema,
  responseFormatInstructions,
  toChatConversation,
  toClientTools,
  toToolChoice,
  type ChatCompletionRequest,
} from './chat-completion-request.js'
import { parseRequestBody } from './parse-request-body.js'

const parse = (body: object): ChatCompletionRequest => parseRequestBody(ChatCompletionRequestSchema, body)

describe('chat completion requests', () => {
  it('should accept what the openai SDK sends, including nulls and unknown fields', () => {
    const request = parse({
      model: 'openclaw',
      messages: [{ role: 'user', content: 'hi' }],
      stream: null,
      temperature: 0.2,
      max_completion_tokens: 100,
      logprobs: false,
      metadata: { a: 'b' },
    })
    expect(request.model).toBe('openclaw')
  })

  it('should split messages into instructions, text, images, assistant tool calls and tool results', () => {
    const { instructions, items } = toChatConversation(
      parse({
        model: 'openclaw',
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'developer', content: [{ type: 'text', text: 'dev' }] },
          { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: 'done' }] },
        ],
      }),
    )
    expect(instructions).toEqual(['sys', 'dev'])
    expect(items).toEqual([
      { role: 'user', text: 'look', media: [{ url: 'data:image/png;base64,AAAA', param: 'messages[2].content[1].image_url' }] },
      { role: 'assistant', text: '', toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c1', name: undefined, text: 'done' },
    ])
  })

  it('should turn function tools into client tools with defaults, refusing duplicates', () => {
    const request = parse({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }] })
    expect(toClientTools(request)).toEqual([{ name: 'f', description: '', parameters: { type: 'object', properties: {} } }])
    const twice = parse({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }, { type: 'function', function: { name: 'f' } }] })
    expect(() => toClientTools(twice)).toThrow(expect.objectContaining({ code: 'OAI_ERR_INVALID_PARAM' }))
  })

  it('should check tool_choice against the tools', () => {
    const tools = [{ name: 'f', description: '', parameters: {} }]
    const withChoice = (tool_choice: unknown) => parse({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], tool_choice })
    expect(toToolChoice(withChoice('auto'), tools)).toBe('auto')
    expect(toToolChoice(withChoice({ type: 'function', function: { name: 'f' } }), tools)).toEqual({ name: 'f' })
    expect(() => toToolChoice(withChoice({ type: 'function', function: { name: 'g' } }), tools)).toThrow("tool 'g' is not among 'tools'")
    expect(() => toToolChoice(withChoice('required'), [])).toThrow(expect.objectContaining({ code: 'OAI_ERR_INVALID_PARAM' }))
  })

  it('should ask for JSON when response_format asks for it', () => {
    const format = (response_format: unknown) => responseFormatInstructions(parse({ model: 'm', messages: [{ role: 'user', content: 'x' }], response_format }))
    expect(format({ type: 'text' })).toBeUndefined()
    expect(format({ type: 'json_object' })).toContain('JSON object')
    expect(format({ type: 'json_schema', json_schema: { name: 's', schema: { type: 'object' } } })).toContain('{"type":"object"}')
  })

  it('should refuse bad bodies naming the param', () => {
    expect(() => parseRequestBody(ChatCompletionRequestSchema, [])).toThrow(expect.objectContaining({ code: 'OAI_ERR_INVALID_BODY' }))
    expect(() => parse({ model: 'openclaw', messages: [] })).toThrow("Invalid 'messages': must contain at least one message")
    expect(() => parse({ model: 'openclaw', messages: [{ role: 'user', content: [{ type: 'input_audio' }] }] })).toThrow(/messages\[0\]\.content\[0\]/)
    expect(() => parse({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }], stop: ['a', 'b', 'c', 'd', 'e'] })).toThrow("Invalid 'stop'")
  })
})
