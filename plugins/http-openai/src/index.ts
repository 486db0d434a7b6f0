// @openclaw/plugin-http-openai: OpenAI-compatible `/v1/chat/completions`, OpenResponses `/v1/responses`
// and `/v1/models` on the gateway's HTTP server. Explicit names only.
import { definePlugin, type PluginDefinition, Tokens, type PluginApi } from '@openclaw/plugin-sdk'
import { CallerSubjects, loadSubjectKey } from './caller-subject.js'
import { createChatCompletionsRoute } from './chat-completions-route.js'
import { createEmbeddingsRoute } from './embeddings-route.js'
import { createModelsRoutes } from './models-routes.js'
import { OpenAiEndpointsConfigSchema, type OpenAiEndpointsConfig } from './openai-endpoints-config.js'
import type { OpenAiRouteContext } from './openai-route-context.js'
import { pruneResponseSessions } from './prune-response-sessions.js'
import { ResponseSessionStore } from './response-session-store.js'
import { createResponsesRoute } from './responses-route.js'

const PLUGIN_NAME = 'http:openai'
const PLUGIN_VERSION = '1.0.0'
const HOUR_MS = 60 * 60 * 1000

function createStore(api: PluginApi<OpenAiEndpointsConfig>, now: () => number): ResponseSessionStore {
  return new ResponseSessionStore(api.store, { ttlMs: api.config.responses.previousResponseTtlHours * HOUR_MS, now })
}

/** The gateway clock's `now`, resolved on first use (services are ready once the gateway runs). */
function clockOf(api: PluginApi<OpenAiEndpointsConfig>): () => number {
  let clock: { now(): number } | undefined
  return () => (clock ??= api.services.resolve(Tokens.Clock)).now()
}

/**
 * The OpenAI-compatible HTTP surface. Config lives at `gateway.http.endpoints`; both endpoints are
 * off by default, and a disabled endpoint registers no route (the server answers 404).
 */
/** A factory: each call makes a fresh plugin, so gateways in one process share nothing. */
export default function httpOpenAi(): PluginDefinition<OpenAiEndpointsConfig> {
  let pruner: ReturnType<PluginApi['cluster']['singleton']> | undefined
  return definePlugin<OpenAiEndpointsConfig>({
  id: PLUGIN_NAME,
  version: PLUGIN_VERSION,
  name: 'OpenAI-compatible HTTP API',
  description: '/v1/chat/completions, /v1/responses (OpenResponses), /v1/models and /v1/embeddings, backed by OpenClaw agents',
  kind: 'surface',
  apiVersion: '^2.0.0',
  dependsOn: ['core:http'],
  configKey: 'gateway.http.endpoints',
  config: OpenAiEndpointsConfigSchema,
  register(api) {
    const { chatCompletions, responses } = api.config
    if (!chatCompletions.enabled && !responses.enabled) return
    let store: ResponseSessionStore | undefined
    let subjectKey: Buffer | undefined
    const subjects = new CallerSubjects(() => (subjectKey ??= loadSubjectKey(api.gateway.stateDir)))
    const now = clockOf(api)
    const ctx: OpenAiRouteContext = {
      gateway: api.gateway,
      log: api.log,
      services: api.services,
      config: api.config,
      now,
      responseSessions: () => (store ??= createStore(api, now)),
      subject: (headers) => subjects.of(headers),
    }
    if (chatCompletions.enabled) api.http.route(createChatCompletionsRoute(ctx))
    if (responses.enabled) api.http.route(createResponsesRoute(ctx))
    for (const route of createModelsRoutes(ctx)) api.http.route(route)
    api.http.route(createEmbeddingsRoute(ctx))
  },
  async start(api) {
    if (!api.config.responses.enabled) return
    const store = createStore(api, clockOf(api))
    await store.migrate()
    // On one replica at a time (a cluster singleton, `http:openai:prune`); another takes over when it stops or dies.
    pruner = api.cluster.singleton('prune', pruneResponseSessions(store, api.services.resolve(Tokens.Clock), api.log))
  },
  async stop() {
    await pruner?.stop()
    pruner = undefined
  },
})
}

export { PLUGIN_NAME }
export { OpenAiEndpointsConfigSchema, ChatCompletionsConfigSchema, ResponsesConfigSchema } from './openai-endpoints-config.js'
export {
  OAI_ERR_INVALID_PARAM,
  OAI_ERR_INVALID_BODY,
  OAI_ERR_MISSING_USER_MESSAGE,
  OAI_ERR_MODEL_INVALID,
  OAI_ERR_AGENT_UNKNOWN,
  OAI_ERR_SESSION_KEY_RESERVED,
  OAI_ERR_PREVIOUS_RESPONSE_NOT_FOUND,
  OAI_ERR_PREVIOUS_RESPONSE_MISMATCH,
  OAI_ERR_TOOL_CHOICE_UNSATISFIED,
  OAI_ERR_MODEL_NOT_FOUND,
  OAI_ERR_INTERNAL,
} from './errors.js'

export type { OpenAiEndpointsConfig, ChatCompletionsConfig, ResponsesConfig } from './openai-endpoints-config.js'
