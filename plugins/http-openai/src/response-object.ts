import { randomUUID } from 'node:crypto'
import type { AgentRunResult } from '@openclaw/plugin-sdk'
import type { ResponsesRequest } from './responses-request.js'
import { toolCallArguments } from './tool-call-arguments.js'

export type ResponseStatus = 'in_progress' | 'completed' | 'failed' | 'incomplete'

export interface OutputText {
  readonly type: 'output_text'
  readonly text: string
  readonly annotations: readonly unknown[]
  readonly logprobs: readonly unknown[]
}

export interface MessageItem {
  readonly type: 'message'
  readonly id: string
  readonly role: 'assistant'
  readonly status: 'in_progress' | 'completed' | 'incomplete'
  readonly content: readonly OutputText[]
}

export interface FunctionCallItem {
  readonly type: 'function_call'
  readonly id: string
  readonly call_id: string
  readonly name: string
  readonly arguments: string
  readonly status: 'in_progress' | 'completed'
}

export type OutputItem = MessageItem | FunctionCallItem

export interface ResponseUsage {
  readonly input_tokens: number
  readonly input_tokens_details: { readonly cached_tokens: number }
  readonly output_tokens: number
  readonly output_tokens_details: { readonly reasoning_tokens: number }
  readonly total_tokens: number
}

/** The parts of a response object fixed when the request arrives. */
export interface ResponseHeader {
  readonly id: string
  readonly createdAt: number
  readonly model: string
  readonly request: ResponsesRequest
}

export const outputText = (text: string): OutputText => ({ type: 'output_text', text, annotations: [], logprobs: [] })

export function messageItem(text: string, status: MessageItem['status'] = 'completed', id = `msg_${randomUUID()}`): MessageItem {
  return { type: 'message', id, role: 'assistant', status, content: [outputText(text)] }
}

/** The run's client-side tool calls as `function_call` items; `call_id` is the id the tool result must name. */
export function functionCallItems(result: Pick<AgentRunResult, 'toolCalls'>): FunctionCallItem[] {
  return result.toolCalls
    .filter((c) => c.clientSide)
    .map((c) => ({ type: 'function_call', id: `fc_${randomUUID()}`, call_id: c.id, name: c.name, arguments: toolCallArguments(c), status: 'completed' }))
}

export function responseUsage(result: Pick<AgentRunResult, 'usage'> | undefined): ResponseUsage {
  const usage = result?.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 }
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.totalTokens,
  }
}

/** `status` and `incomplete_details` for a successful run's finish reason. */
export function completionStatus(result: Pick<AgentRunResult, 'finishReason'>): { status: ResponseStatus; incomplete: { reason: string } | null } {
  if (result.finishReason === 'length') return { status: 'incomplete', incomplete: { reason: 'max_output_tokens' } }
  if (result.finishReason === 'content_filter') return { status: 'incomplete', incomplete: { reason: 'content_filter' } }
  return { status: 'completed', incomplete: null }
}

/**
 * A `response` object. A failed one's `error` also carries `type` and `param`, so the same body is
 * both a failed response and an OpenAI error body (SDKs raise it as an `APIError`).
 */
export function responseObject(input: {
  readonly header: ResponseHeader
  readonly status: ResponseStatus
  readonly output: readonly OutputItem[]
  readonly usage: ResponseUsage | null
  readonly error?: { readonly code: string; readonly message: string; readonly type: string } | undefined
  readonly incomplete?: { readonly reason: string } | null
}) {
  const { header } = input
  const request = header.request
  return {
    id: header.id,
    object: 'response' as const,
    created_at: header.createdAt,
    status: input.status,
    error: input.error ? { ...input.error, param: null } : null,
    incomplete_details: input.incomplete ?? null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: header.model,
    output: input.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    temperature: request.temperature ?? null,
    top_p: request.top_p ?? null,
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    text: { format: request.text?.format ?? { type: 'text' } },
    truncation: 'disabled',
    usage: input.usage,
    user: request.user ?? null,
    metadata: {},
  }
}
