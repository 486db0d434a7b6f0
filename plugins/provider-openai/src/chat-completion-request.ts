import type { Attachment, ModelMessage, ModelRequest, ThinkingLevel } from '@openclaw/plugin-sdk'

export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'file'; file: { filename: string; file_data: string } }

export interface ChatToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string }

export type ChatToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } }

/** The body of `POST /chat/completions`, as this provider sends it: streaming, unless the request says `stream: false`. */
export interface ChatCompletionRequest {
  model: string
  messages: ChatMessage[]
  stream: boolean
  /** Streaming only: ask for a last chunk with the usage. */
  stream_options?: { include_usage: true }
  tools?: { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }[]
  tool_choice?: ChatToolChoice
  max_tokens?: number
  max_completion_tokens?: number
  temperature?: number
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high'
}

export interface ChatCompletionRequestOptions {
  /** `max_completion_tokens` for api.openai.com (required by reasoning models), `max_tokens` for compatible servers. */
  readonly maxTokensField: 'max_tokens' | 'max_completion_tokens'
  /** Whether the model takes `reasoning_effort`; only then does `thinking` reach the wire. */
  readonly reasoning: boolean
}

/**
 * Turn a {@link ModelRequest} into a Chat Completions request body: streaming with usage, or a
 * whole-answer request (`stream: false`) when the request says `stream: false`.
 */
export function toChatCompletionRequest(request: ModelRequest, options: ChatCompletionRequestOptions): ChatCompletionRequest {
  const messages: ChatMessage[] = []
  if (request.system !== '') messages.push({ role: 'system', content: request.system })
  for (const message of request.messages) messages.push(toChatMessage(message))

  const stream = request.stream !== false
  const body: ChatCompletionRequest = { model: request.model, messages, stream }
  if (stream) body.stream_options = { include_usage: true }
  if (request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } },
    }))
    if (request.toolChoice !== undefined) body.tool_choice = toToolChoice(request.toolChoice)
  }
  if (request.maxTokens !== undefined) body[options.maxTokensField] = request.maxTokens
  if (request.temperature !== undefined) body.temperature = request.temperature
  const effort = options.reasoning ? toReasoningEffort(request.thinking, request.model) : undefined
  if (effort !== undefined) body.reasoning_effort = effort
  return body
}

function toChatMessage(message: ModelMessage): ChatMessage {
  switch (message.role) {
    case 'user': {
      const attachments = message.attachments ?? []
      if (attachments.length === 0) return { role: 'user', content: message.content }
      const parts: ChatContentPart[] = message.content === '' ? [] : [{ type: 'text', text: message.content }]
      for (const attachment of attachments) parts.push(attachmentPart(attachment))
      return { role: 'user', content: parts }
    }
    case 'assistant': {
      const calls = message.toolCalls ?? []
      if (calls.length === 0) return { role: 'assistant', content: message.content }
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}) },
        })),
      }
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content }
  }
}

/**
 * An attachment as a content part: an image as an `image_url` (its URL, or a `data:` URL), an inline
 * PDF as a `file` part. What the Chat Completions API cannot take (audio, video, other files, file
 * URLs) becomes a text note, so the model knows something was sent that it cannot see: never a silent drop.
 */
function attachmentPart(attachment: Attachment): ChatContentPart {
  if (attachment.kind === 'image' && attachment.url !== undefined) return { type: 'image_url', image_url: { url: attachment.url } }
  if (attachment.kind === 'image' && attachment.data !== undefined) {
    return { type: 'image_url', image_url: { url: `data:${attachment.mimeType ?? 'image/png'};base64,${attachment.data}` } }
  }
  if (attachment.kind === 'file' && attachment.mimeType === 'application/pdf' && attachment.data !== undefined) {
    return { type: 'file', file: { filename: attachment.name ?? 'document.pdf', file_data: `data:application/pdf;base64,${attachment.data}` } }
  }
  return { type: 'text', text: unsupportedNote(attachment) }
}

function unsupportedNote(attachment: Attachment): string {
  const what = [attachment.kind, attachment.name ? `'${attachment.name}'` : undefined, attachment.mimeType ? `(${attachment.mimeType})` : undefined].filter(Boolean).join(' ')
  return `[An attachment was sent that this model API cannot take, so it is not shown: ${what}]`
}

function toToolChoice(choice: NonNullable<ModelRequest['toolChoice']>): ChatToolChoice {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } }
}

function toReasoningEffort(level: ThinkingLevel | undefined, model: string): ChatCompletionRequest['reasoning_effort'] {
  if (level === undefined || level === 'off') return undefined
  // Only the gpt-5 family knows `minimal`; the o-series starts at `low`.
  if (level === 'minimal' && !/^gpt-5/.test(model)) return 'low'
  return level
}

/** Models that accept `reasoning_effort` (o1, o3, o4-mini, gpt-5…); others reject it with a 400. */
export function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model)
}
