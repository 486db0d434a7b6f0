import { z, type ZodType } from 'zod'
import type { ClientTool, ToolChoice } from './chat-completion-request.js'
import { invalidParam } from './openai-error.js'
import { formatParamPath, reportedIssue } from './parse-request-body.js'
import type { ConversationItem } from './plan-agent-turn.js'

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/
const EMPTY_PARAMETERS = { type: 'object', properties: {} }

const UrlSource = z.looseObject({ type: z.literal('url'), url: z.string().min(1) })
const Base64Source = z.looseObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string(), filename: z.string().optional() })

const InputText = z.looseObject({ type: z.enum(['input_text', 'output_text', 'text']), text: z.string() })
const Refusal = z.looseObject({ type: z.literal('refusal'), refusal: z.string() })
const InputImage = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.string().nullish(),
  source: z.discriminatedUnion('type', [UrlSource, Base64Source]).optional(),
})
const InputFile = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().nullish(),
  file_url: z.string().nullish(),
  file_id: z.string().nullish(),
  filename: z.string().nullish(),
  source: z.discriminatedUnion('type', [UrlSource, Base64Source]).optional(),
})
const ContentPart = z.discriminatedUnion('type', [InputText, Refusal, InputImage, InputFile], {
  error: "each content part must be input_text, input_image or input_file (output_text/refusal for assistant messages)",
})

const MessageItem = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer'], { error: "role must be 'user', 'assistant', 'system' or 'developer'" }),
  content: z.union([z.string(), z.array(ContentPart)]),
})
const FunctionCallItem = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
})
const FunctionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(ContentPart)]),
})

const ITEM_SCHEMAS: Readonly<Record<string, ZodType>> = {
  message: MessageItem,
  function_call: FunctionCallItem,
  function_call_output: FunctionCallOutputItem,
}
/** Item types that carry no state the agent needs; accepted and skipped. */
const IGNORED_ITEMS = new Set(['reasoning', 'item_reference'])

const FunctionTool = z.looseObject({
  type: z.literal('function', { error: "only function tools are supported: { type: 'function', name, parameters }" }),
  name: z.string().regex(TOOL_NAME, 'must be 1-64 letters, digits, "_" or "-"'),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
})

const ToolChoiceSchema = z.union(
  [z.enum(['auto', 'none', 'required']), z.looseObject({ type: z.literal('function'), name: z.string().min(1) })],
  { error: "must be 'auto', 'none', 'required' or { type: 'function', name }" },
)

/** The body of `POST /v1/responses`. Unknown fields (`metadata`, `store`, `reasoning`, …) are accepted and ignored. */
export const ResponsesRequestSchema = z.looseObject({
  model: z.string({ error: 'is required: use "openclaw" or "openclaw/<agentId>"' }),
  input: z.union([z.string(), z.array(z.looseObject({ type: z.string().optional() }))], { error: 'is required: a string or an array of input items' }),
  instructions: z.string().nullish(),
  tools: z.array(FunctionTool).nullish(),
  tool_choice: ToolChoiceSchema.nullish(),
  stream: z.boolean().nullish(),
  user: z.string().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  max_output_tokens: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z
    .looseObject({
      format: z.looseObject({ type: z.enum(['text', 'json_object', 'json_schema']), schema: z.record(z.string(), z.unknown()).optional() }).optional(),
    })
    .nullish(),
})

export type ResponsesRequest = z.output<typeof ResponsesRequestSchema>

/** An `input_image` or `input_file` part, with the param path that names it in errors. */
export interface ResponsesMediaPart {
  readonly kind: 'image' | 'file'
  readonly url?: string
  /** A `data:` URL, or bare base64 with `mimeType`. */
  readonly data?: string
  readonly mimeType?: string
  readonly filename?: string
  readonly param: string
}

type Part = z.output<typeof ContentPart>

function parseItem<T>(schema: ZodType<T>, item: unknown, path: string): T {
  const result = schema.safeParse(item)
  if (result.success) return result.data
  const issue = reportedIssue(result.error.issues)
  const rest = formatParamPath(issue.path)
  throw invalidParam(rest === '' ? path : rest.startsWith('[') ? `${path}${rest}` : `${path}.${rest}`, issue.message)
}

