import type { IncomingHttpHeaders } from 'node:http'
import type { GatewayRuntime, Logger, Services } from '@openclaw/plugin-sdk'
import type { OpenAiEndpointsConfig } from './openai-endpoints-config.js'
import type { ResponseSessionStore } from './response-session-store.js'

/** What the routes of this plugin work with. */
export interface OpenAiRouteContext {
  readonly gateway: GatewayRuntime
  readonly log: Logger
  /** The plugin's services (what other plugins expose, such as `Tokens.AgentEmbeddings`). */
  readonly services: Pick<Services, 'isRegistered' | 'resolve'>
  readonly config: OpenAiEndpointsConfig
  /** Epoch milliseconds, from the gateway's clock. */
  now(): number
  /** `previous_response_id` → session; available once the plugin has started. */
  responseSessions(): ResponseSessionStore
  /** Who is calling: an HMAC of the presented credential under the install's secret. */
  subject(headers: IncomingHttpHeaders): string
}
