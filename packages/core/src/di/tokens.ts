import type { Clock } from '../clock/clock.js'
import type { GatewayConfig } from '../config/config-schema.js'
import type { Logger } from '../logging/logger.js'
import type { GatewayRuntime } from '../plugins/plugin-api.js'
import type { GatewayAuth, HttpServerInfo } from '../types/http.js'
import type { StateStore } from '../store/state-store.js'
import { createToken } from './token.js'

/** Services the core registers in the gateway's root container; every plugin can resolve them. */
export const Tokens = Object.freeze({
  Logger: createToken<Logger>('openclaw:Logger'),
  Config: createToken<GatewayConfig>('openclaw:Config'),
  Clock: createToken<Clock>('openclaw:Clock'),
  Store: createToken<StateStore>('openclaw:Store'),
  Gateway: createToken<GatewayRuntime>('openclaw:Gateway'),
  /** Registered (and exposed) by the HTTP server plugin once it listens. */
  HttpServer: createToken<HttpServerInfo>('openclaw:HttpServer', { providedBy: 'core:http' }),
  /** The gateway credential check every surface shares; registered (and exposed) by the HTTP server plugin. */
  GatewayAuth: createToken<GatewayAuth>('openclaw:GatewayAuth', { providedBy: 'core:http' }),
})
