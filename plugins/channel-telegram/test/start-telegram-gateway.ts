// Test support for this package's end-to-end tests: a real gateway (HTTP server, OpenAI provider on a
// scripted model server, this plugin) whose Telegram account talks to the SDK's fake Bot API server
// through grammY, all on 127.0.0.1. Every log line is kept (JSON, as pino writes it). Not exported.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGateway, createLogger, type Gateway, type PluginInput } from '@openclaw/core'
import { Tokens } from '@openclaw/plugin-sdk'
import { createScriptedModelServer, startFakeTelegram, type FakeTelegram, type ScriptedModelServer } from '@openclaw/plugin-sdk/testing'
import httpServer from '@openclaw/plugin-http-server'
import providerOpenAi from '@openclaw/plugin-provider-openai'
import channelTelegram from '../src/index.js'

// A free port on 127.0.0.1 (for a webhook URL that must be known before the gateway starts): the CLI's test support, by path.
export { freePort } from '../../../packages/cli/src/spawn-gateway.js'

export const GATEWAY_TOKEN = 'telegram-e2e-gateway-token-0123456789'

export interface TelegramGateway {
  readonly gateway: Gateway
  readonly tg: FakeTelegram
  readonly model: ScriptedModelServer
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Every log line the gateway wrote, as JSON text. */
  readonly logs: string[]
  /** The model calls (chat completions), as parsed bodies. */
  modelCalls(): { messages: { role: string; content: unknown }[] }[]
  /** The telegram account's status, as `channels.status` reports it. */
  status(accountId?: string): ReturnType<Gateway['channels']['status']>[number] | undefined
  close(): Promise<void>
}

export interface StartTelegramGatewayOptions {
  /** Merged over the default `channels.telegram` (the fake's token and apiRoot, `dmPolicy: open` for everyone, a 1 s long poll). */
  readonly telegram?: Record<string, unknown>
  /** Merged into the gateway config. */
  readonly config?: Record<string, unknown>
  /** Use this fake server instead of a fresh one. */
  readonly tg?: FakeTelegram
  /** Keep state in `<stateDir>/state.db` (restarts); default an in-memory store. */
  readonly stateDir?: string
  /** Listen on this port (webhook mode needs it before start); default a free one. */
  readonly port?: number
  /** Keep state in this PostgreSQL database (replicas: `api.cluster` in postgres mode). */
  readonly databaseUrl?: string
  /** More plugins (a test tool…), registered after this channel. */
  readonly plugins?: readonly PluginInput[]
  /** The gateway's environment (default empty: nothing of the test process's reaches it). */
  readonly env?: Record<string, string>
}

/** Wait until `check()` is truthy (every 20 ms), or fail after `timeoutMs`. */
export async function until<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export async function startTelegramGateway(options: StartTelegramGatewayOptions = {}): Promise<TelegramGateway> {
  const tg = options.tg ?? (await startFakeTelegram())
  const model = await createScriptedModelServer()
  const logs: string[] = []
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } as never })
  const gateway = await createGateway({
    stateDir: options.stateDir ?? mkdtempSync(join(tmpdir(), 'openclaw-telegram-')),
    ...(options.stateDir || options.databaseUrl ? {} : { store: ':memory:' as const }),
    logger,
    env: { ...options.env, ...(options.databaseUrl ? { OPENCLAW_DATABASE_URL: options.databaseUrl } : {}) },
    plugins: [httpServer(), providerOpenAi(), channelTelegram(), ...(options.plugins ?? [])],
    config: {
      gateway: { port: options.port ?? 0, auth: { mode: 'token', token: GATEWAY_TOKEN } },
      models: { providers: { openai: { baseUrl: model.baseUrl, apiKey: 'test-key', maxRetries: 0 } } },
      agents: { defaults: { model: 'openai/scripted-model' } },
      delivery: { baseDelayMs: 100, maxDelayMs: 2000 },
      channels: {
        telegram: {
          botToken: tg.token,
          apiRoot: tg.apiRoot,
          dmPolicy: 'open',
          allowFrom: ['*'],
          polling: { timeoutSeconds: 1, stallGraceMs: 1000 },
          ...options.telegram,
        },
      },
      ...options.config,
    },
  })
  await gateway.start()
  const url = gateway.services.resolve(Tokens.HttpServer).url
  return {
    gateway,
    tg,
    model,
    url,
    logs,
    modelCalls: () => model.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as never),
    status: (accountId = 'default') => gateway.channels.status().find((s) => s.channel === 'telegram' && s.accountId === accountId),
    async close() {
      await gateway.stop()
      await model.close()
      if (!options.tg) await tg.close()
    },
  }
}
