import { createGateway, createSilentLogger, Tokens, type Gateway, type HttpInjectRequest, type HttpInjectResponse, type Logger, type PluginInput } from '@openclaw/core'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFakeClock, type FakeClock } from './fake-clock.js'

export interface TestGatewayOptions {
  readonly plugins?: readonly PluginInput[]
  readonly config?: Record<string, unknown>
  /** Use the real clock instead of a fake one (for tests that need real timeouts). */
  readonly realClock?: boolean
  readonly logger?: Logger
  /** Default: a fresh temporary folder. */
  readonly stateDir?: string
  /** Default true: call `start()` before returning. */
  readonly start?: boolean
  /** Where `${VAR}` in the config and built-in providers' keys (`OPENAI_API_KEY`…) are read. Default: empty. */
  readonly env?: NodeJS.ProcessEnv
  /**
   * Default `':memory:'`: an in-memory SQLite store. `'config'`: the store the config's `storage`
   * names, as `openclaw gateway` opens it (`storage: { driver: 'postgres', postgres: { url } }`
   * for a gateway on PostgreSQL; several such gateways on one database are replicas).
   */
  readonly store?: ':memory:' | 'config'
}

export interface TestGateway extends Gateway {
  /** The fake clock (absent with `realClock`). */
  readonly clock: FakeClock | undefined
  /**
   * The gateway's HTTP routes in process (fastify's inject): no socket, same auth, limits and error
   * bodies. Needs the HTTP server plugin (`core:http`, `@openclaw/plugin-http-server`) among the plugins.
   */
  readonly http: { inject(request: HttpInjectRequest): Promise<HttpInjectResponse> }
}

/**
 * A real gateway for tests: the real kernel with an in-memory store (or the config's, see
 * {@link TestGatewayOptions.store}), a silent logger and a fake clock, started and ready. Call
 * `stop()` when done.
 */
export async function createTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const clock = options.realClock ? undefined : createFakeClock()
  const gateway = await createGateway({
    config: options.config ?? {},
    stateDir: options.stateDir ?? mkdtempSync(join(tmpdir(), 'openclaw-test-')),
    plugins: options.plugins ?? [],
    ...(options.store === 'config' ? {} : { store: ':memory:' as const }),
    logger: options.logger ?? createSilentLogger(),
    env: options.env ?? {},
    ...(clock ? { clock } : {}),
  })
  if (options.start ?? true) await gateway.start()
  const http = { inject: (request: HttpInjectRequest) => gateway.services.resolve(Tokens.HttpServer).inject(request) }
  return Object.assign(gateway, { clock, http }) as TestGateway
}
