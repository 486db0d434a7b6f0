import type { HttpRouteDefinition, RouteRequest } from '@openclaw/plugin-sdk'
import { OAI_ERR_MODEL_NOT_FOUND } from './errors.js'
import { formatOpenAiError, sendOpenAiError, toOpenAiError, withParam } from './openai-error.js'
import type { OpenAiRouteContext } from './openai-route-context.js'

export const MODELS_PATH = '/v1/models'

/** One entry of `/v1/models`. */
export interface ModelEntry {
  readonly id: string
  readonly object: 'model'
  readonly created: number
  readonly owned_by: 'openclaw'
  readonly permission: readonly unknown[]
}

/** Model ids the gateway serves: `openclaw`, `openclaw/default` and `openclaw/<agentId>` per agent. */
export function listAgentModels(agentIds: readonly string[]): ModelEntry[] {
  const ids = ['openclaw', 'openclaw/default', ...agentIds.map((id) => `openclaw/${id}`)]
  return ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'openclaw', permission: [] }))
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

function findModel(ctx: OpenAiRouteContext, id: string): ModelEntry {
  const model = listAgentModels(ctx.gateway.agent.agentIds()).find((m) => m.id === id)
  if (!model) throw withParam(new OAI_ERR_MODEL_NOT_FOUND(id), 'model')
  return model
}

function param(req: RouteRequest, name: string): string {
  const value = (req.params as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' ? decode(value) : ''
}

/**
 * `GET /v1/models`, `GET /v1/models/:id` (the id URL-encoded: `openclaw%2Fmain`) and, for clients that
 * do not encode it, `GET /v1/models/openclaw/:agentId`.
 */
export function createModelsRoutes(ctx: OpenAiRouteContext): HttpRouteDefinition[] {
  const common = { method: 'GET', auth: 'gateway', formatError: formatOpenAiError } as const
  return [
    {
      ...common,
      path: MODELS_PATH,
      handler: (_req, reply) => reply.code(200).send({ object: 'list', data: listAgentModels(ctx.gateway.agent.agentIds()) }),
    },
    {
      ...common,
      path: `${MODELS_PATH}/:id`,
      handler: (req, reply) => {
        try {
          reply.code(200).send(findModel(ctx, param(req, 'id')))
        } catch (error) {
          sendOpenAiError(reply, toOpenAiError(error))
        }
      },
    },
    {
      ...common,
      path: `${MODELS_PATH}/openclaw/:agentId`,
      handler: (req, reply) => {
        try {
          reply.code(200).send(findModel(ctx, `openclaw/${param(req, 'agentId')}`))
        } catch (error) {
          sendOpenAiError(reply, toOpenAiError(error))
        }
      },
    },
  ]
}
