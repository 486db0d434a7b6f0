// @openclaw/plugin-http-server: the gateway's one HTTP port (`core:http`). It knows no route by name:
// it serves whatever plugins registered with `api.http.route()` / `api.http.upgrade()`. Explicit names only.
import { CoreErrors, definePlugin, Tokens, type GatewayAuth, type PluginApi, type PluginDefinition } from '@openclaw/plugin-sdk'
import { AuthAuditLog } from './auth-audit-log.js'
import { HTTP_ERR_NOT_READY } from './errors.js'
import type { HttpInjectRequest, HttpInjectResponse } from './http-server.js'
import { AuthLimiter } from './auth-limiter.js'
import { checkCredential, type AuthVerdict } from './check-credential.js'
import { formatUrl, isLoopbackHost, resolveBindHost } from './bind-host.js'
import { configuredCredential, CREDENTIAL_ENV, PASSWORD_ENV, TOKEN_ENV } from './gateway-credential.js'
import { ensureGatewayToken, GATEWAY_TOKEN_FILE, readGatewayToken } from './gateway-token.js'
import { HttpServerConfigSchema, type HttpServerConfig } from './http-server-config.js'
import { HttpServer, type OwnedGuard, type OwnedRoute, type OwnedUpgrade } from './http-server.js'
import { OriginPolicy } from './origin-policy.js'
import { EventLoopMonitor } from './event-loop-monitor.js'
import { probeShowsDetails } from './probe-caller.js'
import { createProbeRoutes } from './probe-routes.js'
import { createSecretMatcher, type SecretMatcher } from './secret-matcher.js'

const PLUGIN_NAME = 'core:http'

/** Where the server listens; registered in register() (the API closes after it), filled in by start(). */
class ListenAddress {
  host = ''
  port = 0
  url = ''
  server: HttpServer | undefined

  inject(request: HttpInjectRequest): Promise<HttpInjectResponse> {
    if (!this.server) return Promise.reject(new HTTP_ERR_NOT_READY())
    return this.server.inject(request)
  }
}

/** A value that is a gateway credential somewhere, and where (`credentialSource` names it). */
type CredentialSource = { source: string; value: string | undefined }

/**
 * The gateway credential check; registered in register(), armed by start() once the secret is known.
 * Its limiter is the one the HTTP routes use, so every surface shares one lockout per client.
 */
class SharedGatewayAuth implements GatewayAuth {
  mode: GatewayAuth['mode'] = 'token'
  #matcher: SecretMatcher = () => false
  #sources: { source: string; matches: SecretMatcher }[] = []
  #limiter: AuthLimiter | undefined

  arm(mode: GatewayAuth['mode'], matcher: SecretMatcher | undefined, limiter: AuthLimiter, sources: CredentialSource[]): void {
    this.mode = mode
    this.#matcher = matcher ?? (() => false)
    this.#limiter = limiter
    this.knowSources(sources)
  }

  /** Where credentials are set; known from register() on, so other plugins' `checkConfig` can ask `credentialSource`. */
  knowSources(sources: CredentialSource[]): void {
    this.#sources = sources.filter((s) => s.value !== undefined).map((s) => ({ source: s.source, matches: createSecretMatcher(s.value) }))
  }

  matches(presented: string): boolean {
    return this.#matcher(presented)
  }

