// One gateway process for bench/http's `--store` comparison (forked by stores.mjs): core:http with
// http:openai over the scripted model at BENCH_MODEL_URL, on SQLite (its own state dir) or on the
// PostgreSQL at BENCH_DATABASE_URL. Tells its parent its URL, its CPU time when asked, stops on 'stop'.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGateway, createSilentLogger, Tokens } from '@openclaw/core'
import httpServer from '@openclaw/plugin-http-server'
import httpOpenAi from '@openclaw/plugin-http-openai'
import providerOpenAi from '@openclaw/plugin-provider-openai'

const gateway = await createGateway({
  stateDir: process.env.BENCH_STATE_DIR ?? mkdtempSync(join(tmpdir(), 'openclaw-bench-replica-')),
  logger: createSilentLogger(),
  env: process.env.BENCH_DATABASE_URL ? { OPENCLAW_DATABASE_URL: process.env.BENCH_DATABASE_URL } : {},
  plugins: [httpServer(), httpOpenAi(), providerOpenAi()],
  config: {
    gateway: {
      port: 0, bind: '127.0.0.1', auth: { mode: 'token', token: process.env.BENCH_TOKEN },
      authRateLimit: { failureDelayMs: 0 }, http: { endpoints: { chatCompletions: { enabled: true } } },
    },
    session: { maxQueue: 1000 },
    agents: { defaults: { model: 'openai/bench-model' } },
    models: { providers: { openai: { baseUrl: process.env.BENCH_MODEL_URL, apiKey: 'sk-bench', maxRetries: 0 } } },
  },
})
await gateway.start()
process.send({ type: 'ready', url: gateway.services.resolve(Tokens.HttpServer).url })
process.on('message', async (message) => {
  if (message.type === 'cpu') process.send({ type: 'cpu', usage: process.cpuUsage() })
  else if (message.type === 'stop') {
    await gateway.stop()
    process.exit(0)
  }
})
