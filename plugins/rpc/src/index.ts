// @openclaw/plugin-rpc: the gateway's WebSocket RPC (OpenClaw protocol v4) on the gateway port, at `/`
// and `/ws`. It dispatches through the kernel's RPC method registry, so any plugin adds methods with
// `api.rpc.method()`. Explicit names only.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { definePlugin, Tokens, type PluginDefinition } from '@openclaw/plugin-sdk'
import { RpcConfigSchema, type RpcConfig } from './rpc-config.js'
import { createRpcMethods } from './rpc-methods.js'
import { RpcServer } from './rpc-server.js'
import { RunTracker } from './run-tracker.js'

const PLUGIN_NAME = 'rpc'
/** Paths the WebSocket endpoint answers on; OpenClaw clients connect to the root. */
const UPGRADE_PATHS = ['/', '/ws'] as const

function unavailable(socket: Duplex): void {
  if (socket.destroyed) return
  socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n')
}

/**
 * The WebSocket RPC plugin. A factory: each call makes a plugin with its own server, so two gateways
 * in one process never share one.
 */
export default function rpc(): PluginDefinition<RpcConfig> {
  let server: RpcServer | undefined

  return definePlugin<RpcConfig>({
  id: PLUGIN_NAME,
  version: '1.0.0',
  name: 'WebSocket RPC',
  description: 'OpenClaw protocol v4 over WebSocket on the gateway port: handshake, methods, agent and chat events',
  kind: 'surface',
  configKey: 'gateway.rpc',
  config: RpcConfigSchema,
  apiVersion: '^2.0.0',
  dependsOn: ['core:http'],
  register(api) {
    const startedAt = Date.now()
    const tracker = new RunTracker(api.gateway.agent, api.log)
    const deps = {
      gateway: api.gateway,
      tracker,
      config: api.config,
      startedAt,
      stats: () => server?.stats() ?? { connections: 0, slowConsumerDisconnects: 0 },
      wakeService: () => (api.services.isRegistered(Tokens.Wake) ? api.services.resolve(Tokens.Wake) : undefined),
    }
    for (const method of createRpcMethods(deps)) api.rpc.method(method)
    const handler = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      if (server === undefined) return unavailable(socket)
      server.handleUpgrade(req, socket, head)
    }
    for (const path of UPGRADE_PATHS) api.http.upgrade({ path, handler })
  },
  start(api) {
    // The same credential check as every HTTP route: core:http resolved the secret when it started.
    const auth = api.services.resolve(Tokens.GatewayAuth)
    server = new RpcServer({
      config: api.config,
      gateway: api.gateway,
      auth,
      log: api.log,
    })
    api.log.info({ paths: UPGRADE_PATHS, auth: auth.mode, methods: api.gateway.registry.rpcMethods.keys().length }, 'WebSocket RPC ready')
  },
  async stop() {
    const stopping = server
    server = undefined
    await stopping?.stop()
  },
  })
}

export { PLUGIN_NAME }
export { RpcConfigSchema, DEFAULT_MAX_PAYLOAD, DEFAULT_MAX_BUFFERED_BYTES } from './rpc-config.js'
export { PROTOCOL_VERSION, RPC_ERROR_CODES, SERVER_EVENTS, isRpcError } from './protocol.js'
export type { Frame, RequestFrame, ResponseFrame, EventFrame, HelloOk, RequestId, ServerEvent } from './protocol.js'
export {
  RPC_ERR_INVALID_FRAME,
  RPC_ERR_HANDSHAKE_REQUIRED,
  RPC_ERR_ALREADY_CONNECTED,
  RPC_ERR_PROTOCOL_MISMATCH,
  RPC_ERR_AUTH_MISSING,
  RPC_ERR_AUTH_MISMATCH,
  RPC_ERR_AUTH_RATE_LIMITED,
  RPC_ERR_METHOD_UNKNOWN,
  RPC_ERR_INVALID_PARAMS,
  RPC_ERR_METHOD_TIMEOUT,
  RPC_ERR_INTERNAL,
  RPC_ERR_RUN_UNKNOWN,
  RPC_ERR_RUN_SESSION_MISMATCH,
  RPC_ERR_SESSION_NOT_FOUND,
  RPC_ERR_CHANNEL_INVALID,
  RPC_ERR_DELIVERY_TARGET,
  RPC_ERR_MESSAGE_EMPTY,
  RPC_ERR_SEND_FAILED,
  RPC_ERR_TOOL_NAME_MISSING,
  RPC_ERR_ACTION_UNSUPPORTED,
  RPC_ERR_ACTION_PARAMS,
} from './errors.js'

export type { RpcConfig, RpcConfigInput } from './rpc-config.js'
export type { RpcError, RpcErrorCode } from './protocol.js'
