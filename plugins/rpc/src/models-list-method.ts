import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import type { RpcMethodDeps } from './rpc-method-deps.js'

/** OpenClaw's `models.list` params; the views and flags about discovery change nothing here (the catalogue is the config's). */
const ModelsListParams = z.strictObject({
  agentId: z.string().min(1).max(64).optional(),
  sessionKey: z.string().min(1).max(512).optional(),
  authProfileId: z.string().min(1).max(256).optional(),
  /** Only this provider's models. */
  provider: z.string().min(1).max(64).optional(),
  includeDetails: z.boolean().optional(),
  includeProviderCapabilities: z.boolean().optional(),
  includeDefaultModels: z.boolean().optional(),
  preparedOnly: z.boolean().optional(),
  refresh: z.boolean().optional(),
  view: z.enum(['default', 'configured', 'provider-config', 'all']).optional(),
})

/** One row of the answer, in OpenClaw's `ModelChoice` shape. */
interface ModelChoice {
  readonly id: string
  readonly name: string
  readonly provider: string
  readonly tags: readonly string[]
  readonly contextWindow?: number
  readonly contextTokens?: number
  readonly reasoning?: boolean
  readonly input: readonly string[]
}

/**
 * `models.list` → `{ models }`: the configured catalogue (`models.providers.<id>.models`), one row per
 * model with its provider, name, context window and input kinds. The agent's model (`agentId`, else
 * the session's agent, else `main`) is tagged `default`; every row is `configured`.
 */
export function createModelsListMethod(deps: RpcMethodDeps): RpcMethodDefinition<z.output<typeof ModelsListParams>, { models: ModelChoice[] }> {
  const { gateway } = deps
  return {
    name: 'models.list',
    description: 'The configured model catalogue',
    params: ModelsListParams,
    handler(params) {
      const { agentId } = gateway.agent.resolveSessionKey({
        ...(params.agentId ? { agentId: params.agentId } : {}),
        ...(params.sessionKey ? { sessionKey: params.sessionKey } : {}),
      })
      const { defaults, entries } = gateway.config.agents
      const agentModel = entries[agentId]?.model ?? defaults.model
      const models = gateway.models
        .list()
        .filter((m) => params.provider === undefined || m.provider === params.provider)
        .map((m): ModelChoice => ({
          id: m.id,
          name: m.name,
          provider: m.provider,
          tags: m.ref === agentModel ? ['default', 'configured'] : ['configured'],
          ...(m.contextWindow !== undefined ? { contextWindow: m.contextWindow } : {}),
          ...(m.contextTokens !== undefined ? { contextTokens: m.contextTokens } : {}),
          ...(m.reasoning !== undefined ? { reasoning: m.reasoning } : {}),
          input: m.input,
        }))
      return { models }
    },
  }
}
