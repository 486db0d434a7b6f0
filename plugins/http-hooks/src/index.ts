// @openclaw/plugin-http-hooks: webhooks on the gateway port. `POST <hooks.path>/wake` and
// `POST <hooks.path>/agent`, with the hooks token (header only). Off unless `hooks.enabled`. Explicit names only.
import { definePlugin, type PluginDefinition, Tokens } from '@openclaw/plugin-sdk'
import { createAgentRoute } from './agent-route.js'
import { HOOKS_ERR_TOKEN_MISSING, HOOKS_ERR_TOKEN_REUSED } from './errors.js'
import { createHooksGuard, HOOKS_GUARD } from './hooks-guard.js'
import { HttpHooksConfigSchema, type HttpHooksConfig } from './http-hooks-config.js'
import { createWakeRoute } from './wake-route.js'
import { WakeEventStore } from './wake-event-store.js'

const PLUGIN_NAME = 'http:hooks'

/** Keys of OpenClaw's `hooks` section this plugin does not implement yet. */
const UNSUPPORTED_KEYS = ['mappings', 'presets', 'transformsDir', 'gmail']

/** A factory: each call makes a fresh plugin, so gateways in one process share nothing. */
export default function httpHooks(): PluginDefinition<HttpHooksConfig> {
  return definePlugin<HttpHooksConfig>({
  id: PLUGIN_NAME,
  version: '1.0.0',
  name: 'HTTP webhooks',
  description: 'POST /hooks/wake and /hooks/agent: webhooks that wake or run the agent',
  kind: 'surface',
  apiVersion: '^2.0.0',
  configKey: 'hooks',
  config: HttpHooksConfigSchema,
  dependsOn: ['core:http'],
  register(api) {
    const config = api.config
    if (!config.enabled) return
    const base = config.path.replace(/\/+$/, '')
    const clock = api.services.resolve(Tokens.Clock)
    const wakeEvents = new WakeEventStore(api.store)
    // The guard its routes ask for. A token that equals the gateway credential fails checkConfig, and
    // the routes of a failed plugin (and of its guard) are answered 503 by core:http.
    api.http.guard(HOOKS_GUARD, createHooksGuard(config.token))
    api.http.route(createWakeRoute({ path: `${base}/wake`, config, gateway: api.gateway, wakeEvents, log: api.log, now: () => clock.now(), wakeService: () => (api.services.isRegistered(Tokens.Wake) ? api.services.resolve(Tokens.Wake) : undefined) }))
    api.http.route(createAgentRoute({ path: `${base}/agent`, config, gateway: api.gateway, log: api.log }))
  },
  checkConfig(api) {
    const config = api.config
    if (!config.enabled) return
    // Checked here, not in register(), so the routes stay registered: the HTTP server answers 503 on
    // them while this plugin is failed. `openclaw config validate` runs this too.
    if (config.token === undefined) throw new HOOKS_ERR_TOKEN_MISSING()
    const reused = api.services.resolve(Tokens.GatewayAuth).credentialSource(config.token)
    if (reused) throw new HOOKS_ERR_TOKEN_REUSED(reused)
  },
  async start(api) {
    const config = api.config
    if (!config.enabled) return
    await new WakeEventStore(api.store).migrate()
    const unsupported = UNSUPPORTED_KEYS.filter((key) => (config as Record<string, unknown>)[key] !== undefined)
    if (unsupported.length > 0) api.log.warn({ keys: unsupported }, `hooks.${unsupported.join(', hooks.')} are not supported yet and are ignored`)
    const base = config.path.replace(/\/+$/, '')
    api.log.info({ path: base }, `webhooks enabled: POST ${base}/wake, POST ${base}/agent`)
  },
})
}

export { PLUGIN_NAME }
export { HttpHooksConfigSchema, DEFAULT_HOOKS_PATH, DEFAULT_HOOKS_BODY_BYTES } from './http-hooks-config.js'
export { WakeRequestSchema, AgentHookRequestSchema } from './hook-requests.js'
export {
  HOOKS_ERR_TOKEN_MISSING,
  HOOKS_ERR_TOKEN_REUSED,
  HOOKS_ERR_INVALID_REQUEST,
  HOOKS_ERR_QUERY_TOKEN,
} from './errors.js'
export { HOOKS_GUARD } from './hooks-guard.js'

export type { HttpHooksConfig, HttpHooksConfigInput } from './http-hooks-config.js'
export type { WakeRequest, AgentHookRequest } from './hook-requests.js'
