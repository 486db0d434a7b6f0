import { z } from 'zod'
import { invalidParam } from './openai-error.js'
import type { ConversationItem } from './plan-agent-turn.js'

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/
const SafePositiveInt = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

const TextPart = z.looseObject({ type: z.literal('text'), text: z.string() })
const ImageUrlPart = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.union([z.string(), z.looseObject({ url: z.string(), detail: z.string().nullish() })]),
})
const RefusalPart = z.looseObject({ type: z.literal('refusal'), refusal: z.string() })

const UserContent = z.union([
  z.string(),
  z.array(z.discriminatedUnion('type', [TextPart, ImageUrlPart], { error: "each part must be { type: 'text', text } or { type: 'image_url', image_url: { url } }" })),
])
const TextContent = z.union([z.string(), z.array(TextPart)])

const ToolCallSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
})

const MessageSchema = z.discriminatedUnion(
  'role',
  [
    z.looseObject({ role: z.literal('system'), content: TextContent, name: z.string().nullish() }),
    z.looseObject({ role: z.literal('developer'), content: TextContent, name: z.string().nullish() }),
    z.looseObject({ role: z.literal('user'), content: UserContent, name: z.string().nullish() }),
    z.looseObject({
      role: z.literal('assistant'),
      content: z.union([z.string(), z.array(z.discriminatedUnion('type', [TextPart, RefusalPart]))]).nullish(),
      tool_calls: z.array(ToolCallSchema).nullish(),
      name: z.string().nullish(),
    }),
    z.looseObject({ role: z.literal('tool'), tool_call_id: z.string().min(1), content: TextContent }),
    /** Legacy function calling. */
    z.looseObject({ role: z.literal('function'), name: z.string().min(1), content: z.string().nullable() }),
  ],
  { error: "role must be 'system', 'developer', 'user', 'assistant', 'tool' or 'function'" },
)

const FunctionToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().regex(TOOL_NAME, 'must be 1-64 letters, digits, "_" or "-"'),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
})

const ToolChoiceSchema = z.union(
  [
    z.enum(['auto', 'none', 'required']),
    z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string().min(1) }) }),
  ],
  { error: "must be 'auto', 'none', 'required' or { type: 'function', function: { name } }" },
)

/** The body of `POST /v1/chat/completions`. Unknown fields are accepted and ignored. */
export const ChatCompletionRequestSchema = z.looseObject({
  /** Left out: `openclaw`, the default agent, as in OpenClaw (the Responses endpoint requires it). */
  model: z.string({ error: 'must be a string: "openclaw" or "openclaw/<agentId>"' }).default('openclaw'),
  messages: z.array(MessageSchema, { error: 'is required: an array of messages' }).min(1, 'must contain at least one message'),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  user: z.string().nullish(),
  tools: z.array(FunctionToolSchema).nullish(),
  tool_choice: ToolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_tokens: SafePositiveInt.nullish(),
  max_completion_tokens: SafePositiveInt.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  seed: z.number().int().nullish(),
  n: z.number().int().min(1).max(1, 'only n=1 is supported').nullish(),
  stop: z.union([z.string(), z.array(z.string().min(1)).max(4)]).nullish(),
  response_format: z
    .looseObject({
      type: z.enum(['text', 'json_object', 'json_schema']),
      json_schema: z.looseObject({ name: z.string().optional(), schema: z.record(z.string(), z.unknown()).optional() }).optional(),
    })
    .nullish(),
})

export type ChatCompletionRequest = z.output<typeof ChatCompletionRequestSchema>

/** A user's `image_url` part, with the param path that names it in errors. */
export interface ChatImagePart {
  readonly url: string
  readonly param: string
}

export type ClientTool = { readonly name: string; readonly description: string; readonly parameters: Readonly<Record<string, unknown>> }
export type ToolChoice = 'auto' | 'none' | 'required' | { readonly name: string }

const EMPTY_PARAMETERS = { type: 'object', properties: {} }

function textOf(content: string | readonly { readonly type: string; readonly text?: string; readonly refusal?: string }[] | null | undefined): string {
  if (content === null || content === undefined) return ''
  if (typeof content === 'string') return content
  return content.map((p) => p.text ?? p.refusal ?? '').filter((t) => t !== '').join('\n')
}

/** The request's messages as instructions (system/developer) and a conversation. */
export function toChatConversation(request: ChatCompletionRequest): { instructions: string[]; items: ConversationItem<ChatImagePart>[] } {
  const instructions: string[] = []
  const items: ConversationItem<ChatImagePart>[] = []
  request.messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content)
        if (text.trim() !== '') instructions.push(text)
        break
      }
      case 'user': {
        if (typeof message.content === 'string') {
          items.push({ role: 'user', text: message.content, media: [] })
          break
        }
        const media: ChatImagePart[] = []
        const texts: string[] = []
        message.content.forEach((part, j) => {
          if (part.type === 'text') texts.push(part.text)
          else media.push({ url: typeof part.image_url === 'string' ? part.image_url : part.image_url.url, param: `messages[${i}].content[${j}].image_url` })
        })
        items.push({ role: 'user', text: texts.join('\n'), media })
        break
      }
      case 'assistant':
        items.push({
          role: 'assistant',
          text: textOf(message.content),
          toolCalls: (message.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
        })
        break
      case 'tool':
        items.push({ role: 'tool', toolCallId: message.tool_call_id, name: undefined, text: textOf(message.content) })
        break
      case 'function':
        items.push({ role: 'tool', toolCallId: message.name, name: message.name, text: message.content ?? '' })
        break
    }
  })
  return { instructions, items }
}

/** Function tools as the run's client tools; names must be unique. */
export function toClientTools(request: ChatCompletionRequest): ClientTool[] {
  const seen = new Set<string>()
  return (request.tools ?? []).map((tool, i) => {
    const { name, description, parameters } = tool.function
    if (seen.has(name)) throw invalidParam(`tools[${i}].function.name`, `duplicate tool name '${name}'`)
    seen.add(name)
    return { name, description: description ?? '', parameters: parameters ?? EMPTY_PARAMETERS }
  })
}

/** `tool_choice` for the run; it must fit the tools given. */
export function toToolChoice(request: ChatCompletionRequest, tools: readonly ClientTool[]): ToolChoice | undefined {
  const choice = request.tool_choice
  if (choice === null || choice === undefined) return undefined
  if (typeof choice === 'string') {
    if (choice === 'required' && tools.length === 0) throw invalidParam('tool_choice', "'required' needs at least one tool in 'tools'")
    return choice
  }
  const name = choice.function.name
  if (!tools.some((t) => t.name === name)) throw invalidParam('tool_choice', `tool '${name}' is not among 'tools'`)
  return { name }
}

/** Extra instructions for `response_format` (the model is asked for JSON; the gateway does not enforce it). */
export function responseFormatInstructions(request: ChatCompletionRequest): string | undefined {
  const format = request.response_format
  if (!format || format.type === 'text') return undefined
  if (format.type === 'json_object') return 'Reply with a single valid JSON object and nothing else.'
  const schema = format.json_schema?.schema
  return schema
    ? `Reply with a single valid JSON value that matches this JSON Schema, and nothing else:\n${JSON.stringify(schema)}`
    : 'Reply with a single valid JSON value and nothing else.'
}
