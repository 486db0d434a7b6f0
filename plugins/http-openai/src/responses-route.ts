import { randomUUID } from 'node:crypto'
import type { AgentRunOptions, HttpRouteDefinition, RouteReply, RouteRequest } from '@openclaw/plugin-sdk'
import { agentRunOptions } from './agent-run-options.js'
import type { ToolChoice } from './chat-completion-request.js'
import { checkToolChoice } from './check-tool-choice.js'
import { clientDisconnectSignal } from './client-disconnect-signal.js'
import { OAI_ERR_PREVIOUS_RESPONSE_MISMATCH, OAI_ERR_PREVIOUS_RESPONSE_NOT_FOUND } from './errors.js'
import { fillToolResultNames } from './fill-tool-result-names.js'
import { formatOpenAiError, runFailureToOpenAi, sendOpenAiError, setRetryAfter, toOpenAiError, withParam, type OpenAiError } from './openai-error.js'
import type { OpenAiRouteContext } from './openai-route-context.js'
import { parseRequestBody } from './parse-request-body.js'
import { planAgentTurn } from './plan-agent-turn.js'
import { completionStatus, functionCallItems, messageItem, responseObject, responseUsage, type OutputItem, type ResponseHeader } from './response-object.js'
import { toResponsesMedia } from './responses-attachments.js'
import {
  ResponsesRequestSchema,
  textFormatInstructions,
  toResponsesClientTools,
  toResponsesConversation,
  toResponsesToolChoice,
  type ResponsesRequest,
} from './responses-request.js'
import { streamResponse } from './responses-stream.js'
import { resolveRunContext, type RunContext } from './resolve-run-context.js'
import { resolveRunSession, type RunSession } from './resolve-run-session.js'
import { sessionHeaders, sessionKeyFromHeaders, setSessionHeaders } from './session-key-header.js'
import { SseResponse } from './sse-response.js'
import { startAgentStream } from './start-agent-stream.js'

export const RESPONSES_PATH = '/v1/responses'
const SESSION_PREFIX = 'openresponses'
const PREVIOUS = 'previous_response_id'

interface PreparedResponsesRun {
  readonly options: AgentRunOptions
  readonly run: RunContext
  readonly request: ResponsesRequest
  readonly toolChoice: ToolChoice | undefined
}

/**
 * The session `previous_response_id` continues, if the request is in the scope the response was made
 * in: the same credential, and the same `user` (a response made for `user` ada is not found for
 * another user, nor for a request without `user`) and session header, when the request names them.
 * Anything else is 404, as OpenAI answers an unknown id: the response's existence is not revealed.
 * An agent the request selects explicitly must be the response's (400: that one is the caller's
 * own contradiction).
 */
function continuePrevious(ctx: OpenAiRouteContext, req: Pick<RouteRequest, 'headers'>, responseId: string, user: string | undefined) {
  return async (target: { agentId: string; explicit: boolean }): Promise<RunSession> => {
    const notFound = () => withParam(new OAI_ERR_PREVIOUS_RESPONSE_NOT_FOUND(responseId), PREVIOUS)
    const previous = await ctx.responseSessions().get(responseId)
    if (!previous || previous.subject !== ctx.subject(req.headers)) throw notFound()
    if (target.explicit && target.agentId !== previous.agentId) {
      throw withParam(new OAI_ERR_PREVIOUS_RESPONSE_MISMATCH(responseId, `it ran on agent '${previous.agentId}', not '${target.agentId}'`), PREVIOUS)
    }
    const named = user?.trim() || sessionKeyFromHeaders(req.headers) !== undefined
    if (named) {
      // The session this request's `user` / session header names, for the response's agent.
      const scope = await resolveRunSession({ gateway: ctx.gateway, target: { ...target, agentId: previous.agentId }, headers: req.headers, user, prefix: SESSION_PREFIX })
      if (scope.sessionKey !== previous.sessionKey) throw notFound()
    } else if (previous.sessionKey.startsWith(`agent:${previous.agentId}:${SESSION_PREFIX}-user:`)) {
      throw notFound()
    }
    const info = await ctx.gateway.sessions.get(previous.sessionKey)
    return { agentId: previous.agentId, sessionKey: previous.sessionKey, hasHistory: (info?.messageCount ?? 0) > 0 }
  }
}

