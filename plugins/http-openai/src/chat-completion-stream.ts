import type { AgentEvent, AgentRunResult, Logger } from '@openclaw/plugin-sdk'
import { chatFinishReason, chatUsage, clientToolCalls } from './chat-completion-response.js'
import type { ToolChoice } from './chat-completion-request.js'
import { checkToolChoice } from './check-tool-choice.js'
import { runFailureToOpenAi, toOpenAiError, type OpenAiErrorBody } from './openai-error.js'
import type { SseResponse } from './sse-response.js'
import type { StartedAgentStream } from './start-agent-stream.js'
import { argumentFragments } from './tool-call-arguments.js'

/**
 * Write a started run as `chat.completion.chunk` events: the role chunk, content deltas as the agent's
 * text arrives, one chunk per client tool call plus its argument fragments, the finish chunk, the
 * usage chunk (with `include_usage`), then `[DONE]`. A failure becomes an `{ error }` event, then `[DONE]`.
 */
export async function streamChatCompletion(input: {
  readonly sse: SseResponse
  readonly run: StartedAgentStream
  readonly id: string
  readonly created: number
  readonly model: string
  readonly includeUsage: boolean
  readonly toolChoice: ToolChoice | undefined
  readonly log: Logger
}): Promise<void> {
  const { sse, run } = input
  const base = { id: input.id, object: 'chat.completion.chunk', created: input.created, model: input.model }
  const chunk = (delta: object, finishReason: string | null = null) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] })
  // Content chunks differ only in their text: encode the rest once, each delta alone.
  // (The content comes last in the chunk: the last placeholder is the one, whatever the model's name.)
  const template = JSON.stringify(chunk({ content: '\u0000' }))
  const at = template.lastIndexOf('"\\u0000"')
  const [head, tail] = [template.slice(0, at), template.slice(at + '"\\u0000"'.length)]
  const contentChunk = (text: string) => head + JSON.stringify(text) + tail
  const fail = (body: OpenAiErrorBody) => {
    sse.data(body)
    sse.done()
  }

  sse.open()
  sse.data(chunk({ role: 'assistant', content: '' }))

  let result: AgentRunResult | undefined
  try {
    let step = await run.first
    while (!step.done) {
      const event: AgentEvent = step.value
      if (event.type === 'text' && event.delta !== '') sse.json(contentChunk(event.delta))
      else if (event.type === 'lifecycle' && event.phase !== 'start') result = event.result
      step = await run.events.next()
    }
  } catch (error) {
    input.log.error({ err: error, id: input.id }, 'chat completion stream failed')
    fail(toOpenAiError(error).body)
    return
  }
  if (sse.closed) return sse.end()
  if (!result) return fail(toOpenAiError(new Error('the run ended without a result')).body)
  if (result.status !== 'ok') return fail(runFailureToOpenAi(result).body)
  const unsatisfied = checkToolChoice(input.toolChoice, result)
  if (unsatisfied) return fail(toOpenAiError(unsatisfied).body)

  const { finishReason } = result
  const usage = chatUsage(result)
  const calls = clientToolCalls(result)
  calls.forEach((call, index) => {
    sse.data(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }))
    for (const fragment of argumentFragments(call.function.arguments)) sse.data(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }))
  })
  sse.data(chunk({}, calls.length > 0 ? 'tool_calls' : chatFinishReason(finishReason)))
  if (input.includeUsage) sse.data({ ...base, choices: [], usage })
  sse.done()
}
