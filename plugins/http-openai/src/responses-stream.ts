import { randomUUID } from 'node:crypto'
import type { AgentRunResult, Logger } from '@openclaw/plugin-sdk'
import type { ToolChoice } from './chat-completion-request.js'
import { checkToolChoice } from './check-tool-choice.js'
import { runFailureToOpenAi, toOpenAiError, type OpenAiError } from './openai-error.js'
import {
  completionStatus,
  functionCallItems,
  messageItem,
  outputText,
  responseObject,
  responseUsage,
  type MessageItem,
  type OutputItem,
  type ResponseHeader,
} from './response-object.js'
import type { SseResponse } from './sse-response.js'
import type { StartedAgentStream } from './start-agent-stream.js'
import { argumentFragments } from './tool-call-arguments.js'

/**
 * Write a started run as OpenResponses events (`event: <type>` + `data: <json>`, each with a
 * `sequence_number`): `response.created`, `response.in_progress`; for the assistant text
 * `response.output_item.added`, `response.content_part.added`, `response.output_text.delta`…,
 * `response.output_text.done`, `response.content_part.done`, `response.output_item.done`; for each
 * client tool call a `function_call` item with `response.function_call_arguments.delta/done`; then
 * `response.completed` (`response.incomplete`, `response.failed`) and `data: [DONE]`.
 */
export async function streamResponse(input: {
  readonly sse: SseResponse
  readonly run: StartedAgentStream
  readonly header: ResponseHeader
  readonly toolChoice: ToolChoice | undefined
  readonly log: Logger
}): Promise<void> {
  const { sse, run, header } = input
  let sequence = 0
  const emit = (type: string, payload: object) => sse.event(type, { type, sequence_number: sequence++, ...payload })
  const output: OutputItem[] = []
  let message: { id: string; index: number; text: string } | undefined

  const openMessage = () => {
    message = { id: `msg_${randomUUID()}`, index: output.length, text: '' }
    const item: MessageItem = { ...messageItem('', 'in_progress', message.id), content: [] }
    output.push(item)
    emit('response.output_item.added', { output_index: message.index, item })
    emit('response.content_part.added', { item_id: message.id, output_index: message.index, content_index: 0, part: outputText('') })
  }
  const closeMessage = (status: MessageItem['status']) => {
    if (!message) return
    const { id, index, text } = message
    emit('response.output_text.done', { item_id: id, output_index: index, content_index: 0, text, logprobs: [] })
    emit('response.content_part.done', { item_id: id, output_index: index, content_index: 0, part: outputText(text) })
    const item = messageItem(text, status, id)
    output[index] = item
    emit('response.output_item.done', { output_index: index, item })
    message = undefined
  }
  const fail = (error: OpenAiError, result?: AgentRunResult) => {
    closeMessage('incomplete')
    const { message: text, type, code } = error.body.error
    const response = responseObject({ header, status: 'failed', output, usage: responseUsage(result), error: { code: code ?? 'OAI_ERR_INTERNAL', message: text, type } })
    emit('response.failed', { response })
    sse.done()
  }

  sse.open()
  const initial = responseObject({ header, status: 'in_progress', output: [], usage: null })
  emit('response.created', { response: initial })
  emit('response.in_progress', { response: initial })

  let result: AgentRunResult | undefined
  try {
    let step = await run.first
    while (!step.done) {
      const event = step.value
      if (event.type === 'text' && event.delta !== '') {
        if (!message) openMessage()
        message!.text += event.delta
        emit('response.output_text.delta', { item_id: message!.id, output_index: message!.index, content_index: 0, delta: event.delta, logprobs: [] })
      } else if (event.type === 'lifecycle' && event.phase !== 'start') result = event.result
      step = await run.events.next()
    }
  } catch (error) {
    input.log.error({ err: error, id: header.id }, 'response stream failed')
    return fail(toOpenAiError(error))
  }
  if (sse.closed) return sse.end()
  if (!result) return fail(toOpenAiError(new Error('the run ended without a result')))
  if (result.status !== 'ok') return fail(runFailureToOpenAi(result), result)
  const unsatisfied = checkToolChoice(input.toolChoice, result)
  if (unsatisfied) return fail(toOpenAiError(unsatisfied), result)

  const calls = functionCallItems(result)
  const { status, incomplete } = completionStatus(result)
  const usage = responseUsage(result)
  if (!message && calls.length === 0) openMessage()
  closeMessage(status === 'incomplete' ? 'incomplete' : 'completed')
  for (const call of calls) {
    const index = output.length
    output.push(call)
    emit('response.output_item.added', { output_index: index, item: { ...call, arguments: '', status: 'in_progress' } })
    for (const delta of argumentFragments(call.arguments)) emit('response.function_call_arguments.delta', { item_id: call.id, output_index: index, delta })
    emit('response.function_call_arguments.done', { item_id: call.id, output_index: index, name: call.name, arguments: call.arguments })
    emit('response.output_item.done', { output_index: index, item: call })
  }
  const response = responseObject({ header, status, output, usage, incomplete })
  emit(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response })
  sse.done()
}
