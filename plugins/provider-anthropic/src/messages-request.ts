import type { Attachment, ModelMessage, ModelRequest, ThinkingLevel } from '@openclaw/plugin-sdk'

export type ImageSource = { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string }

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; source: ImageSource }
  | { type: 'document'; source: { type: 'base64'; media_type: 'application/pdf'; data: string } | { type: 'url'; url: string }; title?: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string; is_error?: true }

export interface AnthropicMessage {
  role: 'user' | 'assistant'
  content: string | ContentBlock[]
}

export type AnthropicToolChoice = { type: 'auto' } | { type: 'any' } | { type: 'none' } | { type: 'tool'; name: string }

/** The body of `POST /v1/messages`, as this provider sends it: streaming, unless the request says `stream: false`. */
export interface MessagesRequest {
  model: string
  max_tokens: number
  system?: string
  messages: AnthropicMessage[]
  tools?: { name: string; description: string; input_schema: Record<string, unknown> }[]
  tool_choice?: AnthropicToolChoice
  temperature?: number
  thinking?: { type: 'enabled'; budget_tokens: number }
  stream: boolean
}

export type ThinkingBudgets = Readonly<Record<Exclude<ThinkingLevel, 'off'>, number>>

/** Thinking tokens per level. Anthropic's minimum is 1024. */
export const DEFAULT_THINKING_BUDGETS: ThinkingBudgets = { minimal: 1024, low: 2048, medium: 8192, high: 16384 }

export interface MessagesRequestOptions {
  /** `max_tokens` when the request sets none. */
  readonly maxTokens: number
  readonly thinkingBudgets?: ThinkingBudgets
}

/**
 * Turn a {@link ModelRequest} into a Messages request body, streaming unless the request says
 * `stream: false`: `system` at the top level, tool results as `tool_result` blocks of a user message
 * (consecutive ones merged into one), and extended thinking when `thinking` is set and not `off`.
 */
export function toMessagesRequest(request: ModelRequest, options: MessagesRequestOptions): MessagesRequest {
  const maxTokens = request.maxTokens ?? options.maxTokens
  const body: MessagesRequest = { model: request.model, max_tokens: maxTokens, messages: toMessages(request.messages), stream: request.stream !== false }
  if (request.system !== '') body.system = request.system
  if (request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: { ...tool.parameters } }))
    if (request.toolChoice !== undefined) body.tool_choice = toToolChoice(request.toolChoice)
  }
  const budget = thinkingBudget(request, options.thinkingBudgets ?? DEFAULT_THINKING_BUDGETS)
  if (budget !== undefined) {
    // The budget must stay below max_tokens: it comes on top of the answer's tokens.
    body.thinking = { type: 'enabled', budget_tokens: budget }
    body.max_tokens = budget + maxTokens
  } else if (request.temperature !== undefined) {
    // Anthropic refuses a temperature with thinking on.
    body.temperature = request.temperature
  }
  return body
}

function toMessages(messages: readonly ModelMessage[]): AnthropicMessage[] {
  const out: AnthropicMessage[] = []
  let toolResults: ContentBlock[] | undefined
  for (const message of messages) {
    if (message.role === 'tool') {
      const block: ContentBlock = { type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }
      if (message.isError) block.is_error = true
      if (toolResults === undefined) {
        toolResults = [block]
        out.push({ role: 'user', content: toolResults })
      } else {
        toolResults.push(block)
      }
      continue
    }
    toolResults = undefined
    if (message.role === 'user') {
      const attachments = message.attachments ?? []
      if (attachments.length === 0) out.push({ role: 'user', content: message.content })
      else {
        const blocks: ContentBlock[] = attachments.map(attachmentBlock)
        if (message.content !== '') blocks.push({ type: 'text', text: message.content })
        out.push({ role: 'user', content: blocks })
      }
      continue
    }
    const calls = message.toolCalls ?? []
    if (calls.length === 0) {
      // Anthropic refuses empty text; an empty assistant turn says nothing anyway.
      if (message.content !== '') out.push({ role: 'assistant', content: message.content })
      continue
    }
    const blocks: ContentBlock[] = message.content === '' ? [] : [{ type: 'text', text: message.content }]
    for (const call of calls) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toInput(call.arguments) })
    out.push({ role: 'assistant', content: blocks })
  }
  return out
}

/** Tool input must be an object: parse a raw string, wrap anything else. */
function toInput(args: unknown): Record<string, unknown> {
  let value = args
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown
    } catch {
      return { input: value }
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
  return value === undefined || value === null ? {} : { input: value }
}

/**
 * An attachment as a content block: an image (inline or by URL), a PDF as a document (inline or by
 * URL). What the Messages API cannot take becomes a text note, so the model knows something was
 * sent that it cannot see: never a silent drop.
 */
function attachmentBlock(attachment: Attachment): ContentBlock {
  if (attachment.kind === 'image' && attachment.data !== undefined) return { type: 'image', source: { type: 'base64', media_type: attachment.mimeType ?? 'image/png', data: attachment.data } }
  if (attachment.kind === 'image' && attachment.url !== undefined) return { type: 'image', source: { type: 'url', url: attachment.url } }
  if (attachment.kind === 'file' && attachment.mimeType === 'application/pdf') {
    const title = attachment.name !== undefined ? { title: attachment.name } : {}
    if (attachment.data !== undefined) return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: attachment.data }, ...title }
    if (attachment.url !== undefined) return { type: 'document', source: { type: 'url', url: attachment.url }, ...title }
  }
  const what = [attachment.kind, attachment.name ? `'${attachment.name}'` : undefined, attachment.mimeType ? `(${attachment.mimeType})` : undefined].filter(Boolean).join(' ')
  return { type: 'text', text: `[An attachment was sent that this model API cannot take, so it is not shown: ${what}]` }
}

function toToolChoice(choice: NonNullable<ModelRequest['toolChoice']>): AnthropicToolChoice {
  if (choice === 'auto') return { type: 'auto' }
  if (choice === 'none') return { type: 'none' }
  if (choice === 'required') return { type: 'any' }
  return { type: 'tool', name: choice.name }
}

/**
 * The thinking budget, or `undefined` when thinking stays off: level unset or `off`; a forced tool
 * choice (Anthropic allows only `auto`/`none` with thinking); or the turn continues after tool calls,
 * since a thinking turn must then start with the previous thinking block, which messages do not keep.
 */
function thinkingBudget(request: ModelRequest, budgets: ThinkingBudgets): number | undefined {
  const level = request.thinking
  if (level === undefined || level === 'off') return undefined
  if (request.toolChoice === 'required' || typeof request.toolChoice === 'object') return undefined
  if (continuesAfterToolCalls(request.messages)) return undefined
  return budgets[level]
}

function continuesAfterToolCalls(messages: readonly ModelMessage[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!
    if (message.role === 'tool') continue
    return message.role === 'assistant' && (message.toolCalls?.length ?? 0) > 0
  }
  return false
}
