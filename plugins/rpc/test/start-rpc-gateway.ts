// Test support for this package's end-to-end tests, not exported: a real gateway with the HTTP
// server, this plugin and an `openai` provider pointed at a scripted model server, all on 127.0.0.1.
import { Tokens, type PluginDefinition } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, createTestGateway, type ScriptedModelServer, type TestGateway } from '@openclaw/plugin-sdk/testing'
// A sibling workspace package, by path: this package does not depend on it (see docs/rpc.md, Tests).
import httpServer from '@openclaw/plugin-http-server'
import rpc from '../src/index.js'
import type { RpcConfigInput } from '../src/rpc-config.js'
import { startMediaServer } from './media-server.js'
import { RpcTestClient } from './rpc-test-client.js'
import providerOpenAi from '@openclaw/plugin-provider-openai'

export const TEST_TOKEN = 'rpc-test-token'

export interface RpcTestGateway {
  readonly gateway: TestGateway
  readonly model: ScriptedModelServer
  /** `ws://127.0.0.1:<port>/` */
  readonly wsUrl: string
  /** With `media: true`: the loopback server's base URL, whose paths the delivery worker may fetch. */
  readonly mediaBase: string | undefined
  /** Open a socket and complete the handshake with the test token. */
  connect(overrides?: Record<string, unknown>): Promise<RpcTestClient>
  close(): Promise<void>
}

export interface StartRpcGatewayOptions {
  readonly rpc?: RpcConfigInput
  /** Merged into `gateway` (auth, authRateLimit…). */
  readonly gateway?: Record<string, unknown>
  readonly plugins?: readonly PluginDefinition<unknown>[]
  readonly agents?: Record<string, unknown>
  readonly session?: Record<string, unknown>
  readonly delivery?: Record<string, unknown>
  /** Serve media URLs on loopback ({@link startMediaServer}) and allow the delivery worker to fetch them. */
  readonly media?: boolean
  /** More `models.providers` entries, besides the scripted `openai` one. */
  readonly providers?: Record<string, unknown>
}

/** Start a scripted model server and a gateway serving the WebSocket RPC over it. */
export async function startRpcGateway(options: StartRpcGatewayOptions = {}): Promise<RpcTestGateway> {
  const model = await createScriptedModelServer()
  const media = options.media ? await startMediaServer() : undefined
  const delivery = media ? { ...options.delivery, media: { allowedHostnames: ['127.0.0.1'] } } : options.delivery
  const clients: RpcTestClient[] = []
  let gateway: TestGateway
  try {
    gateway = await createTestGateway({
      realClock: true,
      config: {
        gateway: { port: 0, auth: { mode: 'token', token: TEST_TOKEN }, rpc: options.rpc ?? {}, ...options.gateway },
        agents: { defaults: { model: 'openai/scripted-model' }, entries: options.agents ?? {} },
        models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'k' }, ...options.providers } },
        ...(options.session ? { session: options.session } : {}),
        ...(delivery ? { delivery } : {}),
      },
      plugins: [httpServer(), rpc(), providerOpenAi(), ...(options.plugins ?? [])],
    })
  } catch (error) {
    await model.close()
    await media?.close()
    throw error
  }
  const { url } = gateway.services.resolve(Tokens.HttpServer)
  const wsUrl = `${url.replace(/^http/, 'ws')}/`
  return {
    gateway,
    model,
    wsUrl,
    mediaBase: media?.base,
    async connect(overrides = {}) {
      const { client } = await RpcTestClient.connect(wsUrl, TEST_TOKEN, overrides)
      clients.push(client)
      return client
    },
    async close() {
      for (const client of clients) client.ws.terminate()
      await gateway.stop()
      await model.close()
      await media?.close()
    },
  }
}