function mediaOf(part: Part, param: string): ResponsesMediaPart | undefined {
  if (part.type === 'input_image') {
    if (part.file_id) throw invalidParam(`${param}.file_id`, 'file ids are not supported; send image_url (a URL or a data: URL)')
    if (part.source?.type === 'url') return { kind: 'image', url: part.source.url, param }
    if (part.source?.type === 'base64') return { kind: 'image', data: part.source.data, mimeType: part.source.media_type, param }
    if (part.image_url) return part.image_url.startsWith('data:') ? { kind: 'image', data: part.image_url, param } : { kind: 'image', url: part.image_url, param }
    throw invalidParam(param, 'input_image needs image_url (or source)')
  }
  if (part.type === 'input_file') {
    if (part.file_id) throw invalidParam(`${param}.file_id`, 'file ids are not supported; send file_data (base64) or file_url')
    const filename = part.filename ?? (part.source?.type === 'base64' ? part.source.filename : undefined) ?? undefined
    const named = filename ? { filename } : {}
    if (part.source?.type === 'url') return { kind: 'file', url: part.source.url, param, ...named }
    if (part.source?.type === 'base64') return { kind: 'file', data: part.source.data, mimeType: part.source.media_type, param, ...named }
    if (part.file_data) return { kind: 'file', data: part.file_data, param, ...named }
    if (part.file_url) return { kind: 'file', url: part.file_url, param, ...named }
    throw invalidParam(param, 'input_file needs file_data or file_url (or source)')
  }
  return undefined
}

function textOf(content: string | readonly Part[]): string {
  if (typeof content === 'string') return content
  return content
    .map((p) => (p.type === 'refusal' ? p.refusal : 'text' in p && typeof p.text === 'string' ? p.text : ''))
    .filter((t) => t !== '')
    .join('\n')
}

/** `input` as instructions (system/developer messages) and a conversation. */
export function toResponsesConversation(request: ResponsesRequest): { instructions: string[]; items: ConversationItem<ResponsesMediaPart>[] } {
  if (typeof request.input === 'string') return { instructions: [], items: [{ role: 'user', text: request.input, media: [] }] }
  const instructions: string[] = []
  const items: ConversationItem<ResponsesMediaPart>[] = []
  request.input.forEach((raw, i) => {
    const path = `input[${i}]`
    const type = raw.type ?? 'message'
    if (IGNORED_ITEMS.has(type)) return
    const schema = ITEM_SCHEMAS[type]
    if (!schema) throw invalidParam(`${path}.type`, `item type '${type}' is not supported (supported: message, function_call, function_call_output)`)
    if (type === 'function_call') {
      const item = parseItem(FunctionCallItem, raw, path)
      const last = items.at(-1)
      const call = { id: item.call_id, name: item.name, arguments: item.arguments }
      // Consecutive function calls belong to one assistant turn.
      if (last?.role === 'assistant') items[items.length - 1] = { ...last, toolCalls: [...last.toolCalls, call] }
      else items.push({ role: 'assistant', text: '', toolCalls: [call] })
      return
    }
    if (type === 'function_call_output') {
      const item = parseItem(FunctionCallOutputItem, raw, path)
      items.push({ role: 'tool', toolCallId: item.call_id, name: undefined, text: textOf(item.output) })
      return
    }
    const message = parseItem(MessageItem, raw, path)
    if (message.role === 'system' || message.role === 'developer') {
      const text = textOf(message.content)
      if (text.trim() !== '') instructions.push(text)
      return
    }
    if (message.role === 'assistant') {
      items.push({ role: 'assistant', text: textOf(message.content), toolCalls: [] })
      return
    }
    const media = typeof message.content === 'string' ? [] : message.content.flatMap((part, j) => mediaOf(part, `${path}.content[${j}]`) ?? [])
    items.push({ role: 'user', text: textOf(message.content), media })
  })
  return { instructions, items }
}

/** Function tools as the run's client tools; names must be unique. */
export function toResponsesClientTools(request: ResponsesRequest): ClientTool[] {
  const seen = new Set<string>()
  return (request.tools ?? []).map((tool, i) => {
    if (seen.has(tool.name)) throw invalidParam(`tools[${i}].name`, `duplicate tool name '${tool.name}'`)
    seen.add(tool.name)
    return { name: tool.name, description: tool.description ?? '', parameters: tool.parameters ?? EMPTY_PARAMETERS }
  })
}

/** `tool_choice` for the run; it must fit the tools given. */
export function toResponsesToolChoice(request: ResponsesRequest, tools: readonly ClientTool[]): ToolChoice | undefined {
  const choice = request.tool_choice
  if (choice === null || choice === undefined) return undefined
  if (typeof choice === 'string') {
    if (choice === 'required' && tools.length === 0) throw invalidParam('tool_choice', "'required' needs at least one tool in 'tools'")
    return choice
  }
  if (!tools.some((t) => t.name === choice.name)) throw invalidParam('tool_choice', `tool '${choice.name}' is not among 'tools'`)
  return { name: choice.name }
}

/** Extra instructions for `text.format` (the model is asked for JSON; the gateway does not enforce it). */
export function textFormatInstructions(request: ResponsesRequest): string | undefined {
  const format = request.text?.format
  if (!format || format.type === 'text') return undefined
  if (format.type === 'json_object') return 'Reply with a single valid JSON object and nothing else.'
  return format.schema
    ? `Reply with a single valid JSON value that matches this JSON Schema, and nothing else:\n${JSON.stringify(format.schema)}`
    : 'Reply with a single valid JSON value and nothing else.'
}
