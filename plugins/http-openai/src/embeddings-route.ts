import type { IncomingHttpHeaders } from 'node:http'
import { Tokens, type HttpRouteDefinition, type ModelProvider, type RouteReply, type RouteRequest } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import { clientDisconnectSignal } from './client-disconnect-signal.js'
import { OAI_ERR_EMBEDDINGS_UNCONFIGURED, OAI_ERR_EMBEDDINGS_UNSUPPORTED } from './errors.js'
import { formatOpenAiError, invalidParam, sendOpenAiError, toOpenAiError } from './openai-error.js'
import type { OpenAiRouteContext } from './openai-route-context.js'
import { parseRequestBody } from './parse-request-body.js'
import { resolveAgentTarget } from './resolve-agent-target.js'
import { MODEL_HEADER } from './resolve-run-context.js'

export const EMBEDDINGS_PATH = '/v1/embeddings'
/** OpenAI's own limit on the inputs of one request. */
const MAX_INPUTS = 2048
const PROVIDER_MODEL = /^([^/\s]+)\/(\S+)$/

type EmbeddingResult = Awaited<ReturnType<NonNullable<ModelProvider['embed']>>>

export const EmbeddingsRequestSchema = z.looseObject({
  model: z.string(),
  input: z.union([
    z.string().min(1, 'must not be empty'),
    z.array(z.string().min(1, 'must not be empty')).min(1, 'must not be empty').max(MAX_INPUTS, `at most ${MAX_INPUTS} inputs`),
  ], { error: 'expected a string or an array of strings (token arrays are not supported)' }),
  dimensions: z.number().int().min(1).max(8192).optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
})

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  const first = Array.isArray(value) ? value[0] : value
  return first?.trim() || undefined
}

/** A vector as OpenAI's `encoding_format: "base64"` sends it: little-endian float32, base64. */
function toBase64(vector: readonly number[]): string {
  const floats = Float32Array.from(vector)
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64')
}

/** `x-openclaw-model: provider/model` picks the model; otherwise the agent's embedding setup (the memory plugin's). */
async function embed(ctx: OpenAiRouteContext, headers: IncomingHttpHeaders, agentId: string, request: { input: string[]; dimensions?: number; signal: AbortSignal }): Promise<EmbeddingResult> {
  const chosen = header(headers, MODEL_HEADER)
  if (chosen !== undefined) {
    const match = PROVIDER_MODEL.exec(chosen)
    if (!match) throw invalidParam(MODEL_HEADER, 'expected "provider/model", e.g. "openai/text-embedding-3-small"')
    const providers = ctx.gateway.registry.providers
    const provider = providers.get(match[1]!)
    if (!provider) throw invalidParam(MODEL_HEADER, `no provider '${match[1]}' is installed (installed: ${providers.keys().join(', ') || 'none'})`)
    if (!provider.embed) throw new OAI_ERR_EMBEDDINGS_UNSUPPORTED(match[1]!)
    return provider.embed({ model: match[2]!, ...request })
  }
  const agents = ctx.services.isRegistered(Tokens.AgentEmbeddings) ? ctx.services.resolve(Tokens.AgentEmbeddings) : undefined
  if (!agents?.modelFor(agentId)) throw new OAI_ERR_EMBEDDINGS_UNCONFIGURED(agentId)
  return agents.embed(agentId, request)
}

async function handleEmbeddings(ctx: OpenAiRouteContext, req: RouteRequest, reply: RouteReply): Promise<void> {
  try {
    const body = parseRequestBody(EmbeddingsRequestSchema, req.body)
    const target = resolveAgentTarget({ model: body.model, headers: req.headers, agentIds: ctx.gateway.agent.agentIds(), defaultAgentId: ctx.gateway.agent.resolveSessionKey({}).agentId })
    const input = typeof body.input === 'string' ? [body.input] : body.input
    const result = await embed(ctx, req.headers, target.agentId, { input, ...(body.dimensions !== undefined ? { dimensions: body.dimensions } : {}), signal: clientDisconnectSignal(reply.raw) })
    const base64 = body.encoding_format === 'base64'
    reply.code(200).send({
      object: 'list',
      data: result.embeddings.map((vector, index) => ({ object: 'embedding', index, embedding: base64 ? toBase64(vector) : vector })),
      model: body.model,
      usage: { prompt_tokens: result.usage.promptTokens, total_tokens: result.usage.totalTokens },
    })
  } catch (error) {
    const failure = toOpenAiError(error)
    if (failure.status >= 500) ctx.log.warn({ err: error }, 'embeddings request failed')
    sendOpenAiError(reply, failure)
  }
}

/**
 * `POST /v1/embeddings {model: <agent target>, input: string | string[], dimensions?, encoding_format?}`:
 * vectors from `x-openclaw-model`'s provider, else from the agent's embedding setup, in OpenAI's shape
 * (`model` echoes the request's agent target, as the chat endpoints do).
 */
export function createEmbeddingsRoute(ctx: OpenAiRouteContext): HttpRouteDefinition {
  return {
    method: 'POST',
    path: EMBEDDINGS_PATH,
    auth: 'gateway',
    bodyLimit: ctx.config.chatCompletions.maxBodyBytes,
    formatError: formatOpenAiError,
    handler: (req, reply) => handleEmbeddings(ctx, req, reply),
  }
}
