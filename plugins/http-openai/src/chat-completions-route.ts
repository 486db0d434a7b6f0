import { randomUUID } from 'node:crypto'
import type { AgentRunOptions, HttpRouteDefinition, RouteReply, RouteRequest } from '@openclaw/plugin-sdk'
import { agentRunOptions } from './agent-run-options.js'
import { toChatAttachments } from './chat-attachments.js'
import {
  ChatCompletionRequestSchema,
  responseFormatInstructions,
  toChatConversation,
  toClientTools,
  toToolChoice,
  type ToolChoice,
} from './chat-completion-request.js'
import { toChatCompletion } from './chat-completion-response.js'
import { streamChatCompletion } from './chat-completion-stream.js'
import { checkToolChoice } from './check-tool-choice.js'
import { clientDisconnectSignal } from './client-disconnect-signal.js'
import { fillToolResultNames } from './fill-tool-result-names.js'
import { formatOpenAiError, runFailureToOpenAi, sendOpenAiError, toOpenAiError } from './openai-error.js'
import type { OpenAiRouteContext } from './openai-route-context.js'
import { parseRequestBody } from './parse-request-body.js'
import { planAgentTurn } from './plan-agent-turn.js'
import { resolveRunContext, type RunContext } from './resolve-run-context.js'
import { sessionHeaders, setSessionHeaders } from './session-key-header.js'
import { SseResponse } from './sse-response.js'
import { startAgentStream } from './start-agent-stream.js'

export const CHAT_COMPLETIONS_PATH = '/v1/chat/completions'
const SESSION_PREFIX = 'openai'

interface PreparedChatRun {
  readonly options: AgentRunOptions
  readonly run: RunContext
  readonly model: string
  readonly stream: boolean
  readonly includeUsage: boolean
  readonly toolChoice: ToolChoice | undefined
}

/** Validate a chat completion request and turn it into agent run options. Throws coded errors (400s). */
export async function prepareChatRun(ctx: Pick<OpenAiRouteContext, 'gateway' | 'config' | 'subject'>, req: Pick<RouteRequest, 'body' | 'headers'>): Promise<PreparedChatRun> {
  const request = parseRequestBody(ChatCompletionRequestSchema, req.body)
  const user = request.user ?? undefined
  const run = await resolveRunContext({ gateway: ctx.gateway, headers: req.headers, subject: ctx.subject(req.headers), model: request.model, user, prefix: SESSION_PREFIX })
  const { instructions, items } = toChatConversation(request)
  const plan = planAgentTurn(items, { hasHistory: run.session.hasHistory, field: 'messages' })
  const attachments = toChatAttachments(plan.media, ctx.config.chatCompletions.images)
  const clientTools = toClientTools(request)
  const toolChoice = toToolChoice(request, clientTools)
  const format = responseFormatInstructions(request)
  const allInstructions = [...instructions, ...(format ? [format] : [])].join('\n\n')
  const toolResults = run.session.hasHistory ? await fillToolResultNames(ctx.gateway.sessions, run.session.sessionKey, plan.toolResults) : plan.toolResults

  const options = agentRunOptions(run, {
    message: plan.message,
    attachments,
    toolResults,
    history: plan.history,
    clientTools,
    toolChoice,
    instructions: allInstructions,
    maxTokens: request.max_completion_tokens ?? request.max_tokens,
    temperature: request.temperature,
  })
  return {
    options,
    run,
    model: request.model,
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
    toolChoice,
  }
}

async function handleChatCompletion(ctx: OpenAiRouteContext, req: RouteRequest, reply: RouteReply): Promise<void> {
  let prepared: PreparedChatRun
  try {
    prepared = await prepareChatRun(ctx, req)
  } catch (error) {
    return sendOpenAiError(reply, toOpenAiError(error))
  }
  const { options, run } = prepared
  const id = `chatcmpl_${randomUUID()}`
  const created = Math.floor(ctx.now() / 1000)

  if (prepared.stream) {
    const sse = new SseResponse(reply, sessionHeaders(run.session))
    let started
    try {
      started = await startAgentStream(ctx.gateway.agent, { ...options, signal: sse.signal })
    } catch (error) {
      return sendOpenAiError(reply, toOpenAiError(error))
    }
    return streamChatCompletion({
      sse, run: started, id, created, model: prepared.model, includeUsage: prepared.includeUsage, toolChoice: prepared.toolChoice, log: ctx.log,
    })
  }

  try {
    const result = await ctx.gateway.agent.run({ ...options, signal: clientDisconnectSignal(reply.raw) })
    // From the result: a repeated idempotency key answers with the first run, whose session it names.
    setSessionHeaders(reply, result)
    if (result.status !== 'ok') {
      return sendOpenAiError(reply, runFailureToOpenAi(result))
    }
    const unsatisfied = checkToolChoice(prepared.toolChoice, result)
    if (unsatisfied) return sendOpenAiError(reply, toOpenAiError(unsatisfied))
    reply.code(200).send(toChatCompletion({ id, created, model: prepared.model, result }))
  } catch (error) {
    const failure = toOpenAiError(error)
    if (failure.status >= 500) ctx.log.error({ err: error, id }, 'chat completion failed')
    sendOpenAiError(reply, failure)
  }
}

/** `POST /v1/chat/completions`: one agent turn per request, as an OpenAI chat completion (or its SSE stream). */
export function createChatCompletionsRoute(ctx: OpenAiRouteContext): HttpRouteDefinition {
  return {
    method: 'POST',
    path: CHAT_COMPLETIONS_PATH,
    auth: 'gateway',
    bodyLimit: ctx.config.chatCompletions.maxBodyBytes,
    formatError: formatOpenAiError,
    handler: (req, reply) => handleChatCompletion(ctx, req, reply),
  }
}