  verify(client: string, presented: string | undefined): AuthVerdict {
    if (this.mode === 'none') return { ok: true }
    // Not armed yet (before start): nothing matches, and there is nothing to count with.
    if (this.#limiter === undefined) return presented ? { ok: false, reason: 'mismatch', delayMs: 0 } : { ok: false, reason: 'missing' }
    return checkCredential(this.#limiter, this.#matcher, client, presented)
  }

  credentialSource(value: string): string | undefined {
    return this.#sources.find((s) => s.matches(value))?.source
  }
}

/** Every place a gateway credential may be set; a value is undefined where none is. */
function credentialSources(api: PluginApi<HttpServerConfig>): CredentialSource[] {
  const { auth } = api.config
  return [
    { source: 'gateway.auth.token', value: auth.token },
    { source: 'gateway.auth.password', value: auth.password },
    { source: TOKEN_ENV, value: api.env[TOKEN_ENV] },
    { source: PASSWORD_ENV, value: api.env[PASSWORD_ENV] },
    { source: `the generated token file (${GATEWAY_TOKEN_FILE})`, value: readGatewayToken(api.gateway.stateDir) },
  ]
}

/** The gateway credential for the configured mode (refusing the unsafe combinations), generating a token if none is set. */
function resolveGatewaySecret(api: PluginApi<HttpServerConfig>): SecretMatcher | undefined {
  const credential = configuredCredential(api.config, api.env)
  if (credential.mode === 'none') {
    api.log.warn('gateway.auth.mode is none: HTTP routes with gateway auth accept any caller (loopback only)')
    return undefined
  }
  if (credential.mode === 'password') return createSecretMatcher(credential.password)
  if (credential.token !== undefined) return createSecretMatcher(credential.token)
  const stored = ensureGatewayToken(api.gateway.stateDir)
  if (stored.created) {
    api.log.info({ path: stored.path }, 'Generated a gateway token (no gateway.auth.token or OPENCLAW_GATEWAY_TOKEN set); read it with `openclaw gateway token`')
  } else if (stored.permissionsFixed) {
    api.log.warn({ path: stored.path }, 'The gateway token file was readable by other users; its mode is now 0600')
  }
  return createSecretMatcher(stored.token)
}

/** The guards plugins registered, by name; a route naming one that is gone (its plugin rolled back) is refused. */
function collectGuards(api: PluginApi<HttpServerConfig>, routes: readonly OwnedRoute[]): Map<string, OwnedGuard> {
  const registry = api.gateway.registry.httpGuards
  const guards = new Map<string, OwnedGuard>(registry.keys().map((name) => [name, { owner: registry.owner(name)!, name, check: registry.get(name)!.check }]))
  for (const { definition } of routes) {
    if (definition.auth === 'gateway' || definition.auth === 'none' || guards.has(definition.auth)) continue
    const known = ['gateway', 'none', ...guards.keys()].join(', ')
    throw new CoreErrors.CORE_ERR_HTTP_GUARD_UNKNOWN(`${[definition.method].flat().join(',')} ${definition.path}`, definition.auth, known)
  }
  return guards
}

/**
 * The HTTP server plugin. A factory: each call makes a plugin with its own state (listen address,
 * credential check, server), so two gateways in one process never share one.
 */
export default function httpServer(): PluginDefinition<HttpServerConfig> {
  const address = new ListenAddress()
  const auth = new SharedGatewayAuth()
  let server: HttpServer | undefined
  let draining = false
  const eventLoop = new EventLoopMonitor()

  return definePlugin<HttpServerConfig>({
  id: PLUGIN_NAME,
  version: '1.0.0',
  name: 'HTTP server',
  description: "The gateway's HTTP port: routes and WebSocket upgrades of every plugin, with auth, limits and probes",
  kind: 'surface',
  configKey: 'gateway',
  config: HttpServerConfigSchema,
  apiVersion: '^2.0.0',
  dependsOn: [],
  env: CREDENTIAL_ENV,
  register(api) {
    api.services.registerInstance(Tokens.HttpServer, address)
    api.services.expose(Tokens.HttpServer)
    api.services.registerInstance(Tokens.GatewayAuth, auth)
    api.services.expose(Tokens.GatewayAuth)
    // Reading them now (config, environment, an existing token file) lets checkConfig ask before start.
    auth.knowSources(credentialSources(api))
    const startedAt = Date.now()
    const probes = createProbeRoutes({
      isReady: () => api.gateway.isReady(),
      isDraining: () => draining,
      showsDetails: (request) => probeShowsDetails(auth, request),
      version: api.gateway.version,
      uptimeMs: () => Date.now() - startedAt,
      failedPlugins: () => api.gateway.plugins.filter((p) => p.state === 'failed').map((p) => p.id),
      eventLoop: () => eventLoop.snapshot(),
      channels: () => api.gateway.channels.status(),
    })
    for (const route of probes) api.http.route(route)
    api.hooks.gatewayStart.tap(PLUGIN_NAME, (info) => {
      const failed = new Set(info.plugins.filter((p) => p.state !== 'started').map((p) => p.id))
      server?.markStarted(failed)
    })
    api.hooks.gatewayStop.tap(PLUGIN_NAME, () => {
      draining = true
      server?.markDraining()
    })
  },
  checkConfig(api) {
    // No auth beyond loopback, or password mode without a password: refused before anything listens.
    configuredCredential(api.config, api.env)
  },
  async start(api) {
    const config = api.config
    const host = resolveBindHost(config.bind)
    const registry = api.gateway.registry
    const routes: OwnedRoute[] = registry.httpRoutes.keys().map((key) => ({ owner: registry.httpRoutes.owner(key)!, definition: registry.httpRoutes.get(key)! }))
    const upgrades: OwnedUpgrade[] = registry.httpUpgrades.keys().map((key) => ({ owner: registry.httpUpgrades.owner(key)!, definition: registry.httpUpgrades.get(key)! }))
    const guards = collectGuards(api, routes)

    const gatewaySecret = resolveGatewaySecret(api)
    const clock = api.services.resolve(Tokens.Clock)
    const limits = { ...config.authRateLimit, now: () => clock.now() }
    // Every lockout logs its failures and lockouts (rate-limited), named for the credential guessed.
    const createLimiter = (scope: string) => new AuthLimiter({ ...limits, onFailure: new AuthAuditLog(api.log, scope, limits).onFailure })
    const gatewayLimiter = createLimiter('gateway')
    // Read again: the token file may have just been generated.
    auth.arm(config.auth.mode, gatewaySecret, gatewayLimiter, credentialSources(api))

    server = new HttpServer({
      routes,
      upgrades,
      guards,
      selfId: PLUGIN_NAME,
      maxBodyBytes: config.http.maxBodyBytes,
      headersTimeoutMs: config.http.headersTimeoutMs,
      requestTimeoutMs: config.http.requestTimeoutMs,
      gatewaySecret,
      gatewayLimiter,
      createLimiter,
      originPolicy: new OriginPolicy({
        allowedOrigins: config.controlUi.allowedOrigins,
        allowedHosts: config.allowedHosts,
        checkHost: isLoopbackHost(host),
      }),
      log: api.log,
    })
    address.server = server
    eventLoop.start()
    const bound = await server.listen(host, config.port)
    address.host = bound.address
    address.port = bound.port
    address.url = formatUrl(bound.address, bound.port)
    api.log.info(
      { url: address.url, auth: config.auth.mode, routes: routes.length, upgrades: upgrades.length, guards: [...guards.keys()] },
      `HTTP server listening on ${address.url}`,
    )
  },
  async stop(api) {
    draining = true
    await server?.close(api.config.shutdownTimeoutMs)
    eventLoop.stop()
  },
  })
}

export { PLUGIN_NAME }
export { HttpServerConfigSchema, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES } from './http-server-config.js'
export { GATEWAY_TOKEN_FILE, readGatewayToken } from './gateway-token.js'
export { resolveBindHost, isLoopbackHost } from './bind-host.js'
export {
  HTTP_ERR_AUTH_REQUIRED,
  HTTP_ERR_PASSWORD_MISSING,
  HTTP_ERR_TOKEN_FILE,
  HTTP_ERR_PORT_IN_USE,
  HTTP_ERR_LISTEN_FAILED,
  HTTP_ERR_NOT_FOUND,
  HTTP_ERR_METHOD_NOT_ALLOWED,
  HTTP_ERR_UNAUTHORIZED,
  HTTP_ERR_RATE_LIMITED,
  HTTP_ERR_ORIGIN_NOT_ALLOWED,
  HTTP_ERR_HOST_NOT_ALLOWED,
  HTTP_ERR_BODY_TOO_LARGE,
  HTTP_ERR_INVALID_JSON,
  HTTP_ERR_BAD_REQUEST,
  HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
  HTTP_ERR_NOT_READY,
  HTTP_ERR_DRAINING,
  HTTP_ERR_PLUGIN_UNAVAILABLE,
  HTTP_ERR_INTERNAL,
} from './errors.js'

export type { HttpServerConfig, HttpServerConfigInput } from './http-server-config.js'
