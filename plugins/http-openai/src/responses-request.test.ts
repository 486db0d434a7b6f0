import { describe, expect, it } from 'vitest'
import { parseRequestBody } from './parse-request-body.js'
import { ResponsesRequestSchema, toResponsesConversation, toResponsesToolChoice, type ResponsesRequest } from './responses-request.js'

const parse = (body: object): ResponsesRequest => parseRequestBody(ResponsesRequestSchema, body)

describe('responses requests', () => {
  it('should take a string input as one user message', () => {
    expect(toResponsesConversation(parse({ model: 'openclaw', input: 'hi' }))).toEqual({ instructions: [], items: [{ role: 'user', text: 'hi', media: [] }] })
  })

  it('should read message, function_call and function_call_output items, skipping reasoning', () => {
    const { instructions, items } = toResponsesConversation(
      parse({
        model: 'openclaw',
        input: [
          { role: 'system', content: 'sys' },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_image', image_url: 'https://example.com/a.png' }] },
          { type: 'reasoning', id: 'rs_1', summary: [] },
          { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
          { type: 'function_call', call_id: 'c2', name: 'g', arguments: '{}' },
          { type: 'function_call_output', call_id: 'c1', output: 'one' },
        ],
      }),
    )
    expect(instructions).toEqual(['sys'])
    expect(items).toEqual([
      { role: 'user', text: 'hi', media: [{ kind: 'image', url: 'https://example.com/a.png', param: 'input[1].content[1]' }] },
      { role: 'assistant', text: '', toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }, { id: 'c2', name: 'g', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c1', name: undefined, text: 'one' },
    ])
  })

  it('should read OpenResponses source objects for images and files', () => {
    const { items } = toResponsesConversation(
      parse({
        model: 'openclaw',
        input: [{ role: 'user', content: [
          { type: 'input_image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
          { type: 'input_file', source: { type: 'base64', media_type: 'text/plain', data: 'aGk=', filename: 'a.txt' } },
        ] }],
      }),
    )
    expect(items[0]).toMatchObject({
      media: [
        { kind: 'image', data: 'AAAA', mimeType: 'image/png' },
        { kind: 'file', data: 'aGk=', mimeType: 'text/plain', filename: 'a.txt' },
      ],
    })
  })

  it('should refuse unsupported items, file ids and non-function tools naming the param', () => {
    expect(() => toResponsesConversation(parse({ model: 'm', input: [{ type: 'web_search_call' }] }))).toThrow(/input\[0\]\.type/)
    expect(() => toResponsesConversation(parse({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file_1' }] }] }))).toThrow(
      /input\[0\]\.content\[0\]\.file_id/,
    )
    expect(() => parse({ model: 'm', input: 'x', tools: [{ type: 'file_search' }] })).toThrow(/tools\[0\]\.type/)
    expect(() => toResponsesConversation(parse({ model: 'm', input: [{ type: 'function_call_output', output: 'x' }] }))).toThrow(/input\[0\]\.call_id/)
  })

  it('should check tool_choice against the tools', () => {
    const tools = [{ name: 'f', description: '', parameters: {} }]
    expect(toResponsesToolChoice(parse({ model: 'm', input: 'x', tool_choice: { type: 'function', name: 'f' } }), tools)).toEqual({ name: 'f' })
    expect(() => toResponsesToolChoice(parse({ model: 'm', input: 'x', tool_choice: { type: 'function', name: 'g' } }), tools)).toThrow(/not among/)
  })
})
