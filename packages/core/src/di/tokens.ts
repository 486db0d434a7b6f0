import type { Clock } from '../clock/clock.js'
import type { GatewayConfig } from '../config/config-schema.js'
import type { Logger } from '../logging/logger.js'
import type { GatewayRuntime } from '../plugins/plugin-api.js'
import type { GatewayAuth, HttpServerInfo } from '../types/http.js'
import type { AgentEmbeddings } from '../types/providers.js'
import type { WakeService } from '../types/wake.js'
import { createToken } from './token.js'

/**
 * Services the core registers in the gateway's root container; every plugin can resolve them. They
 * are shared (registered) symbols, so a plugin with its own copy of the SDK resolves the same ones.
 */
export const Tokens = Object.freeze({
  Logger: createToken<Logger>('openclaw:Logger', { shared: true }),
  Config: createToken<GatewayConfig>('openclaw:Config', { shared: true }),
  Clock: createToken<Clock>('openclaw:Clock', { shared: true }),
  /** The sealed runtime, the same object as `api.gateway`. */
  Gateway: createToken<GatewayRuntime>('openclaw:Gateway', { shared: true }),
  /** Registered (and exposed) by the HTTP server plugin once it listens. */
  HttpServer: createToken<HttpServerInfo>('openclaw:HttpServer', { providedBy: 'core:http', shared: true }),
  /** The gateway credential check every surface shares; registered (and exposed) by the HTTP server plugin. */
  GatewayAuth: createToken<GatewayAuth>('openclaw:GatewayAuth', { providedBy: 'core:http', shared: true }),
  /** Each agent's embedding model; registered (and exposed) by the memory plugin. */
  AgentEmbeddings: createToken<AgentEmbeddings>('openclaw:AgentEmbeddings', { providedBy: 'tool:memory', shared: true }),
  /** Queued system events and the heartbeat (`/hooks/wake`, RPC `wake`); registered (and exposed) by the scheduler plugin. */
  Wake: createToken<WakeService>('openclaw:Wake', { providedBy: 'cron', shared: true }),
})
