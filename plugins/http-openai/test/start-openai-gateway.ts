// Test support for this package's end-to-end tests: a real gateway with the HTTP server, this plugin
// and the OpenAI provider pointed at a scripted model server, all on 127.0.0.1. Not exported.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Tokens } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import OpenAI from 'openai'
// Sibling workspace packages, by path: this package does not list them as dependencies (yet).
import { createGateway, createSilentLogger, type Gateway } from '@openclaw/core'
import httpServer from '@openclaw/plugin-http-server'
import providerOpenAi from '@openclaw/plugin-provider-openai'
import httpOpenAi from '../src/index.js'

export const TEST_TOKEN = 'test-token'
export const SCRIPTED_MODEL = 'scripted-model'

export interface OpenAiTestGateway {
  readonly gateway: Gateway
  readonly model: ScriptedModelServer
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** An `openai` client with the gateway token, no retries. */
  readonly client: OpenAI
  /** A client with other options (another key, headers…). */
  clientWith(options: ConstructorParameters<typeof OpenAI>[0]): OpenAI
  close(): Promise<void>
}

export interface StartOpenAiGatewayOptions {
  /** Merged into `gateway` (port, auth) of the config. */
  readonly gateway?: Record<string, unknown>
  /** `gateway.http.endpoints`; default both endpoints enabled. */
  readonly endpoints?: Record<string, unknown>
  /** `agents.entries`. */
  readonly agents?: Record<string, unknown>
  /** `models.providers.openai` overrides (e.g. `maxRetries`). */
  readonly provider?: Record<string, unknown>
  /** `models.providers` as a whole, instead of the scripted `openai` entry (`{{model}}` in a `baseUrl` is the scripted server's). */
  readonly providers?: Record<string, Record<string, unknown>>
  /** `agents.defaults.model`; default `openai/scripted-model`. */
  readonly model?: string
  /** Leave the model provider out (no provider configured). */
  readonly noProvider?: boolean
  readonly plugins?: NonNullable<Parameters<typeof createGateway>[0]>['plugins']
  /** Keep state in `<stateDir>/state.db` (to test restarts); default an in-memory store. */
  readonly stateDir?: string
}

/** Start a scripted model server and a gateway that serves the OpenAI-compatible endpoints over it. */
export async function startOpenAiGateway(options: StartOpenAiGatewayOptions = {}): Promise<OpenAiTestGateway> {
  const model = await createScriptedModelServer({ models: [SCRIPTED_MODEL] })
  let gateway: Gateway
  try {
    gateway = await createGateway({
      stateDir: options.stateDir ?? mkdtempSync(join(tmpdir(), 'openclaw-openai-')),
      ...(options.stateDir ? {} : { store: ':memory:' as const }),
      logger: createSilentLogger(),
      env: {},
      config: {
        gateway: {
          port: 0,
          auth: { mode: 'token', token: TEST_TOKEN },
          ...options.gateway,
          http: { endpoints: options.endpoints ?? { chatCompletions: { enabled: true }, responses: { enabled: true } } },
        },
        agents: { defaults: options.noProvider ? {} : { model: options.model ?? `openai/${SCRIPTED_MODEL}` }, entries: options.agents ?? {} },
        models: {
          providers: options.noProvider ? {}
            : options.providers ? JSON.parse(JSON.stringify(options.providers).replaceAll('{{model}}', model.baseUrl)) as Record<string, unknown>
            : { openai: { baseUrl: model.baseUrl, apiKey: 'sk-scripted', maxRetries: 0, ...options.provider } },
        },
      },
      plugins: [httpServer(), httpOpenAi(), ...(options.noProvider ? [] : [providerOpenAi()]), ...(options.plugins ?? [])],
    })
    await gateway.start()
  } catch (error) {
    await model.close()
    throw error
  }
  const { url } = gateway.services.resolve(Tokens.HttpServer)
  const clientWith = (clientOptions: ConstructorParameters<typeof OpenAI>[0]) =>
    new OpenAI({ apiKey: TEST_TOKEN, baseURL: `${url}/v1`, maxRetries: 0, timeout: 15_000, ...clientOptions })
  return {
    gateway,
    model,
    url,
    client: clientWith({}),
    clientWith,
    async close() {
      await gateway.stop()
      await model.close()
    },
  }
}

/** The OpenAI Chat Completions bodies the scripted model received, in order. */
export function modelCalls(model: ScriptedModelServer): { messages: { role: string; content: unknown; tool_call_id?: string; tool_calls?: unknown[] }[]; tools?: { function: { name: string } }[]; tool_choice?: unknown }[] {
  return model.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as never)
}