/** Validate a Responses request and turn it into agent run options. Throws coded errors (400s). */
export async function prepareResponsesRun(ctx: OpenAiRouteContext, req: Pick<RouteRequest, 'body' | 'headers'>): Promise<PreparedResponsesRun> {
  const request = parseRequestBody(ResponsesRequestSchema, req.body)
  const previous = request.previous_response_id ?? undefined
  const run = await resolveRunContext({
    gateway: ctx.gateway,
    headers: req.headers,
    subject: ctx.subject(req.headers),
    model: request.model,
    user: request.user ?? undefined,
    prefix: SESSION_PREFIX,
    ...(previous !== undefined ? { continueSession: continuePrevious(ctx, req, previous, request.user ?? undefined) } : {}),
  })
  const { instructions, items } = toResponsesConversation(request)
  const plan = planAgentTurn(items, { hasHistory: run.session.hasHistory, field: 'input' })
  const media = toResponsesMedia(plan.media, ctx.config.responses)
  const clientTools = toResponsesClientTools(request)
  const toolChoice = toResponsesToolChoice(request, clientTools)
  const format = textFormatInstructions(request)
  const allInstructions = [
    ...(request.instructions ? [request.instructions] : []),
    ...instructions,
    ...(format ? [format] : []),
    ...media.fileTexts,
  ].join('\n\n')
  const toolResults = run.session.hasHistory ? await fillToolResultNames(ctx.gateway.sessions, run.session.sessionKey, plan.toolResults) : plan.toolResults

  // A turn of text files alone: their text went into the instructions, so the message points there.
  const filesOnly = plan.message === '' && media.attachments.length === 0 && plan.toolResults.length === 0 && media.fileTexts.length > 0
  const files = media.fileTexts.length
  const options = agentRunOptions(run, {
    message: filesOnly ? `(${files === 1 ? 'a file' : `${files} files`} attached: the text is in the instructions)` : plan.message,
    attachments: media.attachments,
    toolResults,
    history: plan.history,
    clientTools,
    toolChoice,
    instructions: allInstructions,
    maxTokens: request.max_output_tokens,
    temperature: request.temperature,
  })
  return { options, run, request, toolChoice }
}

function failedResponse(header: ResponseHeader, error: OpenAiError, output: readonly OutputItem[] = [], usage = responseUsage(undefined)) {
  const { message, type, code } = error.body.error
  return responseObject({ header, status: 'failed', output, usage, error: { code: code ?? 'OAI_ERR_INTERNAL', message, type } })
}

/** Answer with a `failed` response object, with `Retry-After` when the error says how long to wait. */
function sendFailedResponse(reply: RouteReply, header: ResponseHeader, error: OpenAiError, output?: readonly OutputItem[], usage?: ReturnType<typeof responseUsage>): void {
  setRetryAfter(reply, error)
  reply.code(error.status).send(failedResponse(header, error, output, usage))
}

async function handleResponse(ctx: OpenAiRouteContext, req: RouteRequest, reply: RouteReply): Promise<void> {
  let prepared: PreparedResponsesRun
  try {
    prepared = await prepareResponsesRun(ctx, req)
  } catch (error) {
    return sendOpenAiError(reply, toOpenAiError(error))
  }
  const { options, run, request } = prepared
  const header: ResponseHeader = { id: `resp_${randomUUID()}`, createdAt: Math.floor(ctx.now() / 1000), model: request.model, request }

  try {
    await ctx.responseSessions().save({ responseId: header.id, sessionKey: run.session.sessionKey, agentId: run.session.agentId, subject: run.subject })
  } catch (error) {
    ctx.log.error({ err: error, id: header.id }, 'could not store the response session')
    return sendOpenAiError(reply, toOpenAiError(error))
  }

  if (request.stream === true) {
    const sse = new SseResponse(reply, sessionHeaders(run.session))
    let started
    try {
      started = await startAgentStream(ctx.gateway.agent, { ...options, signal: sse.signal })
    } catch (error) {
      return sendOpenAiError(reply, toOpenAiError(error))
    }
    return streamResponse({ sse, run: started, header, toolChoice: prepared.toolChoice, log: ctx.log })
  }

  try {
    const result = await ctx.gateway.agent.run({ ...options, signal: clientDisconnectSignal(reply.raw) })
    setSessionHeaders(reply, result)
    const text = result.text === '' ? [] : [messageItem(result.text)]
    if (result.status !== 'ok') {
      return sendFailedResponse(reply, header, runFailureToOpenAi(result), text, responseUsage(result))
    }
    const unsatisfied = checkToolChoice(prepared.toolChoice, result)
    if (unsatisfied) return sendFailedResponse(reply, header, toOpenAiError(unsatisfied), text, responseUsage(result))
    const calls = functionCallItems(result)
    const { status, incomplete } = completionStatus(result)
    const message = text.length > 0 || calls.length === 0 ? [messageItem(result.text, status === 'incomplete' ? 'incomplete' : 'completed')] : []
    reply.code(200).send(responseObject({ header, status, output: [...message, ...calls], usage: responseUsage(result), incomplete }))
  } catch (error) {
    const failure = toOpenAiError(error)
    if (failure.status >= 500) ctx.log.error({ err: error, id: header.id }, 'response failed')
    sendFailedResponse(reply, header, failure)
  }
}

/** `POST /v1/responses` (OpenResponses): one agent turn per request, as a `response` object or its SSE events. */
export function createResponsesRoute(ctx: OpenAiRouteContext): HttpRouteDefinition {
  return {
    method: 'POST',
    path: RESPONSES_PATH,
    auth: 'gateway',
    bodyLimit: ctx.config.responses.maxBodyBytes,
    formatError: formatOpenAiError,
    handler: (req, reply) => handleResponse(ctx, req, reply),
  }
}
